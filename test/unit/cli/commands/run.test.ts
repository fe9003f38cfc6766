import { describe, expect, it } from 'vitest';

import type { LeaseView } from '../../../../src/common/methods/leases';
import { resolveLeaseId } from '../../../../src/main/cli/commands/leases';
import { leaseEnvironment, parseMemorySize } from '../../../../src/main/cli/commands/run';

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

describe('leaseEnvironment', () => {
  it('sets the lease id and memory limit', () => {
    const env = leaseEnvironment({ leaseId: 'lease-1', memoryLimitBytes: 2 ** 33 } as LeaseView, { PATH: '/bin' });

    expect(env).toEqual({ PATH: '/bin', MLOPS_HUB_LEASE_ID: 'lease-1', MLOPS_HUB_MEMORY_LIMIT_BYTES: String(2 ** 33) });
  });

  it('leaves out a zero memory limit', () => {
    const env = leaseEnvironment({ leaseId: 'lease-2', memoryLimitBytes: 0 } as LeaseView, { MLOPS_HUB_MEMORY_LIMIT_BYTES: '5' });

    expect(env).toEqual({ MLOPS_HUB_LEASE_ID: 'lease-2' });
  });
});
