import { execFile } from 'node:child_process';
import fs from 'node:fs';
import type net from 'node:net';

import { describeError, type Logger } from '../logger';
import {
  findLsofTcpPeerPids,
  findLsofUnixPeerPids,
  findSsPeerPids,
  findTcpClientInodes,
  parseLsofFiles,
  parseSsUnixSockets,
} from './peerProcessText';

export interface PeerProcessOptions {
  socketPath: string;
  log: Logger;
  platform?: NodeJS.Platform;
}

/** Maximum run time of `ss` or `lsof`, in milliseconds. */
const commandTimeoutMs = 3_000;

/**
 * Finds the process at the other end of a connection the hub accepted, because
 * Node cannot read a socket peer's credentials (SO_PEERCRED, LOCAL_PEERPID).
 * Linux: /proc for TCP, `ss -xp` for the Unix socket. macOS: `lsof`. Each
 * connection is looked up once, on the first call, and the result is cached.
 * Resolves null when the tables do not name exactly one process.
 */
export class PeerProcessLookup {
  private readonly cache = new WeakMap<net.Socket, Promise<number | null>>();
  private readonly platform: NodeJS.Platform;

  constructor(private readonly options: PeerProcessOptions) {
    this.platform = options.platform ?? process.platform;
  }

  resolve(socket: net.Socket, transport: 'unix' | 'tcp'): Promise<number | null> {
    const cached = this.cache.get(socket);
    if (cached) return cached;

    const pending = this.lookUp(socket, transport).then(
      (pids) => {
        this.options.log.trace(`resolvePeerPid(): transport=${transport} pids=${pids.join(',') || 'none'}`);
        return pids.length === 1 ? (pids[0] ?? null) : null;
      },
      (error: unknown) => {
        this.options.log.trace(`resolvePeerPid(): lookup failed transport=${transport}: ${describeError(error)}`);
        return null;
      },
    );
    this.cache.set(socket, pending);

    return pending;
  }

  private lookUp(socket: net.Socket, transport: 'unix' | 'tcp'): Promise<number[]> {
    if (transport === 'tcp') {
      const clientPort = socket.remotePort;
      const hubPort = socket.localPort;
      if (clientPort === undefined || hubPort === undefined) return Promise.resolve([]);
      if (this.platform === 'linux') return findLinuxTcpPeers(clientPort, hubPort);
      if (this.platform === 'darwin') return findDarwinTcpPeers(clientPort);

      return Promise.resolve([]);
    }

    const fd = readSocketFd(socket);
    if (this.platform === 'linux') return findLinuxUnixPeers(this.options.socketPath, fd);
    if (this.platform === 'darwin') return findDarwinUnixPeers(this.options.socketPath, fd);

    return Promise.resolve([]);
  }
}

/**
 * File descriptor of an accepted socket, or null. `_handle.fd` is libuv's
 * descriptor; it is not public API, so its absence only makes the lookup
 * follow every accepted socket on the path.
 */
function readSocketFd(socket: net.Socket): number | null {
  const handle = (socket as unknown as { _handle?: { fd?: unknown } })._handle;
  const fd = handle?.fd;

  return typeof fd === 'number' && fd >= 0 ? fd : null;
}

async function findLinuxTcpPeers(clientPort: number, hubPort: number): Promise<number[]> {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    const text = await fs.promises.readFile(table, 'utf8').catch(() => '');
    for (const inode of findTcpClientInodes(text, clientPort, hubPort)) inodes.add(`socket:[${inode}]`);
  }
  if (inodes.size === 0) return [];

  return findSocketOwners(inodes);
}

/**
 * Pids whose /proc/<pid>/fd has a link to one of `links` (`socket:[inode]`).
 * Other users' processes are unreadable and skipped. Processes are read in
 * parallel because the links are many small reads that each wait on the thread pool.
 */
async function findSocketOwners(links: ReadonlySet<string>): Promise<number[]> {
  const pids = (await fs.promises.readdir('/proc')).filter((entry) => /^\d+$/.test(entry));
  const owned = await Promise.all(pids.map((pid) => holdsSocket(pid, links)));

  return pids.filter((_, index) => owned[index]).map(Number);
}

async function holdsSocket(pid: string, links: ReadonlySet<string>): Promise<boolean> {
  const descriptors = await fs.promises.readdir(`/proc/${pid}/fd`).catch(() => [] as string[]);
  const targets = await Promise.all(descriptors.map((fd) => fs.promises.readlink(`/proc/${pid}/fd/${fd}`).catch(() => '')));

  return targets.some((target) => links.has(target));
}

async function findLinuxUnixPeers(socketPath: string, fd: number | null): Promise<number[]> {
  const serverInode = fd === null ? null : await readSocketInode(fd);
  const output = await runCommand('ss', ['-xp']);

  return findSsPeerPids(parseSsUnixSockets(output), { socketPath, hubPid: process.pid, serverSocket: serverInode });
}

/** Inode of this process's socket `fd`, from the `socket:[inode]` link in /proc/self/fd. */
async function readSocketInode(fd: number): Promise<number | null> {
  const target = await fs.promises.readlink(`/proc/self/fd/${fd}`).catch(() => '');
  const match = /^socket:\[(\d+)\]$/.exec(target);

  return match ? Number(match[1]) : null;
}

async function findDarwinTcpPeers(clientPort: number): Promise<number[]> {
  const output = await runCommand('lsof', ['-nP', `-iTCP@127.0.0.1:${clientPort}`, '-sTCP:ESTABLISHED', '-Fp']);

  return findLsofTcpPeerPids(output, process.pid);
}

/**
 * NOTE: the `lsof -F` layout of Unix sockets (the `d` field as the socket's
 * kernel address, the name `->0x…` naming the peer's) follows lsof's Darwin
 * backend and was checked against constructed samples, not on a Mac.
 */
async function findDarwinUnixPeers(socketPath: string, fd: number | null): Promise<number[]> {
  const output = await runCommand('lsof', ['-nP', '-U', '-Fpfdn']);

  return findLsofUnixPeerPids(parseLsofFiles(output), { socketPath, hubPid: process.pid, serverSocket: fd });
}

/** Runs a command and resolves its stdout; `lsof` exits 1 when nothing matches, which resolves as empty output. */
function runCommand(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(command, args, { encoding: 'utf8', timeout: commandTimeoutMs, maxBuffer: 32 * 1024 * 1024 }, (error, stdout) => {
      if (error && !(command === 'lsof' && error.code === 1)) {
        reject(error);
        return;
      }

      resolve(stdout);
    });
  });
}
