import { describe, expect, it } from 'vitest';

import { formatThermalTick, toHistoryRows, toMemoryRows, toThermalRows } from '../../../../../../src/renderer/src/views/operations/hardwareRows';

describe('toThermalRows', () => {
  it('maps levels to indexes and extends the last one to the end', () => {
    const rows = toThermalRows(
      [
        { atMs: 1000, level: 'nominal' },
        { atMs: 2000, level: 'heavy' },
        { atMs: 3000, level: 'unknown' },
      ],
      5000,
    );

    expect(rows).toEqual([
      { t: 1000, level: 0 },
      { t: 2000, level: 2 },
      { t: 3000, level: null },
      { t: 5000, level: null },
    ]);
  });

  it('returns no rows without changes', () => {
    expect(toThermalRows([], 5000)).toEqual([]);
  });

  it('labels ticks by level', () => {
    expect([0, 2, 4].map(formatThermalTick)).toEqual(['nominal', 'heavy', 'sleeping']);
  });
});

describe('toMemoryRows', () => {
  it('converts bytes to GB and keeps nulls', () => {
    const sample = { timestampMs: 1, memoryUsedBytes: 3 * 2 ** 30, memoryCachedBytes: null, swapUsedBytes: 2 ** 29 };

    expect(toMemoryRows([sample as never])).toEqual([{ t: 1, used: 3, cached: null, swap: 0.5 }]);
  });
});

describe('toHistoryRows', () => {
  it('picks the aggregate and scales it', () => {
    const history = [{ minuteMs: 60_000, values: { memoryUsedBytes: { min: 0, mean: 2 ** 30, max: 2 ** 31, count: 60 } } }];

    expect(toHistoryRows(history, { used: 'memoryUsedBytes', swap: 'swapUsedBytes' }, 'max', 1 / 2 ** 30)).toEqual([{ t: 60_000, used: 2, swap: null }]);
  });
});
