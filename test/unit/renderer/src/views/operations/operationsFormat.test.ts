import { describe, expect, it } from 'vitest';

import { formatGigabytes, formatMemory } from '../../../../../../src/renderer/src/views/operations/operationsFormat';

describe('formatGigabytes', () => {
  it('labels binary gigabytes as GiB like the CLI', () => {
    expect(formatGigabytes(23.5 * 2 ** 30)).toBe('23.5 GiB');
    expect(formatGigabytes(8 * 2 ** 30)).toBe('8.0 GiB');
  });

  it('shows a dash when unknown', () => {
    expect(formatGigabytes(null)).toBe('–');
  });
});

describe('formatMemory', () => {
  it('uses MiB below one GiB', () => {
    expect(formatMemory(84 * 2 ** 20)).toBe('84 MiB');
    expect(formatMemory(1.3 * 2 ** 30)).toBe('1.3 GiB');
  });
});
