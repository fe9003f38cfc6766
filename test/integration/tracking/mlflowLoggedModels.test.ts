import fs from 'node:fs';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { type Hub } from '../../../src/main/core/hub';
import { type TestResponse } from '../api/httpClient';
import { sendWithToken, startTestHub, stopTestHub } from '../support/hub';

const userAgent = 'mlflow-python-client/3.1.0';

interface ModelInfo {
  model_id: string;
  experiment_id: string;
  name: string;
  artifact_uri: string;
  status: string;
  source_run_id?: string;
  tags?: { key: string; value: string }[];
}

/**
 * MLflow 3.x `mlflow.sklearn.log_model(model, name="model")` over real HTTP:
 * create the LoggedModel, upload its files below the model's artifact_uri,
 * finalize it, and record it as an output of the active run.
 */
describe('MLflow 3.x logged models', () => {
  let home: string;
  let hub: Hub;

  beforeEach(async () => {
    ({ home, hub } = await startTestHub());
  });

  afterEach(async () => {
    await stopTestHub({ home, hub });
  });

  function send(method: string, requestPath: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<TestResponse> {
    return sendWithToken(hub, userAgent, method, requestPath, body, headers);
  }

  async function mlflow(method: string, endpoint: string, body?: unknown): Promise<Record<string, unknown>> {
    const response = await send(method, `/api/2.0/mlflow/${endpoint}`, body === undefined ? undefined : JSON.stringify(body), { 'Content-Type': 'application/json' });
    expect(response.status, `${method} ${endpoint}: ${response.text}`).toBe(200);

    return response.json() as Record<string, unknown>;
  }

  function proxyPath(artifactUri: string, file = ''): string {
    const base = `/api/2.0/mlflow-artifacts/artifacts/${artifactUri.replace(/^mlflow-artifacts:\//, '')}`;

    return file ? `${base}/${file}` : base;
  }

  async function createRun(experimentId: string): Promise<string> {
    const created = await mlflow('POST', 'runs/create', { experiment_id: experimentId, start_time: 1, tags: [{ key: 'mlflow.runName', value: 'fit' }] });

    return (created['run'] as { info: { run_id: string } }).info.run_id;
  }

  it('replays mlflow.sklearn.log_model', async () => {
    const runId = await createRun('0');

    const created = await mlflow('POST', 'logged-models', {
      experiment_id: '0',
      name: 'model',
      source_run_id: runId,
      params: [],
      tags: [{ key: 'mlflow.source.type', value: 'LOCAL' }],
    });
    const info = (created['model'] as { info: ModelInfo; data: object }).info;
    expect(Object.keys(created['model'] as object).sort()).toEqual(['data', 'info']);
    expect(info.status).toBe('LOGGED_MODEL_PENDING');
    expect(info.artifact_uri).toBe(`mlflow-artifacts:/0/models/${info.model_id}/artifacts`);
    expect(info.source_run_id).toBe(runId);
    expect(info.tags).toEqual([{ key: 'mlflow.source.type', value: 'LOCAL' }]);

    const files: Record<string, string> = {
      MLmodel: `artifact_path: mlflow-artifacts:/0/models/${info.model_id}/artifacts\nflavors:\n  sklearn:\n    pickled_model: model.pkl\nmodel_id: ${info.model_id}\n`,
      'model.pkl': '\u0080\u0004pickled',
      'requirements.txt': 'mlflow==3.1.0\nscikit-learn==1.5.0\n',
      'conda.yaml': 'name: mlflow-env\n',
      'python_env.yaml': 'python: 3.11.9\n',
    };
    for (const [name, content] of Object.entries(files)) {
      const put = await send('PUT', proxyPath(info.artifact_uri, name), content);
      expect(put.status, `PUT ${name}: ${put.text}`).toBe(200);
      expect(put.json()).toEqual({});
    }

    const finalized = await mlflow('PATCH', `logged-models/${info.model_id}`, { model_id: info.model_id, status: 'LOGGED_MODEL_READY' });
    expect((finalized['model'] as { info: ModelInfo }).info.status).toBe('LOGGED_MODEL_READY');
    expect(await mlflow('POST', 'runs/outputs', { run_id: runId, models: [{ model_id: info.model_id, step: 0 }] })).toEqual({});

    const run = (await mlflow('GET', `runs/get?run_id=${runId}`))['run'] as { outputs?: unknown };
    expect(run.outputs).toEqual({ model_outputs: [{ model_id: info.model_id, step: 0 }] });
    const fetched = (await mlflow('GET', `logged-models/${info.model_id}`))['model'] as { info: ModelInfo };
    expect(fetched.info.status).toBe('LOGGED_MODEL_READY');
    const listing = await send('GET', `/api/2.0/mlflow-artifacts/artifacts?path=${encodeURIComponent(`0/models/${info.model_id}/artifacts`)}`);
    expect((listing.json() as { files: { path: string }[] }).files.map((file) => file.path)).toEqual(['MLmodel', 'conda.yaml', 'model.pkl', 'python_env.yaml', 'requirements.txt']);
    const download = await send('GET', proxyPath(info.artifact_uri, 'MLmodel'));
    expect(download.text).toBe(files['MLmodel']);

    // mlflow.pyfunc.load_model("runs:/<run>/model") falls back to a search when the run has no MLmodel.
    const search = await mlflow('POST', 'logged-models/search', { experiment_ids: ['0'], filter: "name = 'model'", max_results: 10 });
    expect((search['models'] as { info: ModelInfo }[]).map((model) => model.info.model_id)).toEqual([info.model_id]);
    const byRun = await mlflow('POST', 'logged-models/search', { experiment_ids: ['0'], filter: `source_run_id='${runId}' AND name='model'` });
    expect((byRun['models'] as { info: ModelInfo }[]).map((model) => model.info.model_id)).toEqual([info.model_id]);
  });

  it('rejects bad model artifact paths', async () => {
    const created = await mlflow('POST', 'logged-models', { experiment_id: '0', name: 'model' });
    const info = (created['model'] as { info: ModelInfo }).info;

    const escape = await send('PUT', `${proxyPath(info.artifact_uri)}/%2e%2e/%2e%2e/x`, 'x');
    const unknown = await send('PUT', proxyPath(`mlflow-artifacts:/0/models/m-${'0'.repeat(32)}/artifacts`, 'MLmodel'), 'x');
    const wrongExperiment = await send('PUT', proxyPath(info.artifact_uri.replace(':/0/', ':/7/'), 'MLmodel'), 'x');
    const badId = await send('PUT', '/api/2.0/mlflow-artifacts/artifacts/0/models/..x/artifacts/MLmodel', 'x');

    expect(escape.status).toBe(400);
    expect(unknown.status).toBe(404);
    expect((unknown.json() as { error_code: string }).error_code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(wrongExperiment.status).toBe(404);
    expect(badId.status).toBe(400);
    expect(fs.existsSync(path.join(home, 'artifacts', '0'))).toBe(false);
  });

  it('removes models when a project is purged', async () => {
    const projectDir = path.join(home, 'demo-project');
    fs.mkdirSync(projectDir);
    fs.writeFileSync(path.join(projectDir, 'mlops.yaml'), 'name: demo\n');
    await hub.call('projects:add', { path: projectDir, name: 'demo' }, { transport: 'unix' });
    const { experiment_id: experimentId } = (await mlflow('POST', 'experiments/create', { name: 'demo-exp', tags: [{ key: 'mlops_hub.project', value: 'demo' }] })) as { experiment_id: string };
    const created = await mlflow('POST', 'logged-models', { experiment_id: experimentId, name: 'model', source_run_id: await createRun(experimentId) });
    const info = (created['model'] as { info: ModelInfo }).info;
    await send('PUT', proxyPath(info.artifact_uri, 'MLmodel'), 'flavors: {}\n');
    expect(fs.existsSync(path.join(home, 'artifacts', experimentId, 'models', info.model_id, 'artifacts', 'MLmodel'))).toBe(true);

    await hub.call('projects:remove', { name: 'demo', purge: true }, { transport: 'unix' });

    const fetched = await send('GET', `/api/2.0/mlflow/logged-models/${info.model_id}`);
    expect(fetched.status).toBe(404);
    expect(fs.existsSync(path.join(home, 'artifacts', experimentId))).toBe(false);
  });
});
