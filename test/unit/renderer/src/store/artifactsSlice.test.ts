import { describe, expect, it } from 'vitest';

import { createHubStore } from '../../../../../src/renderer/src/store';
import { artifactKey } from '../../../../../src/renderer/src/store/types';
import { HubCallError } from '../../../../../src/renderer/src/transport/hubTransport';
import { createFakeTransport } from './fakeTransport';

const listing = { rootUri: 'mlflow-artifacts:/1/run1/artifacts', files: [{ path: 'model', isDir: true }] };

describe('artifactsSlice', () => {
  it('stores a listing per run and folder', async () => {
    const fake = createFakeTransport({ 'artifacts:list': () => listing });
    const { store, dispose } = createHubStore(fake.transport);

    await store.getState().loadArtifacts('run1', '');

    expect(fake.calls).toEqual([{ name: 'artifacts:list', input: { runId: 'run1' } }]);
    expect(store.getState().artifactListings[artifactKey('run1', '')]).toEqual(listing);
    dispose();
  });

  it('stores a failed listing as a sentence', async () => {
    const fake = createFakeTransport({
      'artifacts:list': () => {
        throw new HubCallError('RESOURCE_DOES_NOT_EXIST', 'Run with id=run9 not found', 'artifacts:list');
      },
    });
    const { store, dispose } = createHubStore(fake.transport);

    await store.getState().loadArtifacts('run9', 'model');

    expect(store.getState().artifactErrors[artifactKey('run9', 'model')]?.message).toContain('Run with id=run9 not found');
    dispose();
  });

  it('downloads only when the transport can', async () => {
    const fake = createFakeTransport({});
    const { store, dispose } = createHubStore(fake.transport);

    expect(store.getState().canDownloadArtifacts).toBe(false);
    expect(await store.getState().downloadArtifact('run1', 'model/weights.bin')).toBeNull();
    dispose();
  });

  it('stores a failed download under its folder', async () => {
    const fake = createFakeTransport({});
    fake.transport.downloadArtifact = () => Promise.reject(new HubCallError('NETWORK_ERROR', 'offline', 'artifacts:download'));
    const { store, dispose } = createHubStore(fake.transport);

    expect(store.getState().canDownloadArtifacts).toBe(true);
    expect(await store.getState().downloadArtifact('run1', 'model/weights.bin')).toBeNull();
    expect(store.getState().artifactErrors[artifactKey('run1', 'model')]).toBeTruthy();
    dispose();
  });
});
