import { describe, expect, it } from 'vitest';

import { agedRank, describeRank, effectiveRank, maxRankWaitMs } from '../../../../src/main/core/arbiter/priorities';

describe('effectiveRank', () => {
  it('orders fresh classes high over normal over low', () => {
    expect(effectiveRank('high', 0, 1000)).toBeGreaterThan(effectiveRank('normal', 0, 1000));
    expect(effectiveRank('normal', 0, 1000)).toBeGreaterThan(effectiveRank('low', 0, 1000));
  });

  it('raises a rank one step per aging period', () => {
    expect(effectiveRank('low', 999, 1000)).toBe(0);
    expect(effectiveRank('low', 1000, 1000)).toBe(1);
    expect(effectiveRank('low', 2500, 1000)).toBe(2);
  });

  it('caps every class at the aged rank', () => {
    expect(effectiveRank('low', 10_000_000, 1000)).toBe(agedRank);
    expect(effectiveRank('high', 10_000_000, 1000)).toBe(agedRank);
  });

  it('bounds the time to the aged rank', () => {
    for (const priority of ['high', 'normal', 'low'] as const) {
      const bound = maxRankWaitMs(priority, 60_000);
      expect(effectiveRank(priority, bound, 60_000)).toBe(agedRank);
      expect(effectiveRank(priority, bound - 1, 60_000)).toBeLessThan(agedRank);
    }
  });

  it('turns aging off with a zero period', () => {
    expect(effectiveRank('low', 1e12, 0)).toBe(0);
  });

  it('names ranks', () => {
    expect(describeRank(0)).toBe('low');
    expect(describeRank(2)).toBe('high');
    expect(describeRank(agedRank)).toBe('aged');
  });
});
