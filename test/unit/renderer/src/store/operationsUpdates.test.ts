import { afterEach, describe, expect, it, vi } from 'vitest';

import { createHubStore } from '../../../../../src/renderer/src/store';
import { makeSample } from '../../../core/hardware/sampleFactory';
import { createFakeTransport } from './fakeTransport';

function createOperationsHub() {
  const fake = createFakeTransport({
    'services:list': () => [],
    'services:logs': (input) => ({ name: input.name, lines: [], crashLines: [] }),
    'leases:list': () => ({ leases: [], capacity: {}, used: {}, thermalLevel: 'nominal', queueLength: 0, shares: [] }),
    'hardware:info': () => ({ latest: null }),
    'hardware:live': () => [],
  });

  return { fake, hub: createHubStore(fake.transport) };
}

function names(calls: { name: string }[]): string[] {
  return calls.map((call) => call.name);
}

describe('subscribeToHubEvents for operations', () => {
  afterEach(() => vi.useRealTimers());

  it('ignores operations events before their view loaded', async () => {
    vi.useFakeTimers();
    const { fake } = createOperationsHub();

    fake.emit({ type: 'services:didChange', name: 'mlflow', state: 'running' });
    fake.emit({ type: 'leases:didChange', leaseId: 'l1', state: 'granted' });
    fake.emit({ type: 'hardware:didSample', sample: { timestampMs: 1 } });
    await vi.advanceTimersByTimeAsync(1000);

    expect(fake.calls).toEqual([]);
  });

  it('reloads services and the open log once per burst', async () => {
    vi.useFakeTimers();
    const { fake, hub } = createOperationsHub();
    await hub.store.getState().loadServices();
    await hub.store.getState().openServiceLogs('mlflow');
    fake.calls.length = 0;

    for (const state of ['starting', 'running']) fake.emit({ type: 'services:didChange', name: 'mlflow', state });
    await vi.advanceTimersByTimeAsync(1000);

    expect(names(fake.calls)).toEqual(['services:list', 'services:logs']);
  });

  it('reloads leases after a lease event', async () => {
    vi.useFakeTimers();
    const { fake, hub } = createOperationsHub();
    await hub.store.getState().loadLeases();
    fake.calls.length = 0;

    fake.emit({ type: 'leases:didChange', leaseId: 'l1', state: 'granted' });
    await vi.advanceTimersByTimeAsync(1000);

    expect(names(fake.calls)).toEqual(['leases:list']);
  });

  it('adds pushed samples without a hub call', async () => {
    vi.useFakeTimers();
    const { fake, hub } = createOperationsHub();
    await hub.store.getState().loadHardware();
    fake.calls.length = 0;

    fake.emit({ type: 'hardware:didSample', sample: makeSample({ timestampMs: 5 }) });
    fake.emit({ type: 'hardware:didSample', sample: makeSample({ timestampMs: 6 }) });
    await vi.advanceTimersByTimeAsync(1000);

    expect(fake.calls).toEqual([]);
    expect(hub.store.getState().liveSamples.map((sample) => sample.timestampMs)).toEqual([5, 6]);
  });
});
