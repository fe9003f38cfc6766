/**
 * Run tag in which the Python SDK records its script's process id, so the hub
 * can tell a live run from one whose script died without ending it.
 * NOTE: the pid is probed in the hub's pid namespace, so a script in a
 * container, or a pid reused by a new process, reads as alive.
 */
export const pidTagKey = 'mlops_hub.pid';

/** A run without a pid tag stops getting system metrics after this long without a write from a client, in milliseconds. */
export const defaultIdleTimeoutMs = 10 * 60_000;

/** Minimum time between two liveness checks of the followed runs, in milliseconds. */
export const defaultLivenessCheckIntervalMs = 5000;

/** Reason the hub stopped logging system metrics to a run that is still RUNNING. */
export type StopReason = 'process-exited' | 'idle';

/**
 * Returns whether a process with this pid exists. Signal 0 runs the kill(2)
 * permission and existence checks without sending anything: ESRCH means no
 * such process, EPERM means it exists but belongs to another user.
 */
export function isProcessAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code !== 'ESRCH';
  }
}

/**
 * Parses a `mlops_hub.pid` tag value; null for anything but a decimal pid of
 * at least 2. Pid 0 and negative numbers would address process groups in
 * kill(2), and pid 1 (init) never exits, so those are never probed.
 */
export function parsePidTag(value: string | undefined): number | null {
  if (value === undefined || !/^\d{1,10}$/.test(value)) return null;

  const pid = Number(value);

  return pid >= 2 && pid <= 2 ** 31 - 1 ? pid : null;
}
