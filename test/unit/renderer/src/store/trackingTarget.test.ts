import { describe, expect, it } from 'vitest';

import { createHubStore } from '../../../../../src/renderer/src/store';
import { createFakeTransport } from './fakeTransport';

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
});
