import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { type Hub } from '../../../src/main/core/hub';
import { createHttpTransport } from '../../../src/renderer/src/transport/httpTransport';
import { HubCallError } from '../../../src/renderer/src/transport/hubTransport';
import { sendRequest, type TestResponse } from '../api/httpClient';
import { sendWithToken, startTestHub, stopTestHub } from '../support/hub';

const userAgent = 'mlflow-python-client/2.17.0';

/**
 * The artifact proxy over real HTTP: the requests the stock MLflow client sends
 * for log_artifact, list_artifacts and download_artifacts, and the path, state
 * and size checks that guard the artifact folder.
 */
describe('MLflow artifact proxy', () => {
  let home: string;
  let hub: Hub;

  async function startHub(maxArtifactBytes?: number): Promise<void> {
    ({ home, hub } = await startTestHub({ maxArtifactBytes }));
  }

  afterEach(async () => {
    await stopTestHub({ home, hub });
  });

  function send(method: string, requestPath: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<TestResponse> {
    return sendWithToken(hub, userAgent, method, requestPath, body, headers);
  }

  async function createRun(): Promise<{ runId: string; experimentId: string; artifactUri: string }> {
    const created = await send('POST', '/api/2.0/mlflow/runs/create', JSON.stringify({ experiment_id: '0', start_time: 1 }), { 'Content-Type': 'application/json' });
    const info = (created.json() as { run: { info: { run_id: string; experiment_id: string; artifact_uri: string } } }).run.info;

    return { runId: info.run_id, experimentId: info.experiment_id, artifactUri: info.artifact_uri };
  }

  /** Builds the proxy path that the MLflow client derives from an `mlflow-artifacts:/` URI. */
  function proxyPath(artifactUri: string, file = ''): string {
    const base = `/api/2.0/mlflow-artifacts/artifacts/${artifactUri.replace(/^mlflow-artifacts:\//, '')}`;

    return file ? `${base}/${file}` : base;
  }

  it('replays log_artifact, list_artifacts and download_artifacts', async () => {
    await startHub();
    const run = await createRun();
    expect(run.artifactUri).toBe(`mlflow-artifacts:/0/${run.runId}/artifacts`);

    // mlflow.log_artifact("notes.txt", artifact_path="docs"): resolve the artifact URI, then one PUT.
    const fetched = await send('GET', `/api/2.0/mlflow/runs/get?run_uuid=${run.runId}&run_id=${run.runId}`);
    expect(fetched.status).toBe(200);
    const put = await send('PUT', proxyPath(run.artifactUri, 'docs/notes.txt'), 'hello artifacts\n', { 'Content-Type': 'text/plain' });
    expect(put.status).toBe(200);
    expect(put.json()).toEqual({});

    // client.list_artifacts(run_id): the proxy lists basenames below the requested path.
    const root = await send('GET', `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(`0/${run.runId}/artifacts`)}`);
    expect(root.json()).toEqual({ files: [{ path: 'docs', is_dir: true }] });
    const docs = await send('GET', `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(`0/${run.runId}/artifacts/docs`)}`);
    expect(docs.json()).toEqual({ files: [{ path: 'notes.txt', is_dir: false, file_size: 16 }] });

    // download_artifacts: a streamed attachment.
    const download = await send('GET', proxyPath(run.artifactUri, 'docs/notes.txt'));
    expect(download.status).toBe(200);
    expect(download.text).toBe('hello artifacts\n');
    expect(download.headers['content-type']).toBe('application/octet-stream');
    expect(download.headers['content-disposition']).toMatch(/^attachment/);
    expect(download.headers['x-content-type-options']).toBe('nosniff');
  });

  it('replays an MLflow 2.x log_model', async () => {
    await startHub();
    const run = await createRun();
    const files = { MLmodel: 'artifact_path: model\nflavors: {}\n', 'model.pkl': Buffer.from([128, 4, 149]), 'requirements.txt': 'scikit-learn\n' };

    // log_model writes the model folder locally, uploads it file by file, then records the model on the run.
    await send('GET', `/api/2.0/mlflow/runs/get?run_uuid=${run.runId}&run_id=${run.runId}`);
    for (const [name, body] of Object.entries(files)) {
      expect((await send('PUT', proxyPath(run.artifactUri, `model/${name}`), body)).status).toBe(200);
    }
    const model = { run_id: run.runId, artifact_path: 'model', utc_time_created: '2026-12-04 20:00:00.000000', flavors: { python_function: {} } };
    const recorded = await send('POST', '/api/2.0/mlflow/runs/log-model', JSON.stringify({ run_id: run.runId, model_json: JSON.stringify(model) }), { 'Content-Type': 'application/json' });
    expect(recorded.status).toBe(200);
    expect(recorded.json()).toEqual({});

    const fetched = (await send('GET', `/api/2.0/mlflow/runs/get?run_id=${run.runId}`)).json() as { run: { data: { tags: { key: string; value: string }[] } } };
    const history = fetched.run.data.tags.find((tag) => tag.key === 'mlflow.log-model.history');
    expect(JSON.parse(history?.value ?? 'null')).toEqual([model]);
    const listing = await send('GET', `/api/2.0/mlflow/artifacts/list?run_id=${run.runId}&path=model`);
    expect((listing.json() as { files: { path: string }[] }).files.map((file) => file.path)).toEqual(['model/MLmodel', 'model/model.pkl', 'model/requirements.txt']);

    const malformed = await send('POST', '/api/2.0/mlflow/runs/log-model', JSON.stringify({ run_id: run.runId, model_json: '[1]' }), { 'Content-Type': 'application/json' });
    expect(malformed.status).toBe(400);
    expect(malformed.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
  });

  it('serves the tracking listing, ajax-api and get-artifact', async () => {
    await startHub();
    const run = await createRun();
    await send('PUT', `/ajax-api/2.0/mlflow-artifacts/artifacts/0/${run.runId}/artifacts/model/weights.bin`, Buffer.from([0, 1, 2, 255]));

    const listing = await send('GET', `/api/2.0/mlflow/artifacts/list?run_id=${run.runId}&path=model`);
    expect(listing.json()).toEqual({ root_uri: run.artifactUri, files: [{ path: 'model/weights.bin', is_dir: false, file_size: 4 }] });
    const empty = await send('GET', `/ajax-api/2.0/mlflow/artifacts/list?run_id=${run.runId}&path=none`);
    expect(empty.json()).toEqual({ root_uri: run.artifactUri });

    const file = await send('GET', `/get-artifact?run_uuid=${run.runId}&path=model/weights.bin`);
    expect(file.status).toBe(200);
    expect(file.headers['content-length']).toBe('4');
    const missing = await send('GET', `/get-artifact?run_id=${run.runId}&path=model/none.bin`);
    expect(missing.status).toBe(404);
    expect(missing.json()).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('deletes files and folders', async () => {
    await startHub();
    const run = await createRun();
    await send('PUT', proxyPath(run.artifactUri, 'a/b.txt'), 'b');
    await send('PUT', proxyPath(run.artifactUri, 'c.txt'), 'c');

    expect((await send('DELETE', proxyPath(run.artifactUri, 'a'))).json()).toEqual({});
    expect((await send('DELETE', proxyPath(run.artifactUri, 'gone.txt'))).status).toBe(200);

    const listing = await send('GET', `/api/2.0/mlflow/artifacts/list?run_id=${run.runId}`);
    expect(listing.json()).toEqual({ root_uri: run.artifactUri, files: [{ path: 'c.txt', is_dir: false, file_size: 1 }] });
  });

  it('rejects traversal, absolute and NUL paths', async () => {
    await startHub();
    const run = await createRun();
    const prefix = `/api/2.0/mlflow-artifacts/artifacts/0/${run.runId}/artifacts`;
    const attempts = [
      ['PUT', `${prefix}/..%2f..%2f..%2f..%2fescaped.txt`],
      ['PUT', `${prefix}/%252e%252e/%252e%252e/escaped.txt`],
      ['PUT', `${prefix}/a%00b.txt`],
      ['PUT', `${prefix}/..\\..\\escaped.txt`],
      ['GET', `${prefix}/..%2F..%2F..%2F..%2F..%2F..%2F..%2F..%2Fetc%2Fpasswd`],
      ['DELETE', `${prefix}/..%2f..`],
      ['GET', `/api/2.0/mlflow-artifacts/artifacts/%2Fetc%2Fpasswd`],
      ['GET', `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent('/etc')}`],
      ['GET', `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(`0/${run.runId}/artifacts/../../..`)}`],
      ['GET', `/get-artifact?run_id=${run.runId}&path=${encodeURIComponent('../../../../etc/passwd')}`],
      ['GET', `/api/2.0/mlflow/artifacts/list?run_id=${run.runId}&path=${encodeURIComponent('%2e%2e/%2e%2e')}`],
    ] as const;

    for (const [method, requestPath] of attempts) {
      const response = await send(method, requestPath, method === 'PUT' ? 'x' : undefined);
      expect({ requestPath, status: response.status }).toEqual({ requestPath, status: 400 });
      expect(response.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    }
    expect(fs.readdirSync(path.join(home, 'artifacts')).sort()).toEqual(['.uploads']);
  });

  it('never serves dot segments that URL parsing removes', async () => {
    await startHub();
    const run = await createRun();
    const prefix = `/api/2.0/mlflow-artifacts/artifacts/0/${run.runId}/artifacts`;

    // `/../` and `/%2e%2e/` are resolved while parsing the request target, so these reach no artifact path at all.
    for (const requestPath of [`${prefix}/%2e%2e/%2e%2e/%2e%2e/%2e%2e/escaped.txt`, `${prefix}/../../../../../../etc/passwd`]) {
      const response = await send('PUT', requestPath, 'x');
      expect({ requestPath, status: response.status }).toEqual({ requestPath, status: 404 });
    }
    expect(fs.readdirSync(path.join(home, 'artifacts')).sort()).toEqual(['.uploads']);
  });

  it('stores names with spaces and non-ASCII letters', async () => {
    await startHub();
    const run = await createRun();

    const put = await send('PUT', encodeURI(proxyPath(run.artifactUri, 'résumé notes/été 100%.txt')), 'ok');
    expect(put.status).toBe(200);
    const listing = await send('GET', `/api/2.0/mlflow/artifacts/list?run_id=${run.runId}&path=${encodeURIComponent('résumé notes')}`);
    expect(listing.json()).toEqual({ root_uri: run.artifactUri, files: [{ path: 'résumé notes/été 100%.txt', is_dir: false, file_size: 2 }] });
  });

  it('requires the token on every artifact route', async () => {
    await startHub();
    const run = await createRun();
    const routes = [
      ['PUT', proxyPath(run.artifactUri, 'a.txt')],
      ['GET', proxyPath(run.artifactUri, 'a.txt')],
      ['PUT', `/ajax-api/2.0/mlflow-artifacts/artifacts/0/${run.runId}/artifacts/a.txt`],
      ['GET', `/get-artifact?run_id=${run.runId}&path=a.txt`],
    ] as const;

    for (const [method, requestPath] of routes) {
      const response = await sendRequest({ port: hub.port! }, { method, path: requestPath, body: method === 'PUT' ? 'x' : undefined });
      expect({ requestPath, status: response.status }).toEqual({ requestPath, status: 401 });
    }
    expect(fs.existsSync(path.join(home, 'artifacts', '0'))).toBe(false);
  });

  it('rejects writes to a deleted run', async () => {
    await startHub();
    const run = await createRun();
    await send('POST', '/api/2.0/mlflow/runs/delete', JSON.stringify({ run_id: run.runId }), { 'Content-Type': 'application/json' });

    const put = await send('PUT', proxyPath(run.artifactUri, 'late.txt'), 'late');
    expect(put.status).toBe(400);
    expect(put.json()).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining("'active' state") });
    expect((await send('DELETE', proxyPath(run.artifactUri, 'late.txt'))).status).toBe(400);
  });

  it('rejects uploads over the size limit with 413', async () => {
    await startHub(8);
    const run = await createRun();

    const declared = await send('PUT', proxyPath(run.artifactUri, 'big.bin'), Buffer.alloc(9));
    expect(declared.status).toBe(413);
    expect(declared.json()).toMatchObject({ error_code: 'REQUEST_LIMIT_EXCEEDED' });

    const chunked = await sendChunked(hub.port!, hub.token, proxyPath(run.artifactUri, 'big.bin'), [Buffer.alloc(5), Buffer.alloc(5)]);
    expect(chunked).toBe(413);

    const fits = await send('PUT', proxyPath(run.artifactUri, 'small.bin'), Buffer.alloc(8));
    expect(fits.status).toBe(200);
    const listing = await send('GET', `/api/2.0/mlflow/artifacts/list?run_id=${run.runId}`);
    expect(listing.json()).toEqual({ root_uri: run.artifactUri, files: [{ path: 'small.bin', is_dir: false, file_size: 8 }] });
    expect(fs.readdirSync(path.join(home, 'artifacts', '.uploads'))).toEqual([]);
  });

  it('removes artifact folders when a project is purged', async () => {
    await startHub();
    const projectDir = path.join(home, 'demo-project');
    fs.mkdirSync(projectDir);
    fs.writeFileSync(path.join(projectDir, 'mlops.yaml'), 'name: demo\n');
    await hub.call('projects:add', { path: projectDir, name: 'demo' }, { transport: 'unix' });
    const experiment = await send('POST', '/api/2.0/mlflow/experiments/create', JSON.stringify({ name: 'demo-exp', tags: [{ key: 'mlops_hub.project', value: 'demo' }] }), { 'Content-Type': 'application/json' });
    const experimentId = (experiment.json() as { experiment_id: string }).experiment_id;
    const created = await send('POST', '/api/2.0/mlflow/runs/create', JSON.stringify({ experiment_id: experimentId }), { 'Content-Type': 'application/json' });
    const artifactUri = (created.json() as { run: { info: { artifact_uri: string } } }).run.info.artifact_uri;
    const kept = await createRun();
    await send('PUT', proxyPath(artifactUri, 'a.txt'), 'a');
    await send('PUT', proxyPath(kept.artifactUri, 'b.txt'), 'b');
    expect(fs.existsSync(path.join(home, 'artifacts', experimentId))).toBe(true);

    await hub.call('projects:remove', { name: 'demo', purge: true }, { transport: 'unix' });

    expect(fs.existsSync(path.join(home, 'artifacts', experimentId))).toBe(false);
    expect(fs.readdirSync(path.join(home, 'artifacts', '0'))).toEqual([kept.runId]);
  });

  it('downloads through the dashboard HTTP transport', async () => {
    await startHub();
    const run = await createRun();
    await send('PUT', proxyPath(run.artifactUri, 'plots/loss.csv'), 'step,loss\n0,1.5\n');
    const transport = createHttpTransport({ baseUrl: `http://127.0.0.1:${hub.port!}`, token: hub.token });

    const listing = await transport.call('artifacts:list', { runId: run.runId, path: 'plots' });
    expect(listing.files).toEqual([{ path: 'plots/loss.csv', isDir: false, fileSize: 16 }]);
    const blob = await transport.downloadArtifact!(run.runId, 'plots/loss.csv');
    expect(await blob.text()).toBe('step,loss\n0,1.5\n');

    const missing = transport.downloadArtifact!(run.runId, 'plots/none.csv');
    await expect(missing).rejects.toBeInstanceOf(HubCallError);
    await expect(missing).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('lists artifacts through the artifacts:list hub method', async () => {
    await startHub();
    const run = await createRun();
    await send('PUT', proxyPath(run.artifactUri, 'metrics.json'), '{}');

    const listing = await hub.call('artifacts:list', { runId: run.runId }, { transport: 'unix' });
    expect(listing).toEqual({ rootUri: run.artifactUri, files: [{ path: 'metrics.json', isDir: false, fileSize: 2 }] });
  });
});

/** Sends a chunked PUT (no Content-Length) and returns the status, or 0 when the hub closed the connection first. */
function sendChunked(port: number, token: string, requestPath: string, chunks: Buffer[]): Promise<number> {
  return new Promise((resolve) => {
    const request = http.request({ host: '127.0.0.1', port, method: 'PUT', path: requestPath, headers: { Authorization: `Bearer ${token}` } }, (response) => {
      response.resume();
      resolve(response.statusCode ?? 0);
    });
    request.on('error', () => resolve(0));
    for (const chunk of chunks) request.write(chunk);
    request.end();
  });
}
