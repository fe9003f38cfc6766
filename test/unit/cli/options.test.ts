import { InvalidArgumentError } from 'commander';
import { describe, expect, it } from 'vitest';

import { formatTable, formatTime, parseIntegerOption } from '../../../src/main/cli/options';

describe('parseIntegerOption', () => {
  const parsePort = parseIntegerOption('--port', 0, 65535);

  it('accepts integers in range', () => {
    expect(parsePort('0')).toBe(0);
    expect(parsePort('5180')).toBe(5180);
    expect(parsePort('65535')).toBe(65535);
  });

  it.each(['-1', '65536', '1.5', 'abc', '', '0x10', '1e3'])('rejects %j', (value) => {
    expect(() => parsePort(value)).toThrow(InvalidArgumentError);
    expect(() => parsePort(value)).toThrow(`\`--port\` must be an integer from 0 to 65535; got \`${value}\``);
  });
});

describe('formatTable', () => {
  it('pads columns to the widest cell', () => {
    expect(formatTable([['NAME', 'RUNS'], ['digits', '3']])).toBe('NAME    RUNS\ndigits  3');
  });
});

describe('formatTime', () => {
  it('prints a dash for missing times', () => {
    expect(formatTime(null)).toBe('-');
    expect(formatTime(0)).toBe('-');
  });

  it('prints local date and minutes', () => {
    expect(formatTime(new Date(2026, 0, 2, 3, 4).getTime())).toBe('2026-01-02 03:04');
  });
});
