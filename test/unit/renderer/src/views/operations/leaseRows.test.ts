import { describe, expect, it } from 'vitest';

import type { LeaseView } from '../../../../../../src/common/methods/leases';
import { describeResources, formatEstimate, groupHeldLeases, queuedLeases, toShareChart } from '../../../../../../src/renderer/src/views/operations/leaseRows';

function makeLease(leaseId: string, project: string, state: LeaseView['state'], position?: number): LeaseView {
  return {
    leaseId,
    project,
    pid: 100,
    label: leaseId,
    priority: 'normal',
    preemptible: true,
    resources: { memoryGb: 8, gpuShare: 0.5, neuralEngine: false, cpuCores: 0 },
    state,
    pauseRequested: false,
    pauseReason: null,
    queue: position === undefined ? null : { position, reasonKind: 'resources', reasonResources: ['gpuShare'], blockingLeaseIds: [], message: 'waiting', estimateMs: null },
    requestedAt: 0,
    grantedAt: state === 'queued' ? null : 0,
    endedAt: null,
    endReason: null,
    expiresAt: 0,
    memoryUsedBytes: null,
    memoryLimitBytes: 8 * 2 ** 30,
    version: 1,
  };
}

describe('groupHeldLeases', () => {
  it('groups granted and paused leases by project', () => {
    const leases = [makeLease('a1', 'beta', 'granted'), makeLease('a2', 'alpha', 'paused'), makeLease('a3', 'beta', 'granted'), makeLease('q1', 'alpha', 'queued', 1), makeLease('r1', 'alpha', 'released')];

    const groups = groupHeldLeases(leases).map((group) => [group.project, group.leases.map((lease) => lease.leaseId)]);

    expect(groups).toEqual([
      ['alpha', ['a2']],
      ['beta', ['a1', 'a3']],
    ]);
  });
});

describe('queuedLeases', () => {
  it('orders the queue by position', () => {
    const leases = [makeLease('q2', 'a', 'queued', 2), makeLease('g', 'a', 'granted'), makeLease('q1', 'b', 'queued', 1)];

    expect(queuedLeases(leases).map((lease) => lease.leaseId)).toEqual(['q1', 'q2']);
  });
});

describe('describeResources', () => {
  it('lists only requested resources', () => {
    expect(describeResources({ memoryGb: 12, gpuShare: 0.5, neuralEngine: true, cpuCores: 1 })).toBe('12 GiB · GPU 50 % · Neural Engine · 1 core');
    expect(describeResources({ memoryGb: 0, gpuShare: 0, neuralEngine: false, cpuCores: 2.5 })).toBe('2.5 cores');
  });
});

describe('toShareChart', () => {
  it('fills projects missing from a snapshot with zero', () => {
    const chart = toShareChart([
      { atMs: 1, shares: { a: 0.5 } },
      { atMs: 2, shares: { b: 1 } },
    ]);

    expect(chart.series.map((series) => series.key)).toEqual(['a', 'b']);
    expect(chart.rows).toEqual([
      { t: 1, a: 0.5, b: 0 },
      { t: 2, a: 0, b: 1 },
    ]);
  });
});

describe('formatEstimate', () => {
  it('rounds to seconds or minutes', () => {
    expect(formatEstimate(null)).toBe('unknown');
    expect(formatEstimate(200)).toBe('about 1 s');
    expect(formatEstimate(45_000)).toBe('about 45 s');
    expect(formatEstimate(150_000)).toBe('about 3 min');
  });
});
