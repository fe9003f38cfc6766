import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { beforeEach, describe, expect, it } from 'vitest';

import { ensureToken } from '../../../../src/main/core/api/token';

describe('ensureToken', () => {
  let file: string;

  beforeEach(() => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    process.env['MLOPS_HUB_HOME'] = home;
    file = path.join(home, 'token');
  });

  it('creates a 64-hex token with mode 0600', () => {
    const token = ensureToken(file);

    expect(token).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${token}\n`);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('reuses an existing token', () => {
    const first = ensureToken(file);

    expect(ensureToken(file)).toBe(first);
  });

  it('tightens a token file readable by others', () => {
    const first = ensureToken(file);
    fs.chmodSync(file, 0o644);

    expect(ensureToken(file)).toBe(first);
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });

  it('replaces a malformed token', () => {
    fs.writeFileSync(file, 'not a token\n');

    expect(ensureToken(file)).toMatch(/^[0-9a-f]{64}$/);
  });
});
