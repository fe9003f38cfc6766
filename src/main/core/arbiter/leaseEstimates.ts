import type { LeaseRecord } from './leaseRecord';

/** Ended leases per project whose run times feed queue estimates. */
const recentDurationCount = 20;

/** Run times of each project's latest ended leases, in milliseconds, for queue estimates. */
export class DurationHistory {
  private readonly durations = new Map<string, number[]>();

  /** Adds the run time of an ended lease that had been granted. */
  record(lease: LeaseRecord): void {
    if (lease.grantedAt === null || lease.endedAt === null) return;

    const durations = [...(this.durations.get(lease.project) ?? []), lease.endedAt - lease.grantedAt];
    this.durations.set(lease.project, durations.slice(-recentDurationCount));
  }

  /**
   * Expected end of a holder: its declared duration, else the median run time
   * of its project's latest leases. Null when neither exists or the holder
   * already ran past it.
   */
  expectedEndOf(lease: LeaseRecord, now: number): number | null {
    if (lease.grantedAt === null) return null;

    const sorted = [...(this.durations.get(lease.project) ?? [])].sort((a, b) => a - b);
    const durationMs = lease.expectedDurationMs ?? sorted[Math.floor(sorted.length / 2)] ?? null;
    if (durationMs === null) return null;

    const endAt = lease.grantedAt + durationMs;

    return endAt > now ? endAt : null;
  }
}
