import { execFile } from 'node:child_process';
import fs from 'node:fs';

/** Process checks the arbiter needs; tests may pass a fake. */
export interface ProcessProbe {
  /** True while `pid` runs; false once it exited or is a zombie. */
  isAlive(pid: number): boolean;
  /** Start time token of `pid`, to tell a reused pid apart; null where the OS offers none cheaply. */
  readStartTime(pid: number): string | null;
  /**
   * Resident memory in bytes of each pid together with its descendants.
   * NOTE: RSS from `ps` may undercount Metal buffers on macOS; the task's
   * physical footprint (`task_info`) would be exact but needs a native call.
   */
  readTreeResidentBytes(pids: readonly number[]): Promise<Map<number, number>>;
}

export const systemProcessProbe: ProcessProbe = {
  isAlive(pid) {
    try {
      process.kill(pid, 0);
    } catch (error) {
      // EPERM: the process exists but belongs to another user.
      return (error as NodeJS.ErrnoException).code === 'EPERM';
    }

    return readProcStat(pid)?.state !== 'Z';
  },

  readStartTime(pid) {
    return readProcStat(pid)?.startTime ?? null;
  },

  async readTreeResidentBytes(pids) {
    const table = await listProcesses();

    return new Map(pids.map((pid) => [pid, sumTree(pid, table)]));
  },
};

interface ProcStat {
  state: string;
  startTime: string;
}

/**
 * Reads state and start time (clock ticks since boot, field 22) from Linux's
 * `/proc/<pid>/stat`. Returns null on macOS, which has no /proc.
 */
function readProcStat(pid: number): ProcStat | null {
  let text: string;
  try {
    text = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  } catch {
    return null;
  }

  // The command name in brackets may contain spaces; fields start after the last ')'.
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');

  return { state: fields[0] ?? '', startTime: fields[19] ?? '' };
}

interface ProcessRow {
  ppid: number;
  residentBytes: number;
}

/** Lists every process with one `ps` call: pid, parent pid and resident set size (KiB), on Linux and macOS. */
function listProcesses(): Promise<Map<number, ProcessRow>> {
  return new Promise((resolve, reject) => {
    execFile('ps', ['-A', '-o', 'pid=,ppid=,rss='], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) {
        reject(error);
        return;
      }

      resolve(parsePsOutput(stdout));
    });
  });
}

export function parsePsOutput(stdout: string): Map<number, ProcessRow> {
  const table = new Map<number, ProcessRow>();
  for (const line of stdout.split('\n')) {
    const [pid, ppid, rss] = line.trim().split(/\s+/).map(Number);
    if (pid === undefined || ppid === undefined || rss === undefined || !Number.isFinite(pid + ppid + rss)) continue;

    table.set(pid, { ppid, residentBytes: rss * 1024 });
  }

  return table;
}

/** Sums the resident bytes of `root` and every process below it. */
export function sumTree(root: number, table: ReadonlyMap<number, ProcessRow>): number {
  const children = new Map<number, number[]>();
  for (const [pid, row] of table) children.set(row.ppid, [...(children.get(row.ppid) ?? []), pid]);

  let total = 0;
  const stack = [root];
  const seen = new Set<number>();
  while (stack.length > 0) {
    const pid = stack.pop() as number;
    if (seen.has(pid)) continue;

    seen.add(pid);
    total += table.get(pid)?.residentBytes ?? 0;
    stack.push(...(children.get(pid) ?? []));
  }

  return total;
}
