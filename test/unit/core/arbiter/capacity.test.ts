import { describe, expect, it } from 'vitest';

import { defaultMemoryBudgetGb, resolveCapacity } from '../../../../src/main/core/arbiter/capacity';

const gib = 2 ** 30;

describe('defaultMemoryBudgetGb', () => {
  it('takes two thirds up to 36 GB', () => {
    expect(defaultMemoryBudgetGb(16 * gib)).toBe(10.7);
    expect(defaultMemoryBudgetGb(36 * gib)).toBe(24);
  });

  it('takes three quarters above 36 GB', () => {
    expect(defaultMemoryBudgetGb(64 * gib)).toBe(48);
    expect(defaultMemoryBudgetGb(128 * gib)).toBe(96);
  });
});

describe('resolveCapacity', () => {
  it('prefers the option over the environment', () => {
    expect(resolveCapacity({ memoryGb: 12, cpuCores: 4 }, { MLOPS_HUB_LEASE_MEMORY_GB: '20' })).toEqual({ memoryGb: 12, gpuShare: 1, neuralEngine: 1, cpuCores: 4 });
  });

  it('reads MLOPS_HUB_LEASE_MEMORY_GB', () => {
    expect(resolveCapacity({ cpuCores: 4 }, { MLOPS_HUB_LEASE_MEMORY_GB: '20' }).memoryGb).toBe(20);
  });

  it('ignores an invalid environment value', () => {
    expect(resolveCapacity({ totalMemoryBytes: 16 * gib }, { MLOPS_HUB_LEASE_MEMORY_GB: 'lots' }).memoryGb).toBe(10.7);
    expect(resolveCapacity({ totalMemoryBytes: 16 * gib }, { MLOPS_HUB_LEASE_MEMORY_GB: '-4' }).memoryGb).toBe(10.7);
  });
});
