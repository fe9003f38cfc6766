import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { ArtifactStore, ArtifactTooLargeError } from '../../../../src/main/core/tracking/artifactStore';
import { createArtifactStoreFixture } from './artifactStoreFixture';

const run = { experimentId: '1', runId: 'r1' };

describe('ArtifactStore', () => {
  let home: string;
  let store: ArtifactStore;

  beforeEach(() => {
    ({ home, store } = createArtifactStoreFixture({ maxUploadBytes: 10 }));
  });

  afterEach(() => {
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('writes, lists, reads and deletes a file', async () => {
    const size = await store.write({ ...run, segments: ['dir', 'a.txt'] }, Readable.from([Buffer.from('hello')]), 5);

    expect(size).toBe(5);
    expect(fs.readFileSync(path.join(home, 'artifacts', '1', 'r1', 'artifacts', 'dir', 'a.txt'), 'utf8')).toBe('hello');
    expect(store.list({ ...run, segments: [] })).toEqual([{ name: 'dir', isDir: true }]);
    expect(store.list({ ...run, segments: ['dir'] })).toEqual([{ name: 'a.txt', isDir: false, fileSize: 5 }]);

    const opened = await store.open({ ...run, segments: ['dir', 'a.txt'] });
    const chunks: Buffer[] = [];
    for await (const chunk of opened.stream) chunks.push(chunk as Buffer);
    expect(Buffer.concat(chunks).toString('utf8')).toBe('hello');

    store.delete({ ...run, segments: ['dir'] });
    expect(store.list({ ...run, segments: [] })).toEqual([]);
  });

  it('rejects a stream over the limit and keeps no partial file', async () => {
    const body = Readable.from([Buffer.alloc(6), Buffer.alloc(6)]);

    await expect(store.write({ ...run, segments: ['big.bin'] }, body, null)).rejects.toBeInstanceOf(ArtifactTooLargeError);
    expect(store.list({ ...run, segments: [] })).toEqual([]);
    expect(fs.readdirSync(path.join(home, 'artifacts', '.uploads'))).toEqual([]);
  });

  it('rejects a declared size over the limit before reading', async () => {
    await expect(store.write({ ...run, segments: ['big.bin'] }, Readable.from([]), 11)).rejects.toBeInstanceOf(ArtifactTooLargeError);
  });

  it('rejects symlinks that escape the root', async () => {
    const outside = path.join(home, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
    const runFolder = path.join(home, 'artifacts', '1', 'r1', 'artifacts');
    fs.mkdirSync(runFolder, { recursive: true });
    fs.symlinkSync(outside, path.join(runFolder, 'link'));

    await expect(store.open({ ...run, segments: ['link', 'secret.txt'] })).rejects.toThrow(/outside the artifact root/);
    await expect(store.write({ ...run, segments: ['link', 'new.txt'] }, Readable.from([Buffer.from('x')]), 1)).rejects.toThrow(/outside the artifact root/);
    expect(() => store.list({ ...run, segments: ['link'] })).toThrow(/outside the artifact root/);
    expect(() => store.delete({ ...run, segments: ['link', 'secret.txt'] })).toThrow(/outside the artifact root/);
    expect(fs.readdirSync(outside)).toEqual(['secret.txt']);
  });

  it('removes purged runs and experiments but keeps experiment 0', async () => {
    await store.write({ experimentId: '0', runId: 'r0', segments: ['a'] }, Readable.from([Buffer.from('a')]), 1);
    await store.write({ experimentId: '0', runId: 'r9', segments: ['a'] }, Readable.from([Buffer.from('a')]), 1);
    await store.write({ ...run, segments: ['a'] }, Readable.from([Buffer.from('a')]), 1);

    store.removePurged([{ experimentId: '0', runId: 'r0' }, run], ['0', '1']);

    expect(fs.readdirSync(path.join(home, 'artifacts')).sort()).toEqual(['.uploads', '0']);
    expect(fs.readdirSync(path.join(home, 'artifacts', '0'))).toEqual(['r9']);
  });
});
