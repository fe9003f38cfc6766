import { HubError, toErrorBody } from '../../../common/errors';
import { type ArtifactsResponse, type ArtifactsRouter, type RawBodyRequest } from '../api/router';
import { type Logger } from '../logger';
import { type ArtifactLocation, parseProxyArtifactPath, splitArtifactPath } from './artifactPaths';
import { type ArtifactStore, ArtifactTooLargeError } from './artifactStore';
import { type Tracking } from './tracking';

/** One entry of a run's artifact listing; `path` is relative to the run's artifact root. */
export interface RunArtifactFile {
  path: string;
  isDir: boolean;
  /** Bytes; absent for folders. */
  fileSize?: number;
}

const proxyPattern = /^\/api\/2\.0\/mlflow-artifacts\/artifacts(?:\/(.*))?$/;

/**
 * Serves MLflow's artifact proxy (`/api/2.0/mlflow-artifacts/artifacts`, whose
 * paths are run `artifact_uri` values without `mlflow-artifacts:/`) and the
 * web UI's `GET /get-artifact?run_id=&path=`. Returns null for other paths.
 * Uploads and writes to deleted runs are rejected; downloads stream from disk.
 */
export function createArtifactsRouter(tracking: Tracking, log: Logger): ArtifactsRouter {
  const routeLog = log.child('artifacts');

  return async (request) => {
    try {
      return await routeArtifacts(tracking, requireStore(tracking), routeLog, request);
    } catch (error) {
      if (error instanceof HubError) routeLog.warn(`artifacts(): rejected ${request.method} ${request.pathname.slice(0, 300)} code=${error.code}: ${error.message.slice(0, 300)}`);
      else routeLog.error(`artifacts(): failed ${request.method} ${request.pathname.slice(0, 300)}`, error);

      return { status: errorStatusOf(error), body: toErrorBody(error) };
    }
  };
}

async function routeArtifacts(tracking: Tracking, store: ArtifactStore, log: Logger, request: RawBodyRequest): Promise<ArtifactsResponse | null> {
  if (request.pathname === '/get-artifact') {
    requireMethod(request, ['GET']);
    const runId = request.query.get('run_id') ?? request.query.get('run_uuid') ?? '';
    const row = tracking.runs.getRow(runId);
    const location = { experimentId: String(row.experiment_id), runId, segments: splitArtifactPath(request.query.get('path') ?? '') };

    return { status: 200, file: await store.open(location) };
  }

  const match = proxyPattern.exec(request.pathname);
  if (!match) return null;

  if (match[1] === undefined) {
    requireMethod(request, ['GET']);
    const location = checkOwner(tracking, parseProxyArtifactPath(request.query.get('path') ?? ''), false);
    const files = store.list(location).map((entry) => toWireFile(entry.name, entry));

    return { status: 200, body: files.length > 0 ? { files } : {} };
  }

  return serveFile(tracking, store, log, request, match[1]);
}

async function serveFile(tracking: Tracking, store: ArtifactStore, log: Logger, request: RawBodyRequest, rawPath: string): Promise<ArtifactsResponse> {
  requireMethod(request, ['GET', 'PUT', 'DELETE']);
  const location = checkOwner(tracking, parseProxyArtifactPath(rawPath), request.method !== 'GET');

  if (request.method === 'GET') return { status: 200, file: await store.open(location) };
  if (request.method === 'DELETE') {
    store.delete(location);
    log.info(`delete(): deleted artifact ${ownerOf(location)} path=${location.segments.join('/')}`);
    return { status: 200, body: {} };
  }

  const sizeBytes = await store.write(location, request.body, request.contentLength);
  log.info(`upload(): stored artifact ${ownerOf(location)} path=${location.segments.join('/')} bytes=${sizeBytes}`);

  return { status: 200, body: {} };
}

/** Lists a run's artifacts below `path` for `GET /api/2.0/mlflow/artifacts/list` and the hub's `artifacts:list`. */
export function listRunArtifacts(tracking: Tracking, runId: string, rawPath: string | undefined): { rootUri: string; files: RunArtifactFile[] } {
  const row = tracking.runs.getRow(runId);
  const segments = splitArtifactPath(rawPath ?? '');
  const store = requireStore(tracking);
  const entries = store.list({ experimentId: String(row.experiment_id), runId, segments });

  return {
    rootUri: row.artifact_uri,
    files: entries.map((entry) => ({ path: [...segments, entry.name].join('/'), isDir: entry.isDir, ...(entry.isDir ? {} : { fileSize: entry.fileSize }) })),
  };
}

/** MLflow's `FileInfo` JSON: `file_size` only for files. */
export function toWireFile(filePath: string, entry: { isDir: boolean; fileSize?: number }): object {
  return entry.isDir ? { path: filePath, is_dir: true } : { path: filePath, is_dir: false, file_size: entry.fileSize };
}

export function requireStore(tracking: Tracking): ArtifactStore {
  if (!tracking.artifacts) throw new HubError('TEMPORARILY_UNAVAILABLE', 'Artifact storage is not configured in this hub.');

  return tracking.artifacts;
}

/**
 * Checks that the run or logged model exists in the path's experiment and,
 * for writes to a run, that the run is active. A deleted logged model is not found.
 */
function checkOwner(tracking: Tracking, location: ArtifactLocation, write: boolean): ArtifactLocation {
  if ('modelId' in location) {
    const model = tracking.models.get(location.modelId);
    if (String(model.experiment_id) !== location.experimentId) {
      throw new HubError('RESOURCE_DOES_NOT_EXIST', `Logged model ${location.modelId} is not in experiment ${location.experimentId}. Use the path of the model's artifact_uri.`);
    }
    return location;
  }

  const row = write ? tracking.runs.getActiveRow(location.runId) : tracking.runs.getRow(location.runId);
  if (String(row.experiment_id) !== location.experimentId) {
    throw new HubError('RESOURCE_DOES_NOT_EXIST', `Run ${location.runId} is not in experiment ${location.experimentId}. Use the path of the run's artifact_uri.`);
  }

  return location;
}

function errorStatusOf(error: unknown): number {
  if (error instanceof ArtifactTooLargeError) return 413;
  if (error instanceof HubError) return error.status;

  return 500;
}

function requireMethod(request: RawBodyRequest, allowed: readonly string[]): void {
  if (!allowed.includes(request.method)) {
    throw new HubError('ENDPOINT_NOT_FOUND', `${request.method} is not allowed on ${request.pathname}; use ${allowed.join(', ')}.`);
  }
}

function ownerOf(location: ArtifactLocation): string {
  return 'modelId' in location ? `modelId=${location.modelId}` : `runId=${location.runId}`;
}
