import crypto from 'node:crypto';
import fs from 'node:fs';

/** Length of the API token in random bytes; the token file stores them as 64 hex characters. */
const tokenBytes = 32;

/**
 * Reads the API token from `file`, creating it (mode 0600) with a new random
 * token when missing or empty. A token file readable by others is tightened to 0600.
 */
export function ensureToken(file: string): string {
  try {
    const existing = fs.readFileSync(file, 'utf8').trim();
    if (/^[0-9a-f]{64}$/.test(existing)) {
      if ((fs.statSync(file).mode & 0o077) !== 0) fs.chmodSync(file, 0o600);

      return existing;
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }

  const token = crypto.randomBytes(tokenBytes).toString('hex');
  fs.writeFileSync(file, `${token}\n`, { mode: 0o600 });
  fs.chmodSync(file, 0o600);

  return token;
}
