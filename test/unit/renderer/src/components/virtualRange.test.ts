import { describe, expect, it } from 'vitest';

import { computeVisibleRange } from '../../../../../src/renderer/src/components/virtualRange';

describe('computeVisibleRange', () => {
  it('covers the viewport plus overscan at the top', () => {
    expect(computeVisibleRange(0, 300, 30, 10_000, 5)).toEqual({ start: 0, count: 16 });
  });

  it('starts overscan rows above the first visible row', () => {
    expect(computeVisibleRange(3000, 300, 30, 10_000, 5)).toEqual({ start: 95, count: 21 });
  });

  it('stops at the last row when scrolled to the bottom', () => {
    const range = computeVisibleRange(10_000 * 30 - 300, 300, 30, 10_000, 5);

    expect(range.start + range.count).toBe(10_000);
    expect(range.count).toBeLessThan(30);
  });

  it('returns nothing for an empty list', () => {
    expect(computeVisibleRange(500, 300, 30, 0, 5)).toEqual({ start: 0, count: 0 });
  });

  it('clamps a scroll offset beyond the end', () => {
    const range = computeVisibleRange(1_000_000, 300, 30, 20, 5);

    expect(range.start + range.count).toBe(20);
    expect(range.count).toBeGreaterThan(0);
  });
});
