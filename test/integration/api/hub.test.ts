import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createHub, type Hub } from '../../../src/main/core/hub';
import { createSilentLogger } from '../../../src/main/core/logger';
import { hubVersion } from '../../../src/main/core/settings';
import { startTestHub, stopTestHub } from '../support/hub';
import { postMethod, sendRequest } from './httpClient';

describe('createHub', () => {
  let home: string;
  let hub: Hub;

  beforeEach(async () => {
    ({ home, hub } = await startTestHub());
  });

  afterEach(async () => {
    await stopTestHub({ home, hub });
  });

  it('creates the socket 0600 in a 0700 folder', () => {
    expect(fs.statSync(hub.paths.socketPath).isSocket()).toBe(true);
    expect(fs.statSync(hub.paths.socketPath).mode & 0o777).toBe(0o600);
    expect(fs.statSync(hub.paths.socketDir).mode & 0o777).toBe(0o700);
  });

  it('writes a 64-hex token file with mode 0600', () => {
    expect(fs.readFileSync(hub.paths.tokenFile, 'utf8').trim()).toBe(hub.token);
    expect(hub.token).toMatch(/^[0-9a-f]{64}$/);
    expect(fs.statSync(hub.paths.tokenFile).mode & 0o777).toBe(0o600);
  });

  it('serves hub methods on the socket without a token', async () => {
    const response = await postMethod({ socketPath: hub.paths.socketPath }, 'projects:list', {});

    expect(response.status).toBe(200);
    expect(response.json()).toEqual([expect.objectContaining({ name: 'default' })]);
  });

  it('requires the token over TCP', async () => {
    const anonymous = await postMethod({ port: hub.port! }, 'projects:list', {});
    const wrong = await postMethod({ port: hub.port! }, 'projects:list', {}, { Authorization: `Bearer ${'0'.repeat(64)}` });
    const authorized = await postMethod({ port: hub.port! }, 'projects:list', {}, { Authorization: `Bearer ${hub.token}` });

    expect(anonymous.status).toBe(401);
    expect(anonymous.json()).toMatchObject({ error_code: 'UNAUTHENTICATED' });
    expect(wrong.status).toBe(401);
    expect(authorized.status).toBe(200);
  });

  it('rejects a rebound Host header over TCP', async () => {
    const response = await postMethod({ port: hub.port! }, 'projects:list', {}, { Authorization: `Bearer ${hub.token}`, Host: `attacker.example:${hub.port}` });

    expect(response.status).toBe(403);
  });

  it('reports invalid input with field and value', async () => {
    const response = await postMethod({ socketPath: hub.paths.socketPath }, 'projects:add', { path: 42 });

    expect(response.status).toBe(400);
    expect(response.json()).toEqual({ error_code: 'INVALID_PARAMETER_VALUE', message: 'projects:add: invalid `path`: expected string, received number 42' });
  });

  it('reports an unknown method as ENDPOINT_NOT_FOUND', async () => {
    const response = await postMethod({ socketPath: hub.paths.socketPath }, 'nothing:here', {});

    expect(response.status).toBe(404);
    expect(response.json()).toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND' });
  });

  it('keeps serving after bad requests', async () => {
    await sendRequest({ socketPath: hub.paths.socketPath }, { method: 'POST', path: '/api/hub/projects/add', body: '{not json' });
    await postMethod({ socketPath: hub.paths.socketPath }, 'projects:add', { path: path.join(home, 'missing') });
    const response = await postMethod({ socketPath: hub.paths.socketPath }, 'projects:list', {});

    expect(response.status).toBe(200);
  });

  it('rejects bad project input, keeps data', async () => {
    const socket = { socketPath: hub.paths.socketPath };
    fs.mkdirSync(path.join(home, 'a'));
    fs.mkdirSync(path.join(home, 'b'));
    fs.mkdirSync(path.join(home, 'broken'));
    fs.writeFileSync(path.join(home, 'broken', 'mlops.yaml'), 'name: broken\nresources:\n  gpu: lots\n');
    fs.writeFileSync(path.join(home, 'file.txt'), '');
    await postMethod(socket, 'projects:add', { path: path.join(home, 'a'), name: 'shared' });

    const cases: [unknown, number, string, RegExp][] = [
      [{ path: path.join(home, 'missing') }, 400, 'INVALID_PARAMETER_VALUE', /does not exist; pass an existing project folder$/],
      [{ path: path.join(home, 'file.txt') }, 400, 'INVALID_PARAMETER_VALUE', /is not a folder/],
      [{ path: path.join(home, 'b'), name: 'shared' }, 400, 'RESOURCE_ALREADY_EXISTS', /project `shared` already exists/],
      [{ path: path.join(home, 'broken') }, 400, 'INVALID_PARAMETER_VALUE', /^mlops\.yaml line 3: `resources\.gpu` must be true, false or a share of the GPU from 0 to 1; got `lots`$/],
      [{ path: path.join(home, 'b'), name: 'Not A Slug' }, 400, 'INVALID_PARAMETER_VALUE', /invalid `name`/],
    ];
    for (const [input, status, code, message] of cases) {
      const response = await postMethod(socket, 'projects:add', input);
      const body = response.json() as { error_code: string; message: string };

      expect(response.status, JSON.stringify(input)).toBe(status);
      expect(body.error_code, JSON.stringify(input)).toBe(code);
      expect(body.message).toMatch(message);
    }

    const names = ((await postMethod(socket, 'projects:list', {})).json() as { name: string }[]).map((project) => project.name);
    expect(names).toEqual(['default', 'shared']);
  });

  it('serves the MLflow API with the token', async () => {
    const response = await sendRequest({ port: hub.port! }, { path: '/api/2.0/mlflow/experiments/get?experiment_id=0', headers: { Authorization: `Bearer ${hub.token}` } });

    expect(response.status).toBe(200);
    expect(response.json()).toMatchObject({ experiment: { experiment_id: '0', name: 'Default' } });
  });

  it('exposes Prometheus metrics', async () => {
    const response = await sendRequest({ port: hub.port! }, { path: '/metrics', headers: { Authorization: `Bearer ${hub.token}` } });

    expect(response.status).toBe(200);
    expect(response.text).toContain('\nhub_up 1\n');
    expect(response.text).toContain('\nhub_runs_active 0\n');
    expect(response.text).toContain('# TYPE hub_http_requests_total counter');
  });

  it('delivers events over SSE', async () => {
    const stream = await openEventStream(hub.port!, hub.token);
    const folder = path.join(home, 'proj');
    fs.mkdirSync(folder);
    await postMethod({ socketPath: hub.paths.socketPath }, 'projects:add', { path: folder });

    const text = await stream.waitFor('projects:didChange');

    expect(stream.contentType).toContain('text/event-stream');
    expect(text).toContain('data: {"type":"projects:didChange"}\n\n');
    stream.close();
  });

  it('accepts the SSE token as a query parameter', async () => {
    const response = await new Promise<http.IncomingMessage>((resolve, reject) => {
      http.get({ host: '127.0.0.1', port: hub.port!, path: `/events?token=${hub.token}` }, resolve).on('error', reject);
    });

    expect(response.statusCode).toBe(200);
    response.destroy();
  });

  it('answers /health with OK and no token', async () => {
    for (const target of [{ port: hub.port! }, { socketPath: hub.paths.socketPath }]) {
      const response = await sendRequest(target, { path: '/health' });

      expect(response.status).toBe(200);
      expect(response.headers['content-type']).toBe('text/plain; charset=utf-8');
      expect(response.text).toBe('OK');
    }
  });

  it('answers /version with the hub version, token required over TCP', async () => {
    const withToken = await sendRequest({ port: hub.port! }, { path: '/version', headers: { Authorization: `Bearer ${hub.token}` } });
    const overSocket = await sendRequest({ socketPath: hub.paths.socketPath }, { path: '/version' });
    const withoutToken = await sendRequest({ port: hub.port! }, { path: '/version' });

    expect(withToken.status).toBe(200);
    expect(withToken.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(withToken.text).toBe(hubVersion);
    expect(overSocket.text).toBe(hubVersion);
    expect(withoutToken.status).toBe(401);
  });

  it('answers /favicon.ico with 204 when the build has none', async () => {
    const response = await sendRequest({ port: hub.port! }, { path: '/favicon.ico' });

    expect(response.status).toBe(204);
    expect(response.text).toBe('');
  });

  it('tells the user to build the dashboard when missing', async () => {
    const response = await sendRequest({ port: hub.port! }, { path: '/' });

    expect(response.status).toBe(200);
    expect(response.text).toContain('npm run build');
  });

  it('rejects a second hub on the same data folder', async () => {
    await expect(createHub({ dataDir: home, log: createSilentLogger(), listen: { port: 0 } })).rejects.toThrow(/another MLOps Hub is already running/);
    expect((await postMethod({ socketPath: hub.paths.socketPath }, 'projects:list', {})).status).toBe(200);
  });

  it('removes the socket file on close', async () => {
    await hub.close();

    expect(fs.existsSync(hub.paths.socketPath)).toBe(false);
  });
});

describe('createHub listeners', () => {
  it('replaces a stale socket file', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    fs.mkdirSync(path.join(home, 'run'), { mode: 0o700 });
    fs.writeFileSync(path.join(home, 'run', 'hub.sock'), '');

    const hub = await createHub({ dataDir: home, log: createSilentLogger(), listen: { port: null } });

    expect(fs.statSync(hub.paths.socketPath).isSocket()).toBe(true);
    expect(hub.port).toBeNull();
    await hub.close();
  });

  it('fails clearly when the TCP port is taken', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as net.AddressInfo).port;

    await expect(createHub({ dataDir: home, log: createSilentLogger(), listen: { port } })).rejects.toThrow(new RegExp(`port ${port} on 127.0.0.1 is already in use`));
    expect(fs.existsSync(path.join(home, 'run', 'hub.sock'))).toBe(false);

    blocker.close();
  });

  it('binds TCP to 127.0.0.1 only', async () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    const hub = await createHub({ dataDir: home, log: createSilentLogger(), listen: { port: 0 } });

    // A wildcard bind would also accept 127.0.0.2, which Linux routes to the loopback interface.
    const otherLoopback = await new Promise<string>((resolve) => {
      const socket = net.connect({ host: '127.0.0.2', port: hub.port! });
      socket.once('connect', () => resolve('connected'));
      socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
    });

    expect(hub.dashboardUrl).toBe(`http://127.0.0.1:${hub.port}/`);
    expect(otherLoopback).not.toBe('connected');
    await hub.close();
  });
});

interface EventStream {
  contentType: string;
  waitFor(text: string): Promise<string>;
  close(): void;
}

function openEventStream(port: number, token: string): Promise<EventStream> {
  return new Promise((resolve, reject) => {
    const request = http.get({ host: '127.0.0.1', port, path: '/events', headers: { Authorization: `Bearer ${token}` } }, (response) => {
      let received = '';
      const waiters: (() => void)[] = [];
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        received += chunk;
        for (const waiter of waiters.splice(0)) waiter();
      });
      resolve({
        contentType: String(response.headers['content-type']),
        waitFor: (text) =>
          new Promise((found) => {
            const check = (): void => {
              if (received.includes(text)) found(received);
              else waiters.push(check);
            };
            check();
          }),
        close: () => request.destroy(),
      });
    });
    request.on('error', reject);
  });
}
