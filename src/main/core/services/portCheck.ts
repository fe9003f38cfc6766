import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';

import { readCommandLine } from './processInfo';

/** Whether a TCP listener can bind `host:port` now. */
export function isPortFree(port: number, host = '127.0.0.1'): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host, exclusive: true }, () => {
      server.close(() => resolve(true));
    });
  });
}

/** A free loopback port chosen by the kernel. */
export function pickFreePort(host = '127.0.0.1'): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen({ port: 0, host }, () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** The process listening on a port, as far as this user may see it. */
export interface PortHolder {
  pid: number;
  command: string;
}

/** Finds who listens on a TCP port: /proc on Linux, `lsof` on macOS; null when unknown. */
export function findPortHolder(port: number, platform: NodeJS.Platform = process.platform): PortHolder | null {
  if (platform === 'linux') return findLinuxPortHolder(port);

  return findLsofPortHolder(port);
}

/** Socket inodes of listeners on `port` in a /proc/net/tcp or tcp6 table. */
export function parseListeningInodes(table: string, port: number): string[] {
  const inodes: string[] = [];
  for (const line of table.split('\n').slice(1)) {
    const fields = line.trim().split(/\s+/);
    const localAddress = fields[1];
    // Field 4 is the socket state; 0A is TCP_LISTEN.
    if (!localAddress || fields[3] !== '0A') continue;

    const localPort = parseInt(localAddress.split(':')[1] ?? '', 16);
    if (localPort === port && fields[9]) inodes.push(fields[9]);
  }

  return inodes;
}

function findLinuxPortHolder(port: number): PortHolder | null {
  const inodes = new Set<string>();
  for (const table of ['/proc/net/tcp', '/proc/net/tcp6']) {
    try {
      for (const inode of parseListeningInodes(fs.readFileSync(table, 'utf8'), port)) inodes.add(`socket:[${inode}]`);
    } catch {
      // A kernel without IPv6 has no tcp6 table.
    }
  }
  if (inodes.size === 0) return null;

  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;

    const pid = Number(entry);
    if (ownsSocket(pid, inodes)) return { pid, command: (readCommandLine(pid) ?? []).join(' ') };
  }

  return null;
}

function ownsSocket(pid: number, inodes: ReadonlySet<string>): boolean {
  let descriptors: string[];
  try {
    descriptors = fs.readdirSync(`/proc/${pid}/fd`);
  } catch {
    return false; // another user's process, or gone
  }

  return descriptors.some((fd) => {
    try {
      return inodes.has(fs.readlinkSync(`/proc/${pid}/fd/${fd}`));
    } catch {
      return false;
    }
  });
}

function findLsofPortHolder(port: number): PortHolder | null {
  let output: string;
  try {
    output = execFileSync('lsof', ['-nP', `-iTCP:${port}`, '-sTCP:LISTEN', '-Fpc'], { encoding: 'utf8' });
  } catch {
    return null; // lsof exits 1 when nothing matches
  }

  return parseLsofFields(output);
}

/** Parses `lsof -F pc` output: a `p<pid>` line followed by a `c<command>` line. */
export function parseLsofFields(output: string): PortHolder | null {
  const pidLine = output.split('\n').find((line) => line.startsWith('p'));
  const commandLine = output.split('\n').find((line) => line.startsWith('c'));
  if (!pidLine) return null;

  return { pid: Number(pidLine.slice(1)), command: commandLine?.slice(1) ?? '' };
}
