import { describe, expect, it } from 'vitest';

import { RestartBudget, shouldRestart } from '../../../../src/main/core/services/backoff';
import { backoffSchema } from '../../../../src/main/core/services/definition';

describe('RestartBudget', () => {
  it('restarts at once, then doubles the delay up to the cap', () => {
    const budget = new RestartBudget(backoffSchema.parse({ initialMs: 100, factor: 2, maxMs: 350, maxRestarts: 10 }));

    const delays = [0, 1, 2, 3, 4].map((index) => budget.recordCrash(1000 + index, 10));

    expect(delays).toEqual([0, 100, 200, 350, 350]);
  });

  it('resets after a stable run', () => {
    const budget = new RestartBudget(backoffSchema.parse({ initialMs: 100, resetAfterMs: 30_000 }));
    budget.recordCrash(0, 10);
    budget.recordCrash(1, 10);

    expect(budget.recordCrash(40_000, 35_000)).toBe(0);
    expect(budget.recentCrashes).toBe(1);
  });

  it('returns null past the crash-loop limit', () => {
    const budget = new RestartBudget(backoffSchema.parse({ maxRestarts: 2, windowMs: 10_000 }));

    expect(budget.recordCrash(0, 1)).not.toBeNull();
    expect(budget.recordCrash(1, 1)).not.toBeNull();
    expect(budget.recordCrash(2, 1)).toBeNull();
  });

  it('forgets crashes outside the window', () => {
    const budget = new RestartBudget(backoffSchema.parse({ maxRestarts: 2, windowMs: 1000, resetAfterMs: 3_600_000 }));
    budget.recordCrash(0, 1);
    budget.recordCrash(10, 1);

    expect(budget.recordCrash(5000, 1)).not.toBeNull();
  });
});

describe('shouldRestart', () => {
  it('follows each policy', () => {
    expect(shouldRestart('never', 1, null)).toBe(false);
    expect(shouldRestart('always', 0, null)).toBe(true);
    expect(shouldRestart('on-failure', 0, null)).toBe(false);
    expect(shouldRestart('on-failure', 2, null)).toBe(true);
    expect(shouldRestart('on-failure', null, 'SIGSEGV')).toBe(true);
  });
});
