import { describe, expect, it } from 'vitest';

import { formatAge, formatDuration, formatMetric } from '../../../../src/renderer/src/format';

describe('formatMetric', () => {
  it('rounds to four decimals and keeps special values', () => {
    expect(formatMetric(0.944444)).toBe('0.9444');
    expect(formatMetric(0.95)).toBe('0.95');
    expect(formatMetric(6266)).toBe('6266');
    expect(formatMetric(1.5e-7)).toBe('1.500e-7');
    expect(formatMetric('NaN')).toBe('NaN');
    expect(formatMetric(undefined)).toBe('');
  });
});

describe('formatDuration', () => {
  it('picks a unit for the length', () => {
    expect(formatDuration(12_340)).toBe('12.3s');
    expect(formatDuration(185_000)).toBe('3m 05s');
    expect(formatDuration(3_720_000)).toBe('1h 02m');
    expect(formatDuration(null)).toBe('–');
  });
});

describe('formatAge', () => {
  it('formats the age of a time', () => {
    expect(formatAge(null, 0)).toBe('never');
    expect(formatAge(1_000, 10_000)).toBe('just now');
    expect(formatAge(0, 5 * 60_000)).toBe('5 min ago');
  });
});
