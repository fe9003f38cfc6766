import { afterEach, describe, expect, it, vi } from 'vitest';

import { createHubStore } from '../../../../../src/renderer/src/store';
import { createFakeTransport, makeRun } from './fakeTransport';

function createLoadedHub() {
  const fake = createFakeTransport({
    'projects:list': () => [],
    'experiments:list': () => [],
    'runs:list': () => ({ runs: [makeRun(1)], nextPageToken: null, total: 1 }),
    'runs:get': (input) => makeRun(1, { runId: String(input.runId) }),
    'metrics:history': (input) => ({ key: input.key, points: [], totalPoints: 0, downsampled: false }),
  });

  return { fake, hub: createHubStore(fake.transport) };
}

function countCalls(calls: { name: string }[], name: string): number {
  return calls.filter((call) => call.name === name).length;
}

describe('subscribeToHubEvents', () => {
  afterEach(() => vi.useRealTimers());

  it('subscribes once when the store is created', () => {
    const { fake, hub } = createLoadedHub();

    expect(fake.listenerCount()).toBe(1);
    hub.dispose();
    expect(fake.listenerCount()).toBe(0);
  });

  it('reloads nothing that was never loaded', async () => {
    vi.useFakeTimers();
    const { fake } = createLoadedHub();

    fake.emit({ type: 'projects:didChange' });
    await vi.advanceTimersByTimeAsync(1000);

    expect(fake.calls).toEqual([]);
  });

  it('debounces a burst of metric events into one refresh of that run', async () => {
    vi.useFakeTimers();
    const { fake, hub } = createLoadedHub();
    await hub.store.getState().loadRuns();

    for (let step = 0; step < 50; step += 1) fake.emit({ type: 'metrics:didLog', runId: 'run1', keys: ['accuracy'] });
    await vi.advanceTimersByTimeAsync(1000);

    expect(countCalls(fake.calls, 'runs:get')).toBe(1);
    expect(countCalls(fake.calls, 'runs:list')).toBe(1);
  });

  it('reloads an open chart when its metric is logged', async () => {
    vi.useFakeTimers();
    const { fake, hub } = createLoadedHub();
    await hub.store.getState().loadHistory('run1', 'accuracy');
    await hub.store.getState().loadHistory('run1', 'loss');

    fake.emit({ type: 'metrics:didLog', runId: 'run1', keys: ['accuracy'] });
    await vi.advanceTimersByTimeAsync(1000);

    const historyCalls = fake.calls.filter((call) => call.name === 'metrics:history').map((call) => call.input.key);
    expect(historyCalls).toEqual(['accuracy', 'loss', 'accuracy']);
  });

  it('reloads every loaded list after a reconnect', async () => {
    vi.useFakeTimers();
    const { fake, hub } = createLoadedHub();
    await hub.store.getState().loadProjects();
    await hub.store.getState().loadRuns();

    fake.emit({ type: 'transport:didReconnect' });
    await vi.advanceTimersByTimeAsync(1000);

    expect(countCalls(fake.calls, 'projects:list')).toBe(2);
    expect(countCalls(fake.calls, 'runs:list')).toBe(2);
    expect(countCalls(fake.calls, 'experiments:list')).toBe(0);
  });
});
