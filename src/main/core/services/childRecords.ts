import fs from 'node:fs';
import path from 'node:path';

import { z } from 'zod';

import type { Logger } from '../logger';
import { terminateGroup } from './processGroup';
import { listGroupMembers, readCommandLine, readStartTime } from './processInfo';

/** One child the hub spawned, kept on disk so that the next hub can find it after a crash. */
export const childRecordSchema = z.object({
  service: z.string(),
  pid: z.number().int().positive(),
  /** Equal to `pid`: every service leads its own process group. */
  pgid: z.number().int().positive(),
  /** From `readStartTime`; compared with the live process so a reused pid is never mistaken for ours. */
  startTime: z.string(),
  /** Program and arguments as spawned. */
  command: z.array(z.string()).min(1),
  stopSignal: z.string(),
  stopTimeoutMs: z.number().int().min(0),
  /** Set when the user requested a stop, so a hub that dies while the service stops does not start it again. */
  stopRequested: z.boolean().optional(),
});

export type ChildRecord = z.output<typeof childRecordSchema>;

/** Reads the records file; a missing file is empty, and unreadable content is logged and treated as empty. */
export function readChildRecords(file: string, log: Logger): ChildRecord[] {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') log.error(`readChildRecords(): cannot read ${file}`, error);

    return [];
  }

  const parsed = z.array(childRecordSchema).safeParse(safeJsonParse(text));
  if (!parsed.success) {
    log.warn(`readChildRecords(): ignoring malformed ${file}`);

    return [];
  }

  return parsed.data;
}

/** Replaces the records file atomically (write to a temporary file, then rename). */
export function writeChildRecords(file: string, records: readonly ChildRecord[]): void {
  fs.mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });

  const temporary = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(temporary, `${JSON.stringify(records, null, 2)}\n`, { mode: 0o600 });
  fs.renameSync(temporary, file);
}

/**
 * Returns whether the live process `record.pid` is the one recorded: same start time,
 * and its command line ends with the recorded arguments and names the program.
 * An interpreter may run the program (`/usr/bin/python3 /venv/bin/mlflow server` matches `mlflow server`),
 * and a shim may exec a versioned binary (`python3.12` matches `python3`).
 */
export function isSameProcess(record: ChildRecord): boolean {
  if (readStartTime(record.pid) !== record.startTime) return false;

  const commandLine = readCommandLine(record.pid);
  if (!commandLine) return false;

  const [program, ...args] = record.command;
  const tail = commandLine.slice(commandLine.length - args.length);
  const argsMatch = args.length === 0 || (tail.length === args.length && tail.every((arg, index) => arg === args[index]));
  const programName = path.basename(program ?? '');

  return argsMatch && commandLine.some((part) => path.basename(part).startsWith(programName));
}

export type RecoveryOutcome = 'stopped' | 'gone' | 'pid-reused';

/**
 * Stops the process group of a child left by a hub that died. When the leader
 * has exited, the group can still contain grandchildren. The kernel does not
 * reuse a pid while a group with that id exists, so its members are ours.
 */
export async function stopRecordedChild(record: ChildRecord, log: Logger): Promise<RecoveryOutcome> {
  const leaderAlive = readStartTime(record.pid) !== null;
  if (leaderAlive && !isSameProcess(record)) {
    log.warn(`stopRecordedChild(): pid ${record.pid} of service ${record.service} now belongs to another process; leaving it alone`);

    return 'pid-reused';
  }
  if (!leaderAlive && listGroupMembers(record.pgid).length === 0) return 'gone';

  const { killed } = await terminateGroup(record.pgid, record.stopSignal as NodeJS.Signals, record.stopTimeoutMs);
  log.info(`stopRecordedChild(): stopped orphaned group of service ${record.service} pgid=${record.pgid}${killed ? ' with SIGKILL' : ''}`);

  return 'stopped';
}

function safeJsonParse(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
