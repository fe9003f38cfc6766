import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HubError } from '../../../../src/common/errors';
import { MetricsRegistry } from '../../../../src/main/core/api/metricsRegistry';
import { ApiRouter, type MlflowRouter } from '../../../../src/main/core/api/router';
import { SseStreams } from '../../../../src/main/core/api/sse';
import { EventBus } from '../../../../src/main/core/eventBus';
import { createSilentLogger } from '../../../../src/main/core/logger';
import { postMethod, sendRequest } from '../../../integration/api/httpClient';

const token = 'c'.repeat(64);
const auth = { Authorization: `Bearer ${token}` };

describe('ApiRouter', () => {
  let server: http.Server;
  let port: number;
  let sse: SseStreams;
  let staticDir: string;
  const calls: { name: string; input: unknown }[] = [];

  beforeEach(async () => {
    staticDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    const log = createSilentLogger();
    sse = new SseStreams(new EventBus(log), log, 60_000);
    const mlflowRouter: MlflowRouter = (request) => (request.pathname === '/api/2.0/mlflow/experiments/get' ? { status: 200, body: { echo: request.query.get('experiment_id') } } : null);
    const router = new ApiRouter({
      call: async (name, input) => {
        calls.push({ name, input });
        if (name === 'boom:now') throw new Error('disk on fire');
        if (name === 'missing:thing') throw new HubError('RESOURCE_DOES_NOT_EXIST', 'no such thing');
        return { ok: true };
      },
      getMlflowRouter: () => mlflowRouter,
      metrics: new MetricsRegistry(),
      sse,
      token,
      staticDir,
      version: '1.2.3',
      maxBodyBytes: 1024,
      log,
    });
    server = http.createServer((request, response) => router.handle(request, response, 'tcp', port));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    calls.length = 0;
  });

  afterEach(async () => {
    sse.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  it('rejects a request without a token', async () => {
    const response = await postMethod({ port }, 'projects:list', {});

    expect(response.status).toBe(401);
    expect(response.json()).toMatchObject({ error_code: 'UNAUTHENTICATED' });
    expect(calls).toEqual([]);
  });

  it('rejects a wrong token', async () => {
    const response = await postMethod({ port }, 'projects:list', {}, { Authorization: `Bearer ${'d'.repeat(64)}` });

    expect(response.status).toBe(401);
    expect(response.json()).toMatchObject({ error_code: 'UNAUTHENTICATED' });
  });

  it('runs a hub method with the right token', async () => {
    const response = await postMethod({ port }, 'projects:list', { a: 1 }, auth);

    expect(response.status).toBe(200);
    expect(response.json()).toEqual({ ok: true });
    expect(calls).toEqual([{ name: 'projects:list', input: { a: 1 } }]);
  });

  it('rejects a foreign Host header', async () => {
    const response = await postMethod({ port }, 'projects:list', {}, { ...auth, Host: `rebound.example:${port}` });

    expect(response.status).toBe(403);
    expect(response.json()).toMatchObject({ error_code: 'PERMISSION_DENIED' });
    expect(calls).toEqual([]);
  });

  it('rejects a cross-origin browser request', async () => {
    const response = await postMethod({ port }, 'projects:list', {}, { ...auth, Origin: 'https://evil.example' });

    expect(response.status).toBe(403);
    expect(calls).toEqual([]);
  });

  it('answers malformed JSON with MALFORMED_REQUEST', async () => {
    const response = await sendRequest({ port }, { method: 'POST', path: '/api/hub/projects/list', headers: auth, body: '{"a":' });

    expect(response.status).toBe(400);
    expect(response.json()).toMatchObject({ error_code: 'MALFORMED_REQUEST' });
  });

  it('answers an oversized body with 413', async () => {
    const response = await sendRequest({ port }, { method: 'POST', path: '/api/hub/projects/list', headers: auth, body: JSON.stringify({ text: 'x'.repeat(2000) }) });

    expect(response.status).toBe(413);
    expect(response.json()).toMatchObject({ error_code: 'REQUEST_LIMIT_EXCEEDED' });
  });

  it('maps a HubError to its status', async () => {
    const response = await postMethod({ port }, 'missing:thing', {}, auth);

    expect(response.status).toBe(404);
    expect(response.json()).toEqual({ error_code: 'RESOURCE_DOES_NOT_EXIST', message: 'no such thing' });
  });

  it('hides unexpected errors behind INTERNAL_ERROR', async () => {
    const response = await postMethod({ port }, 'boom:now', {}, auth);

    expect(response.status).toBe(500);
    expect(response.json()).toMatchObject({ error_code: 'INTERNAL_ERROR' });
    expect(response.text).not.toContain('disk on fire');
    expect(response.text).toContain(String(response.headers['x-request-id']));
  });

  it('rejects GET on a hub method', async () => {
    const response = await sendRequest({ port }, { path: '/api/hub/projects/list', headers: auth });

    expect(response.status).toBe(405);
  });

  it('passes MLflow paths and query to the MLflow router', async () => {
    const direct = await sendRequest({ port }, { path: '/api/2.0/mlflow/experiments/get?experiment_id=7', headers: auth });
    const ajax = await sendRequest({ port }, { path: '/ajax-api/2.0/mlflow/experiments/get?experiment_id=8', headers: auth });

    expect(direct.json()).toEqual({ echo: '7' });
    expect(ajax.json()).toEqual({ echo: '8' });
  });

  it('answers unknown MLflow paths with ENDPOINT_NOT_FOUND', async () => {
    const response = await sendRequest({ port }, { path: '/api/2.0/mlflow/nothing/here', headers: auth });

    expect(response.status).toBe(404);
    expect(response.json()).toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND' });
  });

  it('requires the token for MLflow, metrics and events', async () => {
    for (const requestPath of ['/api/2.0/mlflow/experiments/get', '/metrics', '/events']) {
      const response = await sendRequest({ port }, { path: requestPath });
      expect(response.status, requestPath).toBe(401);
    }
  });

  it('serves the static page without a token', async () => {
    const response = await sendRequest({ port }, { path: '/' });

    expect(response.status).toBe(200);
    expect(response.headers['content-security-policy']).toContain("default-src 'self'");
  });

  it('counts requests by route class and status', async () => {
    await postMethod({ port }, 'projects:list', {});
    await postMethod({ port }, 'projects:list', {}, auth);
    const response = await sendRequest({ port }, { path: '/metrics', headers: auth });

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/plain; version=0.0.4');
    expect(response.text).toContain('hub_http_requests_total{route="rejected",status="401"} 1');
    expect(response.text).toContain('hub_http_requests_total{route="hub_api",status="200"} 1');
  });
});
