/**
 * Parsers of the OS tables that show which process has the other end of a
 * connection to the hub open: Linux's /proc/net/tcp and `ss -xp`, macOS's `lsof -F`.
 * They take the text and return candidates, so that tests can feed recorded output.
 */

/** 127.0.0.1 as /proc/net/tcp prints it (host byte order, so little-endian on x86 and arm64), and as an IPv4-mapped address in tcp6. */
const loopbackHex = new Set(['0100007F', '0000000000000000FFFF00000100007F']);

/**
 * Returns the socket inodes, in a /proc/net/tcp or /proc/net/tcp6 table, of
 * connections whose local end is 127.0.0.1:`clientPort` and whose remote port
 * is `hubPort`: the client's side of a connection that the hub accepted.
 */
export function findTcpClientInodes(table: string, clientPort: number, hubPort: number): string[] {
  const inodes: string[] = [];
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const [localHost = '', localPort = ''] = (fields[1] ?? '').split(':');
    const remotePort = (fields[2] ?? '').split(':')[1] ?? '';
    const inode = fields[9];
    // Sockets in TIME_WAIT and similar states no longer belong to a process and show inode 0.
    if (!inode || inode === '0' || !loopbackHex.has(localHost.toUpperCase())) continue;

    if (parseInt(localPort, 16) === clientPort && parseInt(remotePort, 16) === hubPort) inodes.push(inode);
  }

  return inodes;
}

/** One process that has a socket open, as `ss -p` and `lsof` list it. */
export interface SocketOwner {
  pid: number;
  fd: number;
}

/** One Unix stream socket row of `ss -xp`. */
export interface UnixSocketRow {
  /** Bound path, or `*` for an unnamed socket (a client's end). */
  localAddress: string;
  inode: number;
  peerInode: number;
  /** Empty when the process belongs to another user. */
  owners: SocketOwner[];
}

const ssRowPattern = /^u_(?:str|seq|dgr)\s+\S+\s+\d+\s+\d+\s+(.+?)\s+(\d+)\s+(.+?)\s+(\d+)(?:\s+users:\((.*)\))?\s*$/;
const ssOwnerPattern = /pid=(\d+),fd=(\d+)/g;

/** Parses the Unix socket rows of `ss -xp` (iproute2); the header and other lines are skipped. */
export function parseSsUnixSockets(output: string): UnixSocketRow[] {
  const rows: UnixSocketRow[] = [];
  for (const line of output.split('\n')) {
    const match = ssRowPattern.exec(line);
    if (!match) continue;

    const owners = [...(match[5] ?? '').matchAll(ssOwnerPattern)].map((owner) => ({ pid: Number(owner[1]), fd: Number(owner[2]) }));
    rows.push({ localAddress: match[1] ?? '', inode: Number(match[2]), peerInode: Number(match[4]), owners });
  }

  return rows;
}

/** The hub's accepted Unix socket whose peer is looked up. */
export interface HubSocketTarget {
  socketPath: string;
  hubPid: number;
  /** Linux: inode of the accepted socket; macOS: its file descriptor. Null follows every accepted socket on the path. */
  serverSocket: number | null;
}

/**
 * Returns the pids at the other end of the hub's accepted sockets in `ss -xp`
 * rows. An accepted socket shows the hub's socket path as its local address and
 * the client's unnamed socket as its peer inode.
 */
export function findSsPeerPids(rows: readonly UnixSocketRow[], target: HubSocketTarget): number[] {
  const serverRows = rows.filter((row) =>
    target.serverSocket === null ? row.localAddress === target.socketPath && row.owners.some((owner) => owner.pid === target.hubPid) : row.inode === target.serverSocket,
  );
  const peerInodes = new Set(serverRows.map((row) => row.peerInode));
  const pids = rows.filter((row) => peerInodes.has(row.inode)).flatMap((row) => row.owners.map((owner) => owner.pid));

  return [...new Set(pids)];
}

/** One open file in `lsof -F pfdn` output. */
export interface LsofFile {
  pid: number;
  /** File descriptor number, or a name such as `cwd` or `txt`. */
  fd: string;
  /** For a socket on macOS, the kernel address of its protocol control block (`0x…`). */
  device: string;
  /** A bound socket's path, `->0x…` (the peer's address) for an unnamed connected one. */
  name: string;
}

/**
 * Parses `lsof -F` field output: a `p<pid>` line starts a process, an
 * `f<fd>` line starts one of its files, `d` and `n` lines describe that file.
 */
export function parseLsofFiles(output: string): LsofFile[] {
  const files: LsofFile[] = [];
  let pid = 0;
  let current: LsofFile | null = null;
  for (const line of output.split('\n')) {
    const field = line[0];
    const value = line.slice(1);
    if (field === 'p') {
      pid = Number(value);
      current = null;
    } else if (field === 'f') {
      current = { pid, fd: value, device: '', name: '' };
      files.push(current);
    } else if (field === 'd' && current) current.device = value;
    else if (field === 'n' && current) current.name = value;
  }

  return files;
}

/**
 * Returns the pids at the other end of the hub's accepted sockets in macOS
 * `lsof -U -F pfdn` output. An accepted socket carries the hub's socket path as
 * its name, and the client's unnamed socket names it as `->0x<its address>`.
 */
export function findLsofUnixPeerPids(files: readonly LsofFile[], target: HubSocketTarget): number[] {
  const hubSockets = files.filter(
    (file) => file.pid === target.hubPid && file.name === target.socketPath && file.device !== '' && (target.serverSocket === null || file.fd === String(target.serverSocket)),
  );
  const peerNames = new Set(hubSockets.map((file) => `->${file.device}`));
  const pids = files.filter((file) => peerNames.has(file.name)).map((file) => file.pid);

  return [...new Set(pids)];
}

/**
 * Returns the pids other than the hub's in `lsof -iTCP@127.0.0.1:<port> -F p`
 * output. That query lists both ends of the connection (the client as the local
 * end, the hub as the remote one), so the hub's own pid is dropped.
 */
export function findLsofTcpPeerPids(output: string, hubPid: number): number[] {
  const pids = output
    .split('\n')
    .filter((line) => line.startsWith('p'))
    .map((line) => Number(line.slice(1)))
    .filter((pid) => Number.isInteger(pid) && pid > 0 && pid !== hubPid);

  return [...new Set(pids)];
}
