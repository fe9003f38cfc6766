import { type Statement } from 'better-sqlite3';

import { type HardwareSample, type HistoryMinute, type MinuteAggregate, thermalPressureLevels } from '../../../common/methods/hardware';
import { type Logger } from '../logger';
import { type Db } from '../storage/database';

/** Full-rate samples kept in memory, in milliseconds (15 minutes). */
export const liveWindowMs = 15 * 60_000;
/** Per-minute aggregates kept in the store, in milliseconds (30 days). */
export const historyRetentionMs = 30 * 24 * 60 * 60_000;
const minuteMs = 60_000;

/** Quantities aggregated per minute; `thermalPressureLevel` is the level's index, 0 nominal .. 4 sleeping. */
export const aggregatedQuantities = [
  'cpuUsageRatio',
  'cpuPowerWatts',
  'gpuPowerWatts',
  'anePowerWatts',
  'gpuActiveRatio',
  'gpuFreqMhz',
  'cpuTempCelsius',
  'gpuTempCelsius',
  'memoryUsedBytes',
  'swapUsedBytes',
  'thermalPressureLevel',
] as const;

type Quantity = (typeof aggregatedQuantities)[number];

function readQuantity(sample: HardwareSample, quantity: Quantity): number | null {
  if (quantity === 'thermalPressureLevel') return sample.thermalPressure === null ? null : thermalPressureLevels.indexOf(sample.thermalPressure);

  return sample[quantity];
}

export interface SampleHistoryOptions {
  db: Db;
  log: Logger;
  now?: () => number;
}

/**
 * The last 15 minutes of samples at full rate in memory, and per-minute
 * min/mean/max per quantity in the `hardware_minutes` table for 30 days.
 * A minute is written when the first sample of a later minute arrives, and on `flush()`.
 */
export class SampleHistory {
  private readonly live: HardwareSample[] = [];
  private liveStart = 0;
  private pendingMinute: number | null = null;
  private pending = new Map<Quantity, MinuteAggregate>();
  private readonly upsert: Statement;
  private readonly prune: Statement;
  private readonly select: Statement;
  private readonly now: () => number;

  constructor(private readonly options: SampleHistoryOptions) {
    this.now = options.now ?? Date.now;
    // A minute flushed twice (a restart inside the same minute) merges into one row.
    this.upsert = options.db.prepare(
      `INSERT INTO hardware_minutes (minute_ms, quantity, min, mean, max, count) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (minute_ms, quantity) DO UPDATE SET
         mean = (mean * count + excluded.mean * excluded.count) / (count + excluded.count),
         min = MIN(min, excluded.min), max = MAX(max, excluded.max), count = count + excluded.count`,
    );
    this.prune = options.db.prepare('DELETE FROM hardware_minutes WHERE minute_ms < ?');
    this.select = options.db.prepare('SELECT minute_ms, quantity, min, mean, max, count FROM hardware_minutes WHERE minute_ms >= ? AND minute_ms <= ? ORDER BY minute_ms');
  }

  add(sample: HardwareSample): void {
    this.live.push(sample);
    this.trimLive(sample.timestampMs);

    const minute = Math.floor(sample.timestampMs / minuteMs) * minuteMs;
    if (this.pendingMinute !== null && minute !== this.pendingMinute) this.flush();
    this.pendingMinute = minute;
    for (const quantity of aggregatedQuantities) {
      const value = readQuantity(sample, quantity);
      if (value !== null) this.pending.set(quantity, merge(this.pending.get(quantity), value));
    }
  }

  /** Returns the latest `count` samples, oldest first. */
  latest(count: number): HardwareSample[] {
    const start = Math.max(this.liveStart, this.live.length - count);

    return this.live.slice(start);
  }

  get liveCount(): number {
    return this.live.length - this.liveStart;
  }

  /** Writes the minute in progress and drops rows older than 30 days. */
  flush(): void {
    const minute = this.pendingMinute;
    if (minute === null || this.pending.size === 0) return;

    const rows = [...this.pending.entries()];
    this.pending = new Map();
    try {
      this.options.db.transaction(() => {
        for (const [quantity, aggregate] of rows) this.upsert.run(minute, quantity, aggregate.min, aggregate.mean, aggregate.max, aggregate.count);
        this.prune.run(this.now() - historyRetentionMs);
      })();
    } catch (error) {
      this.options.log.error(`flush(): writing the aggregates of minute ${new Date(minute).toISOString()} failed`, error);
    }
  }

  /** Per-minute aggregates between two times (milliseconds since the Unix epoch), including the minute in progress. */
  history(fromMs: number, toMs: number): HistoryMinute[] {
    const fromMinute = Math.floor(fromMs / minuteMs) * minuteMs;
    const rows = this.select.all(fromMinute, toMs) as { minute_ms: number; quantity: string; min: number; mean: number; max: number; count: number }[];
    const minutes = new Map<number, HistoryMinute>();
    for (const row of rows) {
      const entry = minutes.get(row.minute_ms) ?? { minuteMs: row.minute_ms, values: {} };
      entry.values[row.quantity] = { min: row.min, mean: row.mean, max: row.max, count: row.count };
      minutes.set(row.minute_ms, entry);
    }

    const pendingMinute = this.pendingMinute;
    if (pendingMinute !== null && this.pending.size > 0 && pendingMinute >= fromMinute && pendingMinute <= toMs && !minutes.has(pendingMinute)) {
      minutes.set(pendingMinute, { minuteMs: pendingMinute, values: Object.fromEntries(this.pending) });
    }

    return [...minutes.values()].sort((a, b) => a.minuteMs - b.minuteMs);
  }

  private trimLive(latestMs: number): void {
    while (this.liveStart < this.live.length && (this.live[this.liveStart] as HardwareSample).timestampMs < latestMs - liveWindowMs) this.liveStart++;

    // Compact now and then so the array does not grow without bound.
    if (this.liveStart > 1024 && this.liveStart > this.live.length / 2) {
      this.live.splice(0, this.liveStart);
      this.liveStart = 0;
    }
  }
}

function merge(aggregate: MinuteAggregate | undefined, value: number): MinuteAggregate {
  if (!aggregate) return { min: value, mean: value, max: value, count: 1 };

  const count = aggregate.count + 1;

  return { min: Math.min(aggregate.min, value), max: Math.max(aggregate.max, value), mean: aggregate.mean + (value - aggregate.mean) / count, count };
}
