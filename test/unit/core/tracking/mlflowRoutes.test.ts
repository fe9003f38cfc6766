import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createRun, createTrackingFixture, type TrackingFixture } from './trackingFixture';

let fixture: TrackingFixture;

beforeEach(() => {
  fixture = createTrackingFixture();
});

afterEach(() => {
  fixture.close();
});

describe('createMlflowRouter', () => {
  it('returns null for paths outside the MLflow API', () => {
    expect(fixture.router({ method: 'GET', pathname: '/api/hub/projects/list', query: new URLSearchParams(), bodyText: '' })).toBeNull();
  });

  it('answers an unknown MLflow endpoint with 404 ENDPOINT_NOT_FOUND', () => {
    const response = fixture.call('GET', 'experiments/nope');

    expect(response.status).toBe(404);
    expect(response.body).toEqual({ error_code: 'ENDPOINT_NOT_FOUND', message: expect.stringContaining('No MLflow endpoint') });
  });

  it('serves the Default experiment 0', () => {
    const body = fixture.ok('GET', 'experiments/get', { experiment_id: '0' });

    expect(body['experiment']).toMatchObject({ experiment_id: '0', name: 'Default', lifecycle_stage: 'active', artifact_location: 'mlflow-artifacts:/0' });
  });

  it('creates an experiment and finds it by name', () => {
    const created = fixture.ok('POST', 'experiments/create', { name: 'digits', tags: [{ key: 'team', value: 'ml' }] });
    expect(created).toEqual({ experiment_id: '1' });

    const found = fixture.ok('GET', 'experiments/get-by-name', { experiment_name: 'digits' });
    expect(found['experiment']).toEqual({
      experiment_id: '1',
      name: 'digits',
      artifact_location: 'mlflow-artifacts:/1',
      lifecycle_stage: 'active',
      creation_time: expect.any(Number),
      last_update_time: expect.any(Number),
      tags: [{ key: 'team', value: 'ml' }],
    });
  });

  it('answers get-by-name for a missing experiment with 404 RESOURCE_DOES_NOT_EXIST', () => {
    const response = fixture.call('GET', 'experiments/get-by-name', { experiment_name: 'nope' });

    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('rejects a duplicate experiment name with 400 RESOURCE_ALREADY_EXISTS', () => {
    fixture.ok('POST', 'experiments/create', { name: 'digits' });
    const response = fixture.call('POST', 'experiments/create', { name: 'digits' });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error_code: 'RESOURCE_ALREADY_EXISTS' });
  });

  it('renames, deletes and restores an experiment with its runs', () => {
    const { experimentId, runId } = createRun(fixture);

    expect(fixture.ok('POST', 'experiments/update', { experiment_id: experimentId, new_name: 'renamed' })).toEqual({});
    expect(fixture.ok('POST', 'experiments/delete', { experiment_id: experimentId })).toEqual({});
    expect((fixture.ok('GET', 'runs/get', { run_id: runId })['run'] as { info: { lifecycle_stage: string } }).info.lifecycle_stage).toBe('deleted');
    expect(fixture.call('POST', 'experiments/update', { experiment_id: experimentId, new_name: 'again' }).status).toBe(400);

    expect(fixture.ok('POST', 'experiments/restore', { experiment_id: experimentId })).toEqual({});
    const experiment = fixture.ok('GET', 'experiments/get', { experiment_id: experimentId })['experiment'] as { name: string; lifecycle_stage: string };
    expect(experiment).toMatchObject({ name: 'renamed', lifecycle_stage: 'active' });
  });

  it('searches experiments with a filter, view type and pages', () => {
    for (const name of ['a1', 'a2', 'b1']) fixture.ok('POST', 'experiments/create', { name });

    const filtered = fixture.ok('POST', 'experiments/search', { filter: "name LIKE 'a%'", order_by: ['name ASC'] });
    expect((filtered['experiments'] as { name: string }[]).map((e) => e.name)).toEqual(['a1', 'a2']);

    const first = fixture.ok('POST', 'experiments/search', { max_results: 2, order_by: ['name ASC'] });
    expect((first['experiments'] as { name: string }[]).map((e) => e.name)).toEqual(['Default', 'a1']);
    const second = fixture.ok('GET', 'experiments/search', { max_results: '2', order_by: 'name ASC', page_token: String(first['next_page_token']) });
    expect((second['experiments'] as { name: string }[]).map((e) => e.name)).toEqual(['a2', 'b1']);
    expect(second['next_page_token']).toBeUndefined();
  });

  it('sets an experiment tag and moves the experiment to the tagged project', () => {
    const { experiment_id: id } = fixture.ok('POST', 'experiments/create', { name: 'e', tags: [{ key: 'mlops_hub.project', value: 'vision' }] }) as { experiment_id: string };
    expect(fixture.tracking.experiments.get(id).project).toBe('vision');

    fixture.ok('POST', 'experiments/set-experiment-tag', { experiment_id: id, key: 'mlops_hub.project', value: 'audio' });
    expect(fixture.tracking.experiments.get(id).project).toBe('audio');
  });

  it('creates a run with run_id, run_uuid and the mlflow.runName tag', () => {
    const body = fixture.ok('POST', 'runs/create', { experiment_id: '0', run_name: 'first', start_time: 5, tags: [{ key: 'mlflow.user', value: 'ada' }] });
    const run = body['run'] as { info: Record<string, unknown>; data: { tags: { key: string; value: string }[] }; inputs: object };

    expect(run.info).toEqual({
      run_id: expect.stringMatching(/^[0-9a-f]{32}$/),
      run_uuid: run.info['run_id'],
      run_name: 'first',
      experiment_id: '0',
      user_id: 'ada',
      status: 'RUNNING',
      start_time: 5,
      artifact_uri: `mlflow-artifacts:/0/${String(run.info['run_id'])}/artifacts`,
      lifecycle_stage: 'active',
    });
    expect(run.data.tags).toContainEqual({ key: 'mlflow.runName', value: 'first' });
    expect(run.inputs).toEqual({});
  });

  it('logs params, metrics and tags and returns them from runs/get', () => {
    const { runId } = createRun(fixture);

    expect(fixture.ok('POST', 'runs/log-parameter', { run_id: runId, run_uuid: runId, key: 'lr', value: '0.1' })).toEqual({});
    expect(fixture.ok('POST', 'runs/log-metric', { run_id: runId, key: 'acc', value: 0.5, timestamp: 10, step: 1 })).toEqual({});
    expect(fixture.ok('POST', 'runs/log-metric', { run_id: runId, key: 'acc', value: 0.7, timestamp: 11, step: 2 })).toEqual({});
    expect(fixture.ok('POST', 'runs/set-tag', { run_id: runId, key: 'stage', value: 'dev' })).toEqual({});

    const run = fixture.ok('GET', 'runs/get', { run_id: runId })['run'] as { data: Record<string, unknown> };
    expect(run.data['params']).toEqual([{ key: 'lr', value: '0.1' }]);
    expect(run.data['metrics']).toEqual([{ key: 'acc', value: 0.7, timestamp: 11, step: 2 }]);
    expect(run.data['tags']).toContainEqual({ key: 'stage', value: 'dev' });
  });

  it('logs a batch and pages the metric history', () => {
    const { runId } = createRun(fixture);
    const metrics = Array.from({ length: 5 }, (_, step) => ({ key: 'loss', value: 1 / (step + 1), timestamp: 100 + step, step }));
    fixture.ok('POST', 'runs/log-batch', { run_id: runId, metrics, params: [{ key: 'opt', value: 'adam' }], tags: [{ key: 't', value: 'x' }] });

    const all = fixture.ok('GET', 'metrics/get-history', { run_id: runId, metric_key: 'loss' });
    expect(all['metrics']).toEqual(metrics);
    expect(all['next_page_token']).toBeUndefined();

    const first = fixture.ok('GET', 'metrics/get-history', { run_id: runId, metric_key: 'loss', max_results: '3' });
    expect(first['metrics']).toEqual(metrics.slice(0, 3));
    const second = fixture.ok('GET', 'metrics/get-history', { run_id: runId, metric_key: 'loss', max_results: '3', page_token: String(first['next_page_token']) });
    expect(second['metrics']).toEqual(metrics.slice(3));
    expect(second['next_page_token']).toBeUndefined();
  });

  it('returns {} for the history of a metric never logged', () => {
    const { runId } = createRun(fixture);

    expect(fixture.ok('GET', 'metrics/get-history', { run_id: runId, metric_key: 'none' })).toEqual({});
  });

  it('updates a run to FINISHED with an end time', () => {
    const { runId } = createRun(fixture);
    const body = fixture.ok('POST', 'runs/update', { run_id: runId, run_uuid: runId, status: 'FINISHED', end_time: 2000 });

    expect(body['run_info']).toMatchObject({ run_id: runId, status: 'FINISHED', end_time: 2000 });
  });

  it('mirrors run_name changes to the mlflow.runName tag and back', () => {
    const { runId } = createRun(fixture);

    fixture.ok('POST', 'runs/update', { run_id: runId, run_name: 'renamed' });
    let run = fixture.ok('GET', 'runs/get', { run_id: runId })['run'] as { info: { run_name: string }; data: { tags: unknown[] } };
    expect(run.data.tags).toContainEqual({ key: 'mlflow.runName', value: 'renamed' });

    fixture.ok('POST', 'runs/set-tag', { run_id: runId, key: 'mlflow.runName', value: 'by-tag' });
    run = fixture.ok('GET', 'runs/get', { run_id: runId })['run'] as { info: { run_name: string }; data: { tags: unknown[] } };
    expect(run.info.run_name).toBe('by-tag');
  });

  it('deletes a tag and rejects deleting a missing one', () => {
    const { runId } = createRun(fixture);
    fixture.ok('POST', 'runs/set-tag', { run_id: runId, key: 'gone', value: '1' });

    expect(fixture.ok('POST', 'runs/delete-tag', { run_id: runId, key: 'gone' })).toEqual({});
    const response = fixture.call('POST', 'runs/delete-tag', { run_id: runId, key: 'gone' });
    expect(response.status).toBe(404);
    expect(response.body).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
  });

  it('deletes and restores a run', () => {
    const { experimentId, runId } = createRun(fixture);

    fixture.ok('POST', 'runs/delete', { run_id: runId });
    expect(fixture.ok('POST', 'runs/search', { experiment_ids: [experimentId] })).toEqual({});
    const deleted = fixture.ok('POST', 'runs/search', { experiment_ids: [experimentId], run_view_type: 'DELETED_ONLY' });
    expect((deleted['runs'] as unknown[]).length).toBe(1);

    fixture.ok('POST', 'runs/restore', { run_id: runId });
    expect((fixture.ok('POST', 'runs/search', { experiment_ids: [experimentId] })['runs'] as unknown[]).length).toBe(1);
  });

  it('serves the same endpoints under /ajax-api/2.0/mlflow/', () => {
    const response = fixture.router({ method: 'GET', pathname: '/ajax-api/2.0/mlflow/experiments/get', query: new URLSearchParams({ experiment_id: '0' }), bodyText: '' });

    expect(response?.status).toBe(200);
  });

  it('emits one metrics event per batch request', () => {
    const { runId } = createRun(fixture);
    fixture.events.length = 0;
    const metrics = Array.from({ length: 1000 }, (_, step) => ({ key: step % 2 ? 'a' : 'b', value: step, timestamp: step, step }));

    fixture.ok('POST', 'runs/log-batch', { run_id: runId, metrics });

    expect(fixture.events).toEqual([{ type: 'metrics:didLog', runId, keys: ['b', 'a'] }]);
  });

  it('rejects a wrong HTTP method with 405', () => {
    const response = fixture.call('GET', 'runs/create', {});

    expect(response.status).toBe(405);
    expect(response.body).toMatchObject({ error_code: 'ENDPOINT_NOT_FOUND' });
  });

  it('reads repeated and bracketed query keys as lists', () => {
    const { experimentId } = createRun(fixture);
    const query = new URLSearchParams([['experiment_ids[]', experimentId], ['experiment_ids[]', '0'], ['max_results', '5']]);
    const response = fixture.router({ method: 'GET', pathname: '/api/2.0/mlflow/runs/search', query, bodyText: '' });

    expect(response?.status).toBe(200);
    expect((response?.body as { runs: unknown[] }).runs).toHaveLength(1);
  });

  it('finds a run by run_uuid alone', () => {
    const { runId } = createRun(fixture);

    expect(fixture.call('GET', 'runs/get', { run_uuid: runId }).status).toBe(200);
  });

  it('accepts experiment_id sent as a JSON number', () => {
    const { experimentId } = createRun(fixture);
    const body = fixture.ok('POST', 'runs/create', { experiment_id: Number(experimentId) });

    expect((body['run'] as { info: { experiment_id: string } }).info.experiment_id).toBe(experimentId);
  });

  it('searches experiments by tag and by view type', () => {
    fixture.ok('POST', 'experiments/create', { name: 'tagged', tags: [{ key: 'team', value: 'vision' }] });
    const { experiment_id: gone } = fixture.ok('POST', 'experiments/create', { name: 'gone' }) as { experiment_id: string };
    fixture.ok('POST', 'experiments/delete', { experiment_id: gone });

    const tagged = fixture.ok('POST', 'experiments/search', { filter: "tags.team = 'vision'" })['experiments'] as { name: string }[];
    expect(tagged.map((experiment) => experiment.name)).toEqual(['tagged']);
    const deleted = fixture.ok('POST', 'experiments/search', { view_type: 'DELETED_ONLY' })['experiments'] as { name: string }[];
    expect(deleted.map((experiment) => experiment.name)).toEqual(['gone']);
  });

  it('rejects a duplicate name when renaming an experiment', () => {
    fixture.ok('POST', 'experiments/create', { name: 'a' });
    const { experiment_id: id } = fixture.ok('POST', 'experiments/create', { name: 'b' }) as { experiment_id: string };
    const response = fixture.call('POST', 'experiments/update', { experiment_id: id, new_name: 'a' });

    expect(response.status).toBe(400);
    expect(response.body).toMatchObject({ error_code: 'RESOURCE_ALREADY_EXISTS' });
  });

  it('generates a run name when none is given', () => {
    const body = fixture.ok('POST', 'runs/create', { experiment_id: '0' });
    const run = body['run'] as { info: { run_name: string }; data: { tags: { key: string; value: string }[] } };

    expect(run.info.run_name).toMatch(/^[a-z]+-[a-z]+-\d+$/);
    expect(run.data.tags).toContainEqual({ key: 'mlflow.runName', value: run.info.run_name });
  });
});
