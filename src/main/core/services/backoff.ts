import type { BackoffPolicy, ServiceDefinition } from './definition';

/** Whether the restart policy restarts a process that exited with `exitCode` or was killed by `signal`. */
export function shouldRestart(policy: ServiceDefinition['restart'], exitCode: number | null, signal: string | null): boolean {
  if (policy === 'never') return false;
  if (policy === 'always') return true;

  return exitCode !== 0 || signal !== null;
}

/**
 * Restart delays and the crash-loop limit of one service. The first restart
 * after a stable run is immediate; each further one waits longer.
 */
export class RestartBudget {
  private consecutive = 0;
  private crashTimes: number[] = [];

  constructor(private readonly policy: BackoffPolicy) {}

  /**
   * Records a crash at `nowMs` of a process that ran `uptimeMs`. Returns the
   * delay before the restart in milliseconds, or null when the crash-loop limit is reached.
   */
  recordCrash(nowMs: number, uptimeMs: number): number | null {
    if (uptimeMs >= this.policy.resetAfterMs) this.reset();

    this.consecutive += 1;
    this.crashTimes = this.crashTimes.filter((time) => nowMs - time < this.policy.windowMs);
    this.crashTimes.push(nowMs);
    if (this.crashTimes.length > this.policy.maxRestarts) return null;

    return this.delayFor(this.consecutive);
  }

  /** Forgets past crashes, as after a manual start. */
  reset(): void {
    this.consecutive = 0;
    this.crashTimes = [];
  }

  /** Crashes counted in the current window. */
  get recentCrashes(): number {
    return this.crashTimes.length;
  }

  private delayFor(attempt: number): number {
    if (attempt <= 1) return 0;

    const delay = this.policy.initialMs * this.policy.factor ** (attempt - 2);

    return Math.min(this.policy.maxMs, Math.round(delay));
  }
}
