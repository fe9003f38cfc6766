import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HubError } from '../../../../src/common/errors';
import { createSilentLogger } from '../../../../src/main/core/logger';
import { MlflowRestClient, parseLoopbackUrl } from '../../../../src/main/core/tracking/mlflowRestClient';

interface SeenRequest {
  method: string;
  url: string;
  authorization: string | undefined;
  body: string;
}

type Reply = (request: SeenRequest, response: http.ServerResponse) => void;

let server: http.Server;
let port: number;
let seen: SeenRequest[];
let reply: Reply;

beforeEach(async () => {
  process.env['MLOPS_HUB_HOME'] = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  seen = [];
  reply = (_request, response) => response.end('{}');
  server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = { method: request.method ?? '', url: request.url ?? '', authorization: request.headers.authorization, body: Buffer.concat(chunks).toString('utf8') };
      seen.push(entry);
      reply(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});

afterEach(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function createClient(options: { token?: string; timeoutMs?: number } = {}): MlflowRestClient {
  return new MlflowRestClient({ baseUrl: `http://127.0.0.1:${port}`, log: createSilentLogger(), ...options });
}

async function captureError(promise: Promise<unknown>): Promise<HubError> {
  const error: unknown = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  if (!(error instanceof HubError)) throw new Error(`expected a HubError, got ${String(error)}`);

  return error;
}

describe('MlflowRestClient', () => {
  it('rejects base URLs that are not http:// loopback', () => {
    for (const url of ['http://example.com:5100', 'https://127.0.0.1:5100', 'http://10.0.0.2:5100', 'http://169.254.169.254', 'not a url']) {
      expect(() => parseLoopbackUrl(url), url).toThrow(HubError);
    }
    expect(() => new MlflowRestClient({ baseUrl: 'http://192.168.1.5:5100', log: createSilentLogger() })).toThrow(/not an http:\/\/ loopback address/);
  });

  it('accepts 127.0.0.1, localhost and [::1]', () => {
    for (const url of ['http://127.0.0.1:5100', 'http://localhost:5100/', 'http://[::1]:5100']) expect(parseLoopbackUrl(url).protocol, url).toBe('http:');
  });

  it('sends a paged runs/search with the bearer token', async () => {
    reply = (_request, response) => response.end(JSON.stringify({ runs: [{ info: { run_id: 'a', experiment_id: '1' } }], next_page_token: 'next' }));

    const page = await createClient({ token: 'secret' }).searchRuns({ experimentIds: ['1'], filter: 'metrics.acc > 0.5', orderBy: ['metrics.acc DESC'], maxResults: 10, pageToken: 'p1' });

    expect(page.items.map((run) => run.info.run_id)).toEqual(['a']);
    expect(page.nextPageToken).toBe('next');
    expect(seen[0]!.method).toBe('POST');
    expect(seen[0]!.url).toBe('/api/2.0/mlflow/runs/search');
    expect(seen[0]!.authorization).toBe('Bearer secret');
    expect(JSON.parse(seen[0]!.body)).toEqual({ experiment_ids: ['1'], run_view_type: 'ACTIVE_ONLY', max_results: 10, filter: 'metrics.acc > 0.5', order_by: ['metrics.acc DESC'], page_token: 'p1' });
  });

  it('sends metrics/get-history as a GET query', async () => {
    reply = (_request, response) => response.end(JSON.stringify({ metrics: [{ key: 'loss', value: 'NaN', timestamp: 1, step: 0 }] }));

    const page = await createClient().getMetricHistory('run-1', 'loss/val', 25_000, 'tok');

    expect(page).toEqual({ items: [{ key: 'loss', value: 'NaN', timestamp: 1, step: 0 }], nextPageToken: null });
    expect(seen[0]!.method).toBe('GET');
    expect(new URL(seen[0]!.url, 'http://x').searchParams.toString()).toBe('run_id=run-1&metric_key=loss%2Fval&max_results=25000&page_token=tok');
    expect(seen[0]!.authorization).toBeUndefined();
  });

  it('keeps the error code of an MLflow error body', async () => {
    reply = (_request, response) => {
      response.statusCode = 404;
      response.end(JSON.stringify({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: "Run 'x' not found" }));
    };

    const error = await captureError(createClient().getRun('x'));

    expect(error.code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(error.message).toContain("Run 'x' not found");
    expect(error.message).toContain(`http://127.0.0.1:${port}`);
  });

  it('maps a 502 without JSON to TEMPORARILY_UNAVAILABLE', async () => {
    reply = (_request, response) => {
      response.statusCode = 502;
      response.end('Bad Gateway');
    };

    const error = await captureError(createClient().searchExperiments('ALL', 10));

    expect(error.code).toBe('TEMPORARILY_UNAVAILABLE');
    expect(error.message).toContain('Bad Gateway');
  });

  it('reports a refused connection as TEMPORARILY_UNAVAILABLE', async () => {
    const client = createClient();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server = http.createServer();

    const error = await captureError(client.searchExperiments('ALL', 10));

    expect(error.code).toBe('TEMPORARILY_UNAVAILABLE');
    expect(error.message).toContain(`cannot reach the MLflow tracking server at http://127.0.0.1:${port}`);
  });

  it('reports a server that never answers as timed out', async () => {
    reply = () => undefined;

    const error = await captureError(createClient({ timeoutMs: 50 }).getRun('slow'));

    expect(error.code).toBe('TEMPORARILY_UNAVAILABLE');
    expect(error.message).toContain('timed out after 50 ms');
  });

  it('rejects runs/get without a run object', async () => {
    reply = (_request, response) => response.end('{}');

    const error = await captureError(createClient().getRun('r'));

    expect(error.code).toBe('INTERNAL_ERROR');
    expect(error.message).toContain('without a run');
  });
});
