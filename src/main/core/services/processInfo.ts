import { execFileSync } from 'node:child_process';
import fs from 'node:fs';

/** Clock ticks per second of /proc CPU times; 100 on every mainstream Linux build (USER_HZ). */
const linuxTicksPerSecond = 100;

/** One process as read from /proc (Linux) or `ps` (macOS). */
export interface ProcessSnapshot {
  pid: number;
  pgid: number;
  /** Opaque start time: clock ticks since boot on Linux, `ps -o lstart` text on macOS. */
  startTime: string;
  /** User plus system CPU time in seconds. */
  cpuSeconds: number;
  rssBytes: number;
  zombie: boolean;
}

/** Reads one process; null when it does not exist. */
export function readProcess(pid: number, platform: NodeJS.Platform = process.platform): ProcessSnapshot | null {
  if (platform === 'linux') return readLinuxProcess(pid);

  return listProcesses(platform).find((entry) => entry.pid === pid) ?? null;
}

/** Start time of a process, to tell it apart from a later process that reuses its pid; null when it is gone. */
export function readStartTime(pid: number, platform: NodeJS.Platform = process.platform): string | null {
  const snapshot = readProcess(pid, platform);

  return snapshot && !snapshot.zombie ? snapshot.startTime : null;
}

/** Command line of a process as its arguments; null when it is gone. */
export function readCommandLine(pid: number, platform: NodeJS.Platform = process.platform): string[] | null {
  try {
    if (platform === 'linux') {
      const raw = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');

      return raw.split('\0').filter((part) => part.length > 0);
    }
    const output = execFileSync('ps', ['-o', 'command=', '-p', String(pid)], { encoding: 'utf8' }).trim();

    return output ? output.split(/\s+/) : null;
  } catch {
    return null;
  }
}

/** Live (non-zombie) members of a process group. */
export function listGroupMembers(pgid: number, platform: NodeJS.Platform = process.platform): ProcessSnapshot[] {
  return listProcesses(platform).filter((entry) => entry.pgid === pgid && !entry.zombie);
}

/** Every process visible to this user. */
export function listProcesses(platform: NodeJS.Platform = process.platform): ProcessSnapshot[] {
  if (platform !== 'linux') return listPsProcesses();

  const snapshots: ProcessSnapshot[] = [];
  for (const entry of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;

    const snapshot = readLinuxProcess(Number(entry));
    if (snapshot) snapshots.push(snapshot);
  }

  return snapshots;
}

/** Parses one /proc/<pid>/stat line; the command in parentheses may itself contain spaces and parentheses. */
export function parseProcStat(line: string, pageSizeBytes = 4096): ProcessSnapshot | null {
  const close = line.lastIndexOf(')');
  if (close < 0) return null;

  const pid = Number(line.slice(0, line.indexOf(' ')));
  // Fields after the command start at field 3 (state), so field N is at index N - 3.
  const fields = line.slice(close + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);

  return {
    pid,
    pgid: Number(fields[2]),
    startTime: fields[19] ?? '',
    cpuSeconds: ticks / linuxTicksPerSecond,
    rssBytes: Number(fields[21]) * pageSizeBytes,
    zombie: fields[0] === 'Z' || fields[0] === 'X',
  };
}

function readLinuxProcess(pid: number): ProcessSnapshot | null {
  try {
    return parseProcStat(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return null;
  }
}

function listPsProcesses(): ProcessSnapshot[] {
  let output: string;
  try {
    output = execFileSync('ps', ['-A', '-o', 'pid=,pgid=,stat=,rss=,time=,lstart='], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  } catch {
    return [];
  }

  return output
    .split('\n')
    .map(parsePsLine)
    .filter((entry): entry is ProcessSnapshot => entry !== null);
}

/** Parses a `ps -o pid=,pgid=,stat=,rss=,time=,lstart=` line (rss in KiB, time as [dd-]hh:mm:ss or mm:ss.cc). */
export function parsePsLine(line: string): ProcessSnapshot | null {
  const match = /^\s*(\d+)\s+(\d+)\s+(\S+)\s+(\d+)\s+(\S+)\s+(.+?)\s*$/.exec(line);
  if (!match) return null;

  return {
    pid: Number(match[1]),
    pgid: Number(match[2]),
    startTime: match[6] ?? '',
    cpuSeconds: parsePsTime(match[5] ?? '0'),
    rssBytes: Number(match[4]) * 1024,
    zombie: (match[3] ?? '').startsWith('Z'),
  };
}

function parsePsTime(text: string): number {
  const [dayPart, clock] = text.includes('-') ? text.split('-') : ['0', text];

  const parts = (clock ?? '0').split(':').map(Number);
  const seconds = parts.reduce((total, part) => total * 60 + part, 0);

  return Number(dayPart) * 86_400 + seconds;
}
