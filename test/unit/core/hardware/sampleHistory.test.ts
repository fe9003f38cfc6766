import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { migrationsOf, openMemoryDb } from './dbFixture';
import { SampleHistory, liveWindowMs, historyRetentionMs } from '../../../../src/main/core/hardware/sampleHistory';
import { createSilentLogger } from '../../../../src/main/core/logger';
import { type Db } from '../../../../src/main/core/storage/database';
import { makeSample } from './sampleFactory';

const minute = 60_000;
const base = 1_700_000_040_000 - (1_700_000_040_000 % minute);
let db: Db;

beforeEach(() => {
  db = openMemoryDb(migrationsOf('hardware'));
});

afterEach(() => {
  db.close();
});

describe('SampleHistory', () => {
  it('aggregates one minute into min, mean and max', () => {
    const history = new SampleHistory({ db, log: createSilentLogger(), now: () => base });
    for (const [offset, watts] of [[0, 10], [20_000, 20], [40_000, 30]] as const) history.add(makeSample({ timestampMs: base + offset, cpuPowerWatts: watts }));
    history.add(makeSample({ timestampMs: base + minute, cpuPowerWatts: 5 }));

    const [first] = history.history(base, base + minute - 1);

    expect(first?.minuteMs).toBe(base);
    expect(first?.values['cpuPowerWatts']).toEqual({ min: 10, mean: 20, max: 30, count: 3 });
    expect(first?.values['gpuPowerWatts']).toBeUndefined();
  });

  it('includes the minute in progress', () => {
    const history = new SampleHistory({ db, log: createSilentLogger(), now: () => base });
    history.add(makeSample({ timestampMs: base, thermalPressure: 'heavy' }));

    const minutes = history.history(base, base + minute);

    expect(minutes).toHaveLength(1);
    expect(minutes[0]?.values['thermalPressureLevel']?.max).toBe(2);
  });

  it('merges a minute flushed twice', () => {
    const history = new SampleHistory({ db, log: createSilentLogger(), now: () => base });
    history.add(makeSample({ timestampMs: base, cpuPowerWatts: 10 }));
    history.flush();
    history.add(makeSample({ timestampMs: base + 1000, cpuPowerWatts: 30 }));
    history.flush();

    expect(history.history(base, base)[0]?.values['cpuPowerWatts']).toEqual({ min: 10, mean: 20, max: 30, count: 2 });
  });

  it('drops rows older than 30 days on flush', () => {
    let now = base;
    const history = new SampleHistory({ db, log: createSilentLogger(), now: () => now });
    history.add(makeSample({ timestampMs: base, cpuPowerWatts: 1 }));
    history.flush();
    now = base + historyRetentionMs + 2 * minute;
    history.add(makeSample({ timestampMs: now, cpuPowerWatts: 2 }));
    history.flush();

    expect(history.history(0, now).map((entry) => entry.minuteMs)).toEqual([now - (now % minute)]);
  });

  it('keeps 15 minutes of samples at full rate', () => {
    const history = new SampleHistory({ db, log: createSilentLogger(), now: () => base });
    const count = 16 * 60 * 10;
    for (let index = 0; index < count; index++) history.add(makeSample({ timestampMs: base + index * 100 }));

    const live = history.latest(100_000);

    expect(live.length).toBe(liveWindowMs / 100 + 1);
    expect(live[live.length - 1]?.timestampMs).toBe(base + (count - 1) * 100);
    expect(history.latest(3).map((sample) => sample.timestampMs)).toEqual([base + (count - 3) * 100, base + (count - 2) * 100, base + (count - 1) * 100]);
  });
});
