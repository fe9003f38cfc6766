import { describe, expect, it } from 'vitest';

import { isProcessAlive, parsePidTag } from '../../../../src/main/core/hardware/runLiveness';

describe('parsePidTag', () => {
  it('accepts a decimal pid', () => {
    expect(parsePidTag('4242')).toBe(4242);
  });

  it('rejects values that kill(2) would not treat as one process', () => {
    for (const value of [undefined, '', '0', '1', '-5', '12a', '4.5', ' 42', '99999999999']) expect(parsePidTag(value), String(value)).toBeNull();
  });
});

describe('isProcessAlive', () => {
  it('finds its own process', () => {
    expect(isProcessAlive(process.pid)).toBe(true);
  });
});
