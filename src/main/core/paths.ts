import { createHash } from 'node:crypto';
import os from 'node:os';
import path from 'node:path';

/** Files and folders of one hub; all live under `dataDir` except, when that path is too long, the socket. */
export interface HubPaths {
  dataDir: string;
  databaseFile: string;
  tokenFile: string;
  /** Folder of the Unix socket, created 0700. */
  socketDir: string;
  socketPath: string;
  logsDir: string;
  /** Pid, start time and command of each managed child, for orphan cleanup after a crash. */
  childrenFile: string;
}

/**
 * macOS limits `sun_path` to 104 bytes including the NUL (Linux: 108), so a
 * longer socket path falls back to a short per-user folder under the temp dir.
 */
export const maxSocketPathBytes = 103;

/** Resolves the data folder: `MLOPS_HUB_HOME`, else the platform's application-data folder. */
export function resolveDataDir(env: NodeJS.ProcessEnv = process.env, platform: NodeJS.Platform = process.platform): string {
  const override = env['MLOPS_HUB_HOME'];
  if (override) return path.resolve(override);

  if (platform === 'darwin') return path.join(os.homedir(), 'Library', 'Application Support', 'MLOps Hub');

  const xdg = env['XDG_DATA_HOME'];
  const base = xdg && path.isAbsolute(xdg) ? xdg : path.join(os.homedir(), '.local', 'share');

  return path.join(base, 'mlops-hub');
}

export function resolveHubPaths(dataDir: string): HubPaths {
  let socketDir = path.join(dataDir, 'run');
  if (Buffer.byteLength(path.join(socketDir, 'hub.sock')) > maxSocketPathBytes) {
    const uid = typeof process.getuid === 'function' ? process.getuid() : 0;
    // A digest of the whole path, so that two data folders never share a socket folder.
    const digest = createHash('sha256').update(dataDir).digest('hex').slice(0, 12);
    socketDir = path.join(os.tmpdir(), `mlops-hub-${uid}-${digest}`);
  }

  return {
    dataDir,
    databaseFile: path.join(dataDir, 'hub.db'),
    tokenFile: path.join(dataDir, 'token'),
    socketDir,
    socketPath: path.join(socketDir, 'hub.sock'),
    logsDir: path.join(dataDir, 'logs'),
    childrenFile: path.join(dataDir, 'children.json'),
  };
}
