import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { type Readable, Transform, type TransformCallback } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { HubError } from '../../../common/errors';
import { type Logger } from '../logger';
import { type ArtifactLocation } from './artifactPaths';

/** Default upload limit per file: 2 GiB. */
export const defaultMaxArtifactBytes = 2 * 1024 ** 3;

export interface ArtifactStoreOptions {
  /** Folder that contains `<experiment_id>/<run_id>/artifacts/...` and `<experiment_id>/models/<model_id>/artifacts/...`; created with mode 0700. */
  root: string;
  log: Logger;
  /** Largest accepted upload in bytes; 2 GiB by default. */
  maxUploadBytes?: number;
}

/** One entry of a listing; `fileSize` (bytes) is set for files only. */
export interface ArtifactEntry {
  name: string;
  isDir: boolean;
  fileSize?: number;
}

/** An upload over the size limit; the API rejects it with HTTP 413. */
export class ArtifactTooLargeError extends HubError {
  constructor(readonly maxBytes: number) {
    super('REQUEST_LIMIT_EXCEEDED', `Artifact upload is larger than the limit of ${maxBytes} bytes. Split the file or log a smaller one.`);
  }
}

/**
 * Artifact files of runs on disk. Every path is resolved below `root`, and a
 * path whose existing part resolves (through symlinks) outside `root` is
 * rejected. Callers pass paths checked by `parseRunArtifactPath` or `parseProxyArtifactPath`.
 */
export class ArtifactStore {
  readonly maxUploadBytes: number;
  private readonly root: string;
  private readonly realRoot: string;
  private readonly uploadsDir: string;
  private readonly log: Logger;

  constructor(options: ArtifactStoreOptions) {
    this.maxUploadBytes = options.maxUploadBytes ?? defaultMaxArtifactBytes;
    if (!Number.isSafeInteger(this.maxUploadBytes) || this.maxUploadBytes <= 0) {
      throw new TypeError(`Expected \`maxUploadBytes\` to be a positive integer, got \`${String(options.maxUploadBytes)}\``);
    }
    this.root = options.root;
    this.uploadsDir = path.join(this.root, '.uploads');
    fs.mkdirSync(this.uploadsDir, { recursive: true, mode: 0o700 });
    this.realRoot = fs.realpathSync(this.root);
    this.log = options.log;
  }

  /**
   * Streams `body` to a temporary file, then renames it over the artifact, so a
   * reader never sees half a file. Returns the size in bytes. Throws
   * ArtifactTooLargeError as soon as `declaredBytes` or the bytes received pass the limit.
   */
  async write(location: ArtifactLocation, body: Readable, declaredBytes: number | null): Promise<number> {
    if (declaredBytes !== null && declaredBytes > this.maxUploadBytes) throw new ArtifactTooLargeError(this.maxUploadBytes);
    if (location.segments.length === 0) throw new HubError('INVALID_PARAMETER_VALUE', "Artifact upload needs a file name after the 'artifacts/' folder of the run or logged model.");

    const target = this.resolve(location);
    fs.mkdirSync(path.dirname(target), { recursive: true, mode: 0o700 });
    this.checkContained(path.dirname(target));
    if (fs.existsSync(target) && fs.lstatSync(target).isDirectory()) {
      throw new HubError('INVALID_PARAMETER_VALUE', `Artifact '${location.segments.join('/')}' is a folder; upload to a file path below it.`);
    }

    const temporary = path.join(this.uploadsDir, randomUUID());
    const counter = new ByteCounter(this.maxUploadBytes);
    // `body` is piped rather than put into the pipeline, so an error leaves it paused instead of
    // destroyed, and the server can still send its 413 reply on the same connection.
    const file = fs.createWriteStream(temporary, { flags: 'wx', mode: 0o600 });
    const written = pipeline(counter, file);
    body.once('error', (error) => counter.destroy(error));
    body.pipe(counter);
    try {
      await written;
      fs.renameSync(temporary, target);
    } catch (error) {
      body.unpipe(counter);
      // The file may still be opening after the pipeline failed; removing it earlier would leave it behind.
      if (!file.closed) await new Promise<void>((resolve) => file.once('close', () => resolve()));
      fs.rmSync(temporary, { force: true });
      throw error;
    }

    return counter.bytes;
  }

  /** Opens an artifact file for reading; throws RESOURCE_DOES_NOT_EXIST when there is no such file. */
  async open(location: ArtifactLocation): Promise<{ stream: Readable; sizeBytes: number; name: string }> {
    const target = this.resolve(location);
    const real = this.realExisting(target);
    if (real === null || !fs.statSync(real).isFile()) throw notFound(location);

    const handle = await fs.promises.open(real, 'r');
    const { size } = await handle.stat();

    return { stream: handle.createReadStream(), sizeBytes: size, name: path.basename(target) };
  }

  /** Lists a folder's direct entries, folders first, then by name; a missing path or a file lists nothing. */
  list(location: ArtifactLocation): ArtifactEntry[] {
    const real = this.realExisting(this.resolve(location));
    if (real === null || !fs.statSync(real).isDirectory()) return [];

    const entries: ArtifactEntry[] = [];
    for (const entry of fs.readdirSync(real, { withFileTypes: true })) {
      if (entry.isDirectory()) entries.push({ name: entry.name, isDir: true });
      else if (entry.isFile()) entries.push({ name: entry.name, isDir: false, fileSize: fs.statSync(path.join(real, entry.name)).size });
    }

    return entries.sort(compareEntries);
  }

  /** Deletes a file or a folder with its contents; a missing path is not an error. */
  delete(location: ArtifactLocation): void {
    const target = this.resolve(location);
    if (this.realExisting(path.dirname(target)) === null) return;

    fs.rmSync(target, { recursive: true, force: true });
  }

  /** Removes the artifact folders of purged runs, logged models and experiments; experiment "0" is never removed. */
  removePurged(runs: readonly { experimentId: string; runId: string }[], experimentIds: readonly string[], models: readonly { experimentId: string; modelId: string }[] = []): void {
    for (const run of runs) fs.rmSync(path.join(this.root, run.experimentId, run.runId), { recursive: true, force: true });
    for (const model of models) fs.rmSync(path.join(this.root, model.experimentId, 'models', model.modelId), { recursive: true, force: true });
    for (const id of experimentIds) {
      if (id !== '0') fs.rmSync(path.join(this.root, id), { recursive: true, force: true });
    }
    this.log.info(`removePurged(): removed artifact folders runs=${runs.length} models=${models.length} experiments=${experimentIds.filter((id) => id !== '0').length}`);
  }

  private resolve(location: ArtifactLocation): string {
    const owner = 'modelId' in location ? ['models', location.modelId] : [location.runId];

    return path.join(this.root, location.experimentId, ...owner, 'artifacts', ...location.segments);
  }

  /** Returns the real path of `target` when it exists, else null. Throws when it or its existing ancestor resolves outside the root. */
  private realExisting(target: string): string | null {
    let existing = target;
    while (!fs.existsSync(existing)) {
      if (existing === this.root) return null;
      existing = path.dirname(existing);
    }
    const real = this.checkContained(existing);

    return existing === target ? real : null;
  }

  private checkContained(existing: string): string {
    const real = fs.realpathSync(existing);
    if (real !== this.realRoot && !real.startsWith(this.realRoot + path.sep)) {
      this.log.warn(`checkContained(): rejected a path that resolves outside the artifact root path=${existing}`);
      throw new HubError('INVALID_PARAMETER_VALUE', 'Invalid artifact path: it resolves outside the artifact root through a symbolic link. Remove the link.');
    }

    return real;
  }
}

/** Passes bytes through and fails with ArtifactTooLargeError once more than `maxBytes` have passed. */
class ByteCounter extends Transform {
  bytes = 0;

  constructor(private readonly maxBytes: number) {
    super();
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.bytes += chunk.length;
    if (this.bytes > this.maxBytes) {
      callback(new ArtifactTooLargeError(this.maxBytes));
      return;
    }
    callback(null, chunk);
  }
}

/** Orders folders first, then names by code point, so that listings do not depend on the locale. */
function compareEntries(a: ArtifactEntry, b: ArtifactEntry): number {
  if (a.isDir !== b.isDir) return a.isDir ? -1 : 1;
  if (a.name === b.name) return 0;

  return a.name < b.name ? -1 : 1;
}

function notFound(location: ArtifactLocation): HubError {
  const owner = 'modelId' in location ? `logged model ${location.modelId}` : `run ${location.runId}`;

  return new HubError('RESOURCE_DOES_NOT_EXIST', `Artifact '${location.segments.join('/')}' of ${owner} not found. List the ${'modelId' in location ? "model's" : "run's"} artifacts to see what exists.`);
}
