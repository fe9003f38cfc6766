import { describe, expect, it } from 'vitest';

import type { LeaseOverview } from '../../../../../src/common/methods/leases';
import { createHubStore } from '../../../../../src/renderer/src/store';
import { appendShareSnapshot, appendThermalLevel } from '../../../../../src/renderer/src/store/leasesSlice';
import { createFakeTransport } from './fakeTransport';

function makeOverview(overrides: Partial<LeaseOverview> = {}): LeaseOverview {
  const none = { memoryGb: 0, gpuShare: 0, neuralEngine: 0, cpuCores: 0 };

  return { leases: [], capacity: { ...none, memoryGb: 16, gpuShare: 1, neuralEngine: 1, cpuCores: 8 }, used: none, thermalLevel: 'nominal', queueLength: 0, shares: [], ...overrides };
}

describe('LeasesSlice', () => {
  it('records shares and thermal changes at each load', async () => {
    let overview = makeOverview({ shares: [{ project: 'a', weight: 1, dominantShare: 0.5 }] });
    const fake = createFakeTransport({ 'leases:list': () => overview });
    const { store } = createHubStore(fake.transport);

    await store.getState().loadLeases();
    overview = makeOverview({ thermalLevel: 'heavy', shares: [{ project: 'b', weight: 1, dominantShare: 1 }] });
    await store.getState().loadLeases();

    expect(store.getState().shareHistory.map((snapshot) => snapshot.shares)).toEqual([{ a: 0.5 }, { b: 1 }]);
    expect(store.getState().leaseThermalEvents.map((event) => event.level)).toEqual(['nominal', 'heavy']);
    expect(store.getState().leasesStatus).toBe('ready');
  });

  it('revokes a lease as the user and reloads', async () => {
    const fake = createFakeTransport({ 'leases:list': () => makeOverview(), 'leases:release': () => ({}) });
    const { store } = createHubStore(fake.transport);

    await store.getState().releaseLease('lease-1');

    expect(fake.calls.map((call) => call.name)).toEqual(['leases:release', 'leases:list']);
    expect(fake.calls[0]?.input).toEqual({ leaseId: 'lease-1' });
  });
});

describe('appendThermalLevel', () => {
  it('adds only changed levels and names unknown ones', () => {
    let events = appendThermalLevel([], 'nominal', 1);
    events = appendThermalLevel(events, 'nominal', 2);
    events = appendThermalLevel(events, 'melting', 3);
    events = appendThermalLevel(events, 'other', 4);

    expect(events).toEqual([
      { atMs: 1, level: 'nominal' },
      { atMs: 3, level: 'unknown' },
    ]);
  });
});

describe('appendShareSnapshot', () => {
  it('maps each project to its dominant share', () => {
    const history = appendShareSnapshot([], makeOverview({ shares: [{ project: 'a', weight: 2, dominantShare: 0.25 }] }), 10);

    expect(history).toEqual([{ atMs: 10, shares: { a: 0.25 } }]);
  });
});
