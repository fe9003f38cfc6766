import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { type Hub } from '../../../src/main/core/hub';
import { sendRequest } from '../api/httpClient';
import { startTestHub, stopTestHub } from '../support/hub';
import { expectErrorShape, expectExperimentShape, expectMetricShape, expectRunInfoShape, expectRunShape } from './mlflowShapes';

/**
 * Replays over HTTP the requests that the stock MLflow Python client (2.x and
 * 3.x) sends for set_experiment, start_run, log_param, log_metric, log_batch,
 * set_tag and end_run. Paths, methods, headers, query strings and bodies are
 * the client's, including `run_uuid` next to `run_id` and int64 fields as numbers.
 */
describe('MLflow client replay', () => {
  let home: string;
  let hub: Hub;

  beforeEach(async () => {
    ({ home, hub } = await startTestHub());
  });

  afterEach(async () => {
    await stopTestHub({ home, hub });
  });

  async function mlflow(method: 'GET' | 'POST', endpoint: string, fields: Record<string, unknown> = {}): Promise<{ status: number; body: Record<string, unknown> }> {
    const headers: Record<string, string> = { 'User-Agent': 'mlflow-python-client/2.17.0', Authorization: `Bearer ${hub.token}` };
    let requestPath = `/api/2.0/mlflow/${endpoint}`;
    let body: string | undefined;
    if (method === 'GET') {
      const query = new URLSearchParams(Object.entries(fields).map(([key, value]) => [key, String(value)]));
      requestPath += `?${query.toString()}`;
    } else {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(fields);
    }
    const response = await sendRequest({ port: hub.port! }, { method, path: requestPath, headers, body });

    expect(response.headers['content-type']).toMatch(/^application\/json/);
    return { status: response.status, body: response.json() as Record<string, unknown> };
  }

  it('serves set_experiment, start_run, logging and end_run as MLflow does', async () => {
    // mlflow.set_experiment("digits"): get-by-name returns 404, so the client creates, then reads the experiment.
    const missing = await mlflow('GET', 'experiments/get-by-name', { experiment_name: 'digits' });
    expect(missing.status).toBe(404);
    expectErrorShape(missing.body, 'RESOURCE_DOES_NOT_EXIST');

    const created = await mlflow('POST', 'experiments/create', { name: 'digits' });
    expect(created).toEqual({ status: 200, body: { experiment_id: expect.stringMatching(/^\d+$/) } });
    const experimentId = created.body['experiment_id'] as string;

    const fetched = await mlflow('GET', 'experiments/get', { experiment_id: experimentId });
    expect(fetched.status).toBe(200);
    expectExperimentShape(fetched.body['experiment']);
    expect(fetched.body['experiment']).toMatchObject({ experiment_id: experimentId, name: 'digits', lifecycle_stage: 'active' });

    // mlflow.start_run(run_name="sgd-1"): the client sends run_name and the same mlflow.runName tag.
    const startTime = Date.now();
    const tags = [
      { key: 'mlflow.user', value: 'ada' },
      { key: 'mlflow.source.name', value: 'train.py' },
      { key: 'mlflow.source.type', value: 'LOCAL' },
      { key: 'mlflow.runName', value: 'sgd-1' },
    ];
    const started = await mlflow('POST', 'runs/create', { experiment_id: experimentId, user_id: 'ada', start_time: startTime, tags, run_name: 'sgd-1' });
    expect(started.status).toBe(200);
    expect(Object.keys(started.body)).toEqual(['run']);
    expectRunShape(started.body['run']);
    const info = (started.body['run'] as { info: Record<string, unknown> }).info;
    expect(info).toMatchObject({ experiment_id: experimentId, run_name: 'sgd-1', user_id: 'ada', status: 'RUNNING', start_time: startTime, lifecycle_stage: 'active' });
    expect(info).not.toHaveProperty('end_time');
    const runId = info['run_id'] as string;

    // log_param, log_metric, log_batch (log_params/log_metrics/set_tags), set_tag: each replies {}.
    expect(await mlflow('POST', 'runs/log-parameter', { run_id: runId, run_uuid: runId, key: 'alpha', value: '0.0001' })).toEqual({ status: 200, body: {} });
    expect(await mlflow('POST', 'runs/log-metric', { run_id: runId, run_uuid: runId, key: 'train_acc', value: 0.81, timestamp: startTime + 1, step: 0 })).toEqual({ status: 200, body: {} });
    const batch = {
      run_id: runId,
      metrics: [
        { key: 'train_acc', value: 0.9, timestamp: startTime + 2, step: 1 },
        { key: 'val_loss', value: 'NaN', timestamp: startTime + 2, step: 1 },
      ],
      params: [{ key: 'loss', value: 'log_loss' }],
      tags: [{ key: 'mlflow.note.content', value: 'first try' }],
    };
    expect(await mlflow('POST', 'runs/log-batch', batch)).toEqual({ status: 200, body: {} });
    expect(await mlflow('POST', 'runs/set-tag', { run_id: runId, run_uuid: runId, key: 'model', value: 'SGDClassifier' })).toEqual({ status: 200, body: {} });

    // 3.x reads the run to print its URL, then end_run updates it.
    const read = await mlflow('GET', 'runs/get', { run_uuid: runId, run_id: runId });
    expect(read.status).toBe(200);
    expectRunShape(read.body['run']);
    const data = (read.body['run'] as { data: Record<string, unknown[]> }).data;
    expect(data['params']).toEqual(expect.arrayContaining([{ key: 'alpha', value: '0.0001' }, { key: 'loss', value: 'log_loss' }]));
    expect(data['metrics']).toEqual(expect.arrayContaining([{ key: 'train_acc', value: 0.9, timestamp: startTime + 2, step: 1 }, { key: 'val_loss', value: 'NaN', timestamp: startTime + 2, step: 1 }]));
    expect(data['tags']).toEqual(expect.arrayContaining([{ key: 'model', value: 'SGDClassifier' }, { key: 'mlflow.runName', value: 'sgd-1' }]));

    const ended = await mlflow('POST', 'runs/update', { run_id: runId, run_uuid: runId, status: 'FINISHED', end_time: startTime + 10 });
    expect(ended.status).toBe(200);
    expect(Object.keys(ended.body)).toEqual(['run_info']);
    expectRunInfoShape(ended.body['run_info']);
    expect(ended.body['run_info']).toMatchObject({ run_id: runId, status: 'FINISHED', end_time: startTime + 10 });

    // A second script run: set_experiment finds the experiment with one call.
    const again = await mlflow('GET', 'experiments/get-by-name', { experiment_name: 'digits' });
    expect(again.status).toBe(200);
    expectExperimentShape(again.body['experiment']);
  });

  it('serves the 3.x metric history paging and runs/search as the client calls them', async () => {
    const { body } = await mlflow('POST', 'runs/create', { experiment_id: '0', start_time: 1 });
    const runId = (body['run'] as { info: { run_id: string } }).info.run_id;
    const metrics = Array.from({ length: 1000 }, (_, step) => ({ key: 'loss', value: 1 / (step + 1), timestamp: 10 + step, step }));
    await mlflow('POST', 'runs/log-batch', { run_id: runId, metrics });

    const history = await mlflow('GET', 'metrics/get-history', { run_id: runId, run_uuid: runId, metric_key: 'loss', max_results: 25000 });
    expect(history.status).toBe(200);
    expect(history.body['next_page_token']).toBeUndefined();
    const points = history.body['metrics'] as unknown[];
    expect(points).toHaveLength(1000);
    points.forEach(expectMetricShape);

    const found = await mlflow('POST', 'runs/search', { experiment_ids: ['0'], filter: 'metrics.loss < 0.01', max_results: 1000, order_by: ['attributes.start_time DESC'], run_view_type: 'ACTIVE_ONLY' });
    expect(found.status).toBe(200);
    expect((found.body['runs'] as unknown[]).length).toBe(1);
    (found.body['runs'] as unknown[]).forEach(expectRunShape);
  });

  it('answers bad client input with 4xx MLflow errors and keeps serving', async () => {
    const { body } = await mlflow('POST', 'runs/create', { experiment_id: '0' });
    const runId = (body['run'] as { info: { run_id: string } }).info.run_id;
    await mlflow('POST', 'runs/log-parameter', { run_id: runId, key: 'alpha', value: '1' });

    const changed = await mlflow('POST', 'runs/log-parameter', { run_id: runId, key: 'alpha', value: '2' });
    expect(changed.status).toBe(400);
    expectErrorShape(changed.body, 'INVALID_PARAMETER_VALUE');

    const malformed = await sendRequest({ port: hub.port! }, { method: 'POST', path: '/api/2.0/mlflow/runs/log-batch', headers: { Authorization: `Bearer ${hub.token}`, 'Content-Type': 'application/json' }, body: '{"run_id":' });
    expect(malformed.status).toBe(400);
    expectErrorShape(malformed.json(), 'MALFORMED_REQUEST');

    const unauthenticated = await sendRequest({ port: hub.port! }, { method: 'GET', path: '/api/2.0/mlflow/experiments/get?experiment_id=0' });
    expect(unauthenticated.status).toBe(401);
    const wrongToken = await sendRequest({ port: hub.port! }, { method: 'GET', path: '/api/2.0/mlflow/experiments/get?experiment_id=0', headers: { Authorization: `Bearer ${'0'.repeat(64)}` } });
    expect(wrongToken.status).toBe(401);
    expectErrorShape(wrongToken.json(), 'UNAUTHENTICATED');

    const unknown = await mlflow('GET', 'experiments/unknown');
    expect(unknown.status).toBe(404);
    expectErrorShape(unknown.body, 'ENDPOINT_NOT_FOUND');

    const stillServing = await mlflow('GET', 'runs/get', { run_id: runId });
    expect((stillServing.body['run'] as { data: { params: unknown[] } }).data.params).toEqual([{ key: 'alpha', value: '1' }]);
  });

  it('serves the tracking hub methods through hub.call', async () => {
    const { body } = await mlflow('POST', 'runs/create', { experiment_id: '0', run_name: 'via-hub' });
    const runId = (body['run'] as { info: { run_id: string } }).info.run_id;

    const page = (await hub.call('runs:list', { project: 'default' }, { transport: 'internal' })) as { runs: { runName: string }[]; total: number };
    expect(page.total).toBe(1);
    expect(page.runs[0]!.runName).toBe('via-hub');
    expect(await hub.call('runs:get', { runId }, { transport: 'internal' })).toMatchObject({ runId, status: 'RUNNING' });
    await expect(hub.call('runs:get', { runId: '../etc' }, { transport: 'internal' })).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    await expect(hub.call('runs:get', { runId: 'f'.repeat(32) }, { transport: 'internal' })).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
  });
});
