import { type MetricHistory } from '../../../common/methods/tracking';

interface CacheEntry {
  version: number;
  history: MetricHistory;
}

/**
 * Keeps the downsampled histories of long metrics, so that reopening a chart
 * of a 1,000,000-point metric skips reading it again. An entry is valid while
 * its run's metric write version (bumped by every log request that writes
 * points to the run) is unchanged. Least recently used entries go first.
 */
export class MetricHistoryCache {
  private readonly entries = new Map<string, CacheEntry>();

  constructor(
    private readonly maxEntries = 32,
    /** Histories with fewer stored points are cheap to read again and are not kept. */
    private readonly minPoints = 10_000,
  ) {}

  get(runId: string, key: string, maxPoints: number, version: number): MetricHistory | undefined {
    const cacheKey = toCacheKey(runId, key, maxPoints);
    const entry = this.entries.get(cacheKey);
    if (entry === undefined || entry.version !== version) return undefined;

    // Re-insert so that Map order stays least recently used first.
    this.entries.delete(cacheKey);
    this.entries.set(cacheKey, entry);

    return entry.history;
  }

  set(runId: string, key: string, maxPoints: number, version: number, history: MetricHistory): void {
    if (history.totalPoints < this.minPoints) return;

    this.entries.set(toCacheKey(runId, key, maxPoints), { version, history });
    for (const oldest of this.entries.keys()) {
      if (this.entries.size <= this.maxEntries) break;
      this.entries.delete(oldest);
    }
  }

  get size(): number {
    return this.entries.size;
  }
}

function toCacheKey(runId: string, key: string, maxPoints: number): string {
  return `${runId}\u0000${key}\u0000${maxPoints}`;
}
