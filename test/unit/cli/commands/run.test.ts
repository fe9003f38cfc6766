import { describe, expect, it } from 'vitest';

import type { LeaseView } from '../../../../src/common/methods/leases';
import { resolveLeaseId } from '../../../../src/main/cli/commands/leases';
import { parseMemorySize } from '../../../../src/main/cli/commands/run';

describe('parseMemorySize', () => {
  it('reads GB and MB sizes', () => {
    expect(parseMemorySize('8')).toBe(8);
    expect(parseMemorySize('8G')).toBe(8);
    expect(parseMemorySize('12gb')).toBe(12);
    expect(parseMemorySize('1.5GiB')).toBe(1.5);
    expect(parseMemorySize('512M')).toBe(0.5);
  });

  it('rejects invalid sizes', () => {
    for (const value of ['-3', '0', 'lots', '8T', '']) expect(() => parseMemorySize(value)).toThrow('`--memory` must be a positive size such as 8G or 512M');
  });
});

describe('resolveLeaseId', () => {
  const leases = [{ leaseId: 'abc123' }, { leaseId: 'abd456' }] as LeaseView[];

  it('accepts a unique prefix', () => {
    expect(resolveLeaseId('abc', leases)).toBe('abc123');
  });

  it('rejects an ambiguous prefix', () => {
    expect(() => resolveLeaseId('ab', leases)).toThrow('2 leases start with `ab`');
  });

  it('rejects an unknown prefix', () => {
    expect(() => resolveLeaseId('zz', leases)).toThrow('no lease id starts with `zz`');
  });
});
