import http from 'node:http';

import { errorStatus, HubError, type ErrorCode } from '../../../common/errors';
import { type Logger } from '../logger';
import { type KeyValue, type WireDouble } from './types';

/** Defaults for requests to an MLflow tracking server. */
export const mlflowRestDefaults = {
  /** Bound on the whole request (connect, send, response), in milliseconds. */
  timeoutMs: 15_000,
  /** Largest response body read, in bytes; a bigger one fails instead of filling memory. */
  maxResponseBytes: 256 * 1024 * 1024,
} as const;

const apiPrefix = '/api/2.0/mlflow';

/** An experiment as an MLflow server returns it; int64 fields may come as numbers or numeric strings. */
export interface RestExperiment {
  experiment_id: string;
  name: string;
  lifecycle_stage?: string;
  creation_time?: number | string;
  last_update_time?: number | string;
  tags?: KeyValue[];
}

export interface RestMetric {
  key: string;
  value: WireDouble | string;
  timestamp?: number | string;
  step?: number | string;
}

export interface RestRun {
  info: {
    run_id: string;
    run_name?: string;
    experiment_id: string;
    status?: string;
    start_time?: number | string;
    end_time?: number | string;
    lifecycle_stage?: string;
    artifact_uri?: string;
  };
  data?: { metrics?: RestMetric[]; params?: KeyValue[]; tags?: KeyValue[] };
}

export interface RestPage<T> {
  items: T[];
  /** Token of the next page; null on the last page. */
  nextPageToken: string | null;
}

export interface RunSearchRequest {
  experimentIds: string[];
  filter?: string;
  orderBy?: string[];
  viewType?: 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';
  maxResults: number;
  pageToken?: string;
}

export interface MlflowRestClientOptions {
  /** `http://127.0.0.1:PORT` of the server; only loopback hosts are accepted. */
  baseUrl: string;
  /** Bearer token sent as `Authorization`, as `MLFLOW_TRACKING_TOKEN` is by MLflow's client; never logged. */
  token?: string | null;
  log: Logger;
  timeoutMs?: number;
}

/** A small client of the MLflow tracking REST API (`/api/2.0/mlflow`), for a server on this machine. */
export class MlflowRestClient {
  readonly baseUrl: string;
  private readonly url: URL;

  constructor(private readonly options: MlflowRestClientOptions) {
    this.url = parseLoopbackUrl(options.baseUrl);
    this.baseUrl = this.url.origin;
  }

  async searchExperiments(viewType: 'ACTIVE_ONLY' | 'ALL', maxResults: number, pageToken?: string): Promise<RestPage<RestExperiment>> {
    const body = await this.request('POST', 'experiments/search', { view_type: viewType, max_results: maxResults, ...(pageToken ? { page_token: pageToken } : {}) });

    return { items: arrayField<RestExperiment>(body, 'experiments'), nextPageToken: pageTokenOf(body) };
  }

  async getExperiment(experimentId: string): Promise<RestExperiment> {
    const body = await this.request('GET', `experiments/get?${new URLSearchParams({ experiment_id: experimentId }).toString()}`);
    const experiment = body['experiment'];
    if (!isRecord(experiment)) throw new HubError('INTERNAL_ERROR', `MLflow server at ${this.baseUrl} returned experiments/get without an experiment for experiment_id=${experimentId}`);

    return experiment as unknown as RestExperiment;
  }

  async searchRuns(request: RunSearchRequest): Promise<RestPage<RestRun>> {
    const body = await this.request('POST', 'runs/search', {
      experiment_ids: request.experimentIds,
      run_view_type: request.viewType ?? 'ACTIVE_ONLY',
      max_results: request.maxResults,
      ...(request.filter ? { filter: request.filter } : {}),
      ...(request.orderBy && request.orderBy.length > 0 ? { order_by: request.orderBy } : {}),
      ...(request.pageToken ? { page_token: request.pageToken } : {}),
    });

    return { items: arrayField<RestRun>(body, 'runs'), nextPageToken: pageTokenOf(body) };
  }

  async getRun(runId: string): Promise<RestRun> {
    const body = await this.request('GET', `runs/get?${new URLSearchParams({ run_id: runId }).toString()}`);
    const run = body['run'];
    if (!isRecord(run) || !isRecord(run['info'])) throw new HubError('INTERNAL_ERROR', `MLflow server at ${this.baseUrl} returned runs/get without a run for run_id=${runId}`);

    return run as unknown as RestRun;
  }

  async getMetricHistory(runId: string, key: string, maxResults: number, pageToken?: string): Promise<RestPage<RestMetric>> {
    const query = new URLSearchParams({ run_id: runId, metric_key: key, max_results: String(maxResults) });
    if (pageToken) query.set('page_token', pageToken);
    const body = await this.request('GET', `metrics/get-history?${query.toString()}`);

    return { items: arrayField<RestMetric>(body, 'metrics'), nextPageToken: pageTokenOf(body) };
  }

  /** Sends one request and returns the JSON object body; MLflow error bodies become HubErrors with the same code. */
  private async request(method: 'GET' | 'POST', endpoint: string, body?: unknown): Promise<Record<string, unknown>> {
    const path = `${apiPrefix}/${endpoint}`;
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const { status, text } = await this.send(method, path, payload);

    let parsed: unknown;
    try {
      parsed = text === '' ? {} : JSON.parse(text);
    } catch {
      parsed = undefined;
    }

    if (status >= 200 && status < 300 && isRecord(parsed)) return parsed;
    throw this.toError(method, path, status, parsed, text);
  }

  private send(method: string, path: string, payload: string | undefined): Promise<{ status: number; text: string }> {
    const timeoutMs = this.options.timeoutMs ?? mlflowRestDefaults.timeoutMs;
    const headers: Record<string, string> = { Accept: 'application/json' };
    if (payload !== undefined) headers['Content-Type'] = 'application/json';
    if (this.options.token) headers['Authorization'] = `Bearer ${this.options.token}`;

    return new Promise((resolve, reject) => {
      const request = http.request({ hostname: this.url.hostname.replace(/^\[|\]$/g, ''), port: this.url.port || 80, path, method, headers, timeout: timeoutMs }, (response) => {
        const chunks: Buffer[] = [];
        let size = 0;
        response.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > mlflowRestDefaults.maxResponseBytes) {
            request.destroy(new HubError('INTERNAL_ERROR', `${method} ${path} to ${this.baseUrl}: response is larger than ${mlflowRestDefaults.maxResponseBytes} bytes`));
            return;
          }
          chunks.push(chunk);
        });
        response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
        response.on('error', (error) => reject(this.toConnectionError(method, path, error)));
      });
      request.on('timeout', () => {
        this.options.log.warn(`request(): ${method} ${path} to ${this.baseUrl} timed out after ${timeoutMs} ms`);
        request.destroy(new HubError('TEMPORARILY_UNAVAILABLE', `${method} ${path} to ${this.baseUrl} timed out after ${timeoutMs} ms`));
      });
      request.on('error', (error) => reject(this.toConnectionError(method, path, error)));
      request.end(payload);
    });
  }

  private toConnectionError(method: string, path: string, error: Error): HubError {
    if (error instanceof HubError) return error;

    this.options.log.warn(`request(): ${method} ${path} to ${this.baseUrl} failed: ${error.message}`);

    return new HubError('TEMPORARILY_UNAVAILABLE', `cannot reach the MLflow tracking server at ${this.baseUrl} (${error.message})`, { cause: error });
  }

  private toError(method: string, path: string, status: number, parsed: unknown, text: string): HubError {
    const code = isRecord(parsed) && typeof parsed['error_code'] === 'string' && parsed['error_code'] in errorStatus ? (parsed['error_code'] as ErrorCode) : codeForStatus(status);
    const message = isRecord(parsed) && typeof parsed['message'] === 'string' ? parsed['message'] : text.slice(0, 200) || `HTTP ${status}`;

    return new HubError(code, `MLflow server at ${this.baseUrl}: ${message}`);
  }
}

/** Parses `baseUrl` and rejects anything but http:// on 127.0.0.0/8, ::1 or localhost. */
export function parseLoopbackUrl(baseUrl: string): URL {
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new HubError('INVALID_PARAMETER_VALUE', `invalid MLflow tracking server URL ${JSON.stringify(baseUrl)}: use http://127.0.0.1:PORT`);
  }

  const host = url.hostname.replace(/^\[|\]$/g, '');
  const loopback = host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
  if (url.protocol !== 'http:' || !loopback) {
    throw new HubError('INVALID_PARAMETER_VALUE', `MLflow tracking server URL ${JSON.stringify(baseUrl)} is not an http:// loopback address: the hub talks only to servers on this machine, such as http://127.0.0.1:5100`);
  }

  return url;
}

function codeForStatus(status: number): ErrorCode {
  if (status === 404) return 'ENDPOINT_NOT_FOUND';
  if (status === 401) return 'UNAUTHENTICATED';
  if (status === 403) return 'PERMISSION_DENIED';
  if (status === 429) return 'REQUEST_LIMIT_EXCEEDED';
  if (status === 503 || status === 502 || status === 504) return 'TEMPORARILY_UNAVAILABLE';
  if (status >= 400 && status < 500) return 'BAD_REQUEST';

  return 'INTERNAL_ERROR';
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Returns an array field of a response, or [] when it is absent, because MLflow omits empty repeated fields. */
function arrayField<T>(body: Record<string, unknown>, name: string): T[] {
  const value = body[name];

  return Array.isArray(value) ? (value as T[]) : [];
}

function pageTokenOf(body: Record<string, unknown>): string | null {
  const token = body['next_page_token'];

  return typeof token === 'string' && token !== '' ? token : null;
}
