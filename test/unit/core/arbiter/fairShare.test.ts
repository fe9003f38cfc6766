import { describe, expect, it } from 'vitest';

import { allocateByDrf, computeProjectShares, weightedDominantShare } from '../../../../src/main/core/arbiter/fairShare';
import { dominantShareOf, type Resources } from '../../../../src/main/core/arbiter/resources';

function vector(memoryGb: number, cpuCores: number, gpuShare = 0, neuralEngine = 0): Resources {
  return { memoryGb, cpuCores, gpuShare, neuralEngine };
}

describe('allocateByDrf', () => {
  it('reproduces the DRF paper example', () => {
    // 9 CPUs and 18 GB; A's tasks need 1 CPU and 4 GB, B's need 3 CPUs and 1 GB.
    const allocation = allocateByDrf(
      [
        { project: 'a', weight: 1, task: vector(4, 1) },
        { project: 'b', weight: 1, task: vector(1, 3) },
      ],
      vector(18, 9),
    );

    expect(allocation.tasks.get('a')).toBe(3);
    expect(allocation.tasks.get('b')).toBe(2);
  });

  it('gives every project its sharing-incentive share', () => {
    const capacity = vector(64, 10, 1, 1);
    const demands = [
      { project: 'lora', weight: 1, task: vector(8, 1, 0.25) },
      { project: 'diffusion', weight: 1, task: vector(2, 2, 0.1) },
      { project: 'quantize', weight: 1, task: vector(1, 1, 0.05) },
    ];
    const allocation = allocateByDrf(demands, capacity);

    // With 1/n of every resource alone, a project could run floor(min over resources of (capacity/n)/task) tasks.
    for (const demand of demands) {
      const alone = Math.min(...(['memoryGb', 'cpuCores', 'gpuShare'] as const).map((name) => Math.floor(capacity[name] / demands.length / demand.task[name])));
      expect(allocation.tasks.get(demand.project)).toBeGreaterThanOrEqual(alone);
    }
  });

  it('leaves no envy between equal weights', () => {
    const capacity = vector(48, 12, 1);
    const demands = [
      { project: 'a', weight: 1, task: vector(6, 1, 0.1) },
      { project: 'b', weight: 1, task: vector(1, 2, 0.2) },
      { project: 'c', weight: 1, task: vector(3, 3, 0) },
    ];
    const allocation = allocateByDrf(demands, capacity);

    // Envy-free: no project could run more of its own tasks with another's allocation.
    for (const demand of demands) {
      const own = allocation.tasks.get(demand.project) ?? 0;
      for (const other of demands) {
        if (other.project === demand.project) continue;
        const theirs = allocation.usage.get(other.project) ?? vector(0, 0);
        const fitInTheirs = Math.min(
          ...(['memoryGb', 'cpuCores', 'gpuShare'] as const).filter((name) => demand.task[name] > 0).map((name) => Math.floor(theirs[name] / demand.task[name] + 1e-9)),
        );
        expect(fitInTheirs).toBeLessThanOrEqual(own);
      }
    }
  });

  it('gives a double weight about twice the dominant share', () => {
    const capacity = vector(90, 90);
    const allocation = allocateByDrf(
      [
        { project: 'heavy', weight: 2, task: vector(1, 1) },
        { project: 'light', weight: 1, task: vector(1, 1) },
      ],
      capacity,
    );

    expect(allocation.tasks.get('heavy')).toBe(60);
    expect(allocation.tasks.get('light')).toBe(30);
  });

  it('stops at maxTasks and hands the rest on', () => {
    const allocation = allocateByDrf(
      [
        { project: 'small', weight: 1, task: vector(1, 1), maxTasks: 2 },
        { project: 'big', weight: 1, task: vector(1, 1) },
      ],
      vector(10, 10),
    );

    expect(allocation.tasks.get('small')).toBe(2);
    expect(allocation.tasks.get('big')).toBe(8);
  });
});

describe('computeProjectShares', () => {
  it('orders projects by weighted dominant share', () => {
    const capacity = vector(32, 8, 1, 1);
    const holdings = new Map([
      ['a', vector(16, 1)],
      ['b', vector(4, 1, 0.25)],
    ]);
    const shares = computeProjectShares(holdings, capacity, (project) => (project === 'a' ? 4 : 1));

    expect(shares.map((share) => share.project)).toEqual(['a', 'b']);
    expect(shares[0]?.dominantShare).toBe(0.5);
    expect(shares[0]?.weightedShare).toBe(0.125);
    expect(shares[1]?.weightedShare).toBe(0.25);
  });

  it('counts the exclusive Neural Engine as a full share', () => {
    expect(dominantShareOf(vector(1, 1, 0, 1), vector(32, 8, 1, 1))).toBe(1);
    expect(weightedDominantShare(vector(1, 1, 0, 1), vector(32, 8, 1, 1), 2)).toBe(0.5);
  });
});
