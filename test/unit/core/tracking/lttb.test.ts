import { describe, expect, it } from 'vitest';

import { lttbIndices } from '../../../../src/main/core/tracking/lttb';

function range(length: number): number[] {
  return Array.from({ length }, (_, index) => index);
}

describe('lttbIndices', () => {
  it('keeps every point when there are no more than the threshold', () => {
    expect(Array.from(lttbIndices([0, 1, 2], [5, 6, 7], 10))).toEqual([0, 1, 2]);
    expect(Array.from(lttbIndices([], [], 10))).toEqual([]);
  });

  it('returns exactly threshold indices, ascending, with the first and last point', () => {
    const xs = range(10_000);
    const ys = xs.map((x) => Math.sin(x / 100));
    const keptIndices = Array.from(lttbIndices(xs, ys, 500));

    expect(keptIndices).toHaveLength(500);
    expect(keptIndices[0]).toBe(0);
    expect(keptIndices.at(-1)).toBe(9999);
    expect(keptIndices.every((index, i) => i === 0 || index > keptIndices[i - 1]!)).toBe(true);
  });

  it('keeps a single spike that a stride would drop', () => {
    const xs = range(100_000);
    const ys = xs.map((x) => (x === 54_321 ? 1000 : 0));

    expect(Array.from(lttbIndices(xs, ys, 200))).toContain(54_321);
  });

  it('keeps the minimum and maximum of a noisy series', () => {
    const xs = range(50_000);
    const ys = xs.map((x) => Math.sin(x * 12.9898) * 43758.5453 - Math.floor(Math.sin(x * 12.9898) * 43758.5453));
    ys[777] = -5;
    ys[40_000] = 7;
    const keptIndices = Array.from(lttbIndices(xs, ys, 1000));

    expect(keptIndices).toContain(777);
    expect(keptIndices).toContain(40_000);
  });

  it('never lets NaN or infinite values make the choice fail', () => {
    const xs = range(1000);
    const ys = xs.map((x) => {
      if (x % 7 === 0) return NaN;
      if (x % 11 === 0) return Infinity;
      return x;
    });
    const keptIndices = Array.from(lttbIndices(xs, ys, 50));

    expect(keptIndices).toHaveLength(50);
    expect(new Set(keptIndices).size).toBe(50);
  });

  it('handles repeated x values such as many points at step 0', () => {
    const xs = new Array<number>(1000).fill(0);
    const ys = range(1000).map((i) => (i === 500 ? 99 : 1));

    expect(Array.from(lttbIndices(xs, ys, 10))).toHaveLength(10);
  });

  it('keeps the first and last point when the threshold is below 3', () => {
    expect(Array.from(lttbIndices(range(10), range(10), 2))).toEqual([0, 9]);
  });
});
