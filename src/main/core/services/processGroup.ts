import { execa, type ResultPromise } from 'execa';

import { listGroupMembers } from './processInfo';

export interface SpawnRequest {
  file: string;
  args: readonly string[];
  cwd: string;
  /** The whole environment of the child; the hub's own is not inherited. */
  env: Record<string, string>;
}

export type GroupChild = ResultPromise<{ detached: true; buffer: false; reject: false; stdin: 'ignore'; cleanup: false; extendEnv: false }>;

/**
 * Spawns a program as the leader of a new process group (`detached`), so a
 * signal aimed at the hub never reaches it and `-pid` reaches all its descendants.
 */
export function spawnGroup(request: SpawnRequest): GroupChild {
  return execa(request.file, request.args, {
    cwd: request.cwd,
    env: request.env,
    extendEnv: false,
    detached: true,
    buffer: false,
    reject: false,
    stdin: 'ignore',
    // The supervisor stops groups itself; execa's exit hook would signal only the leader.
    cleanup: false,
  });
}

/** Exit of a group leader: code or signal, or the error that kept it from spawning. */
export interface LeaderExit {
  exitCode?: number | undefined;
  signal?: string | undefined;
  failed: boolean;
  message?: string | undefined;
}

/**
 * Resolves when the leader exits or fails to spawn. It does not wait for
 * stdout and stderr to close, because a descendant that left the group
 * (`setsid`) keeps them open for as long as it lives.
 */
export function waitForLeaderExit(child: GroupChild): Promise<LeaderExit> {
  // reject: false makes execa resolve; its result is not used because it waits for the pipes.
  void child.then(undefined, () => undefined);

  return new Promise((resolve) => {
    child.once('exit', (code, signal) => resolve({ exitCode: code ?? undefined, signal: signal ?? undefined, failed: code !== 0 }));
    child.once('error', (error) => resolve({ failed: true, message: error.message }));
  });
}

/**
 * Stops reading the leader's stdout and stderr after it exited: output still
 * buffered arrives within `graceMs`. Pipes that an escaped descendant keeps
 * open are then destroyed, so they keep neither the service nor the hub alive.
 */
export function releasePipes(child: GroupChild, graceMs = 1000): void {
  const timer = setTimeout(() => {
    child.stdout.destroy();
    child.stderr.destroy();
  }, graceMs);
  child.once('close', () => clearTimeout(timer));
}

/** Sends a signal to every process of a group; false when the group no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);

    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;

    throw error;
  }
}

/** Returns whether any live (non-zombie) process remains in the group. */
export function isGroupAlive(pgid: number): boolean {
  return listGroupMembers(pgid).length > 0;
}

/** Waits until the group has no live process or the deadline passes; true when it is gone. */
export async function waitForGroupExit(pgid: number, deadlineMs: number, pollMs = 50): Promise<boolean> {
  const end = Date.now() + deadlineMs;
  while (isGroupAlive(pgid)) {
    if (Date.now() >= end) return false;

    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }

  return true;
}

export interface TerminateResult {
  /** True when the group ignored the stop signal until the deadline and was killed with SIGKILL. */
  killed: boolean;
}

/**
 * Sends `signal` to the whole group, waits up to `deadlineMs`, then sends
 * SIGKILL to the group so grandchildren that ignore the signal die too.
 */
export async function terminateGroup(pgid: number, signal: NodeJS.Signals, deadlineMs: number): Promise<TerminateResult> {
  if (!signalGroup(pgid, signal)) return { killed: false };
  if (await waitForGroupExit(pgid, deadlineMs)) return { killed: false };

  signalGroup(pgid, 'SIGKILL');
  await waitForGroupExit(pgid, 5000);

  return { killed: true };
}
