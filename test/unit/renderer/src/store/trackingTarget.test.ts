import { describe, expect, it } from 'vitest';

import { createHubStore } from '../../../../../src/renderer/src/store';
import { createFakeTransport, makeRun } from './fakeTransport';

describe('loadTrackingTarget', () => {
  it('stores the target and sends the preference', async () => {
    const requests: unknown[] = [];
    const fake = createFakeTransport({
      'services:trackingTarget': (input) => {
        requests.push(input);

        return { preference: 'managed', active: 'managed', managedUri: 'http://127.0.0.1:5100' };
      },
    });
    const { store } = createHubStore(fake.transport);

    await store.getState().loadTrackingTarget('managed');

    expect(requests).toEqual([{ preference: 'managed' }]);
    expect(store.getState().trackingTarget?.managedUri).toBe('http://127.0.0.1:5100');
    expect(store.getState().trackingTargetError).toBeNull();
  });

  it('keeps the error of a failed read', async () => {
    const fake = createFakeTransport({});
    const { store } = createHubStore(fake.transport);

    await store.getState().loadTrackingTarget();

    expect(store.getState().trackingTarget).toBeNull();
    expect(store.getState().trackingTargetError).not.toBeNull();
  });

  it('reloads loaded experiments and runs after a toggle', async () => {
    let activeStore = 'embedded';
    const fake = createFakeTransport({
      'services:trackingTarget': (input) => {
        if (typeof input.preference === 'string') activeStore = input.preference;

        return { preference: activeStore, active: activeStore, managedUri: 'http://127.0.0.1:5100' };
      },
      'experiments:list': () => [{ experimentId: activeStore === 'managed' ? '7' : '1', name: activeStore, project: 'default', lifecycleStage: 'active', creationTime: 0, lastUpdateTime: 0, runCount: 1, activeRuns: 0, lastActivity: null }],
      'runs:list': () => ({ runs: [makeRun(activeStore === 'managed' ? 2 : 1)], nextPageToken: null, total: 1 }),
    });
    const { store } = createHubStore(fake.transport);
    await store.getState().loadExperiments();
    await store.getState().loadRuns();

    await store.getState().loadTrackingTarget('managed');

    expect(store.getState().trackingTarget?.active).toBe('managed');
    expect(store.getState().experiments.map((experiment) => experiment.name)).toEqual(['managed']);
    expect(store.getState().runs.map((run) => run.runId)).toEqual(['run2']);
  });

  it('skips unloaded views after a toggle', async () => {
    const fake = createFakeTransport({
      'services:trackingTarget': () => ({ preference: 'managed', active: 'managed', managedUri: 'http://127.0.0.1:5100' }),
    });
    const { store } = createHubStore(fake.transport);

    await store.getState().loadTrackingTarget('managed');

    expect(fake.calls.map((call) => call.name)).toEqual(['services:trackingTarget']);
  });
});
