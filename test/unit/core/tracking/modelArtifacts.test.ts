import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HubError } from '../../../../src/common/errors';
import { parseProxyArtifactPath } from '../../../../src/main/core/tracking/artifactPaths';
import { ArtifactStore } from '../../../../src/main/core/tracking/artifactStore';
import { createArtifactStoreFixture } from './artifactStoreFixture';

const modelId = `m-${'a'.repeat(32)}`;

describe('parseProxyArtifactPath', () => {
  it('splits a logged model path', () => {
    expect(parseProxyArtifactPath(`3/models/${modelId}/artifacts/sub/MLmodel`)).toEqual({ experimentId: '3', modelId, segments: ['sub', 'MLmodel'] });
    expect(parseProxyArtifactPath(`3/models/${modelId}/artifacts`)).toEqual({ experimentId: '3', modelId, segments: [] });
  });

  it('keeps splitting run paths', () => {
    expect(parseProxyArtifactPath('3/abc123/artifacts/a.txt')).toEqual({ experimentId: '3', runId: 'abc123', segments: ['a.txt'] });
  });

  it('rejects bad model paths', () => {
    const bad = [
      `3/models/${modelId}`,
      `3/models/${modelId}/other/x`,
      '3/models/m-xyz/artifacts/x',
      `x/models/${modelId}/artifacts/x`,
      `3/models/${modelId}/artifacts/../../../x`,
      `3/models/${modelId}/artifacts/%252e%252e/x`,
      '3/models',
    ];

    for (const raw of bad) {
      expect(() => parseProxyArtifactPath(raw), raw).toThrow(HubError);
    }
  });
});

describe('ArtifactStore', () => {
  let home: string;
  let store: ArtifactStore;

  beforeEach(() => {
    ({ home, store } = createArtifactStoreFixture());
  });

  afterEach(() => {
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('stores model files in the model folder', async () => {
    await store.write({ experimentId: '0', modelId, segments: ['MLmodel'] }, Readable.from(['flavors: {}\n']), null);

    expect(fs.readFileSync(path.join(home, 'artifacts', '0', 'models', modelId, 'artifacts', 'MLmodel'), 'utf8')).toBe('flavors: {}\n');
    expect(store.list({ experimentId: '0', modelId, segments: [] })).toEqual([{ name: 'MLmodel', isDir: false, fileSize: 12 }]);
  });

  it('removes purged models of experiment 0', async () => {
    const otherId = `m-${'b'.repeat(32)}`;
    await store.write({ experimentId: '0', modelId, segments: ['MLmodel'] }, Readable.from(['a']), null);
    await store.write({ experimentId: '0', modelId: otherId, segments: ['MLmodel'] }, Readable.from(['b']), null);

    store.removePurged([], ['0'], [{ experimentId: '0', modelId }]);

    expect(fs.readdirSync(path.join(home, 'artifacts', '0', 'models'))).toEqual([otherId]);
  });
});
