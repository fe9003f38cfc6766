import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createRun, createTrackingFixture, type TrackingFixture } from './trackingFixture';

interface WireModel {
  info: Record<string, unknown> & { model_id: string };
  data: Record<string, unknown>;
}

let fixture: TrackingFixture;
let runId: string;
let experimentId: string;

beforeEach(() => {
  fixture = createTrackingFixture();
  ({ runId, experimentId } = createRun(fixture));
});

afterEach(() => fixture.close());

function createModel(fields: Record<string, unknown> = {}): WireModel {
  return fixture.ok('POST', 'logged-models', { experiment_id: experimentId, name: 'model', source_run_id: runId, model_type: 'sklearn', ...fields })['model'] as WireModel;
}

function expectError(method: string, endpoint: string, fields: Record<string, unknown>, status: number, code: string): string {
  const response = fixture.call(method, endpoint, fields);
  expect(response.status).toBe(status);
  const body = response.body as { error_code: string; message: string };
  expect(body.error_code).toBe(code);

  return body.message;
}

describe('logged-models create', () => {
  it('returns a pending model with its artifact uri', () => {
    const model = createModel({ params: [{ key: 'alpha', value: '0.5' }], tags: [{ key: 'team', value: 'cv' }] });

    expect(model.info.model_id).toMatch(/^m-[0-9a-f]{32}$/);
    expect(model.info['experiment_id']).toBe(experimentId);
    expect(model.info['name']).toBe('model');
    expect(model.info['status']).toBe('LOGGED_MODEL_PENDING');
    expect(model.info['artifact_uri']).toBe(`mlflow-artifacts:/${experimentId}/models/${model.info.model_id}/artifacts`);
    expect(model.info['source_run_id']).toBe(runId);
    expect(model.info['model_type']).toBe('sklearn');
    expect(model.info['tags']).toEqual([{ key: 'team', value: 'cv' }]);
    expect(model.info['creation_timestamp_ms']).toEqual(expect.any(Number));
    expect(model.info['last_updated_timestamp_ms']).toEqual(expect.any(Number));
    expect(model.data).toEqual({ params: [{ key: 'alpha', value: '0.5' }] });
  });

  it('names a model without a name', () => {
    const model = createModel({ name: undefined });

    expect(model.info['name']).toMatch(/^model-[0-9a-f]{8}$/);
  });

  it('rejects bad input', () => {
    expect(expectError('POST', 'logged-models', {}, 400, 'INVALID_PARAMETER_VALUE')).toContain('experiment_id');
    expectError('POST', 'logged-models', { experiment_id: '999' }, 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError('POST', 'logged-models', { experiment_id: experimentId, source_run_id: 'f'.repeat(32) }, 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError('POST', 'logged-models', { experiment_id: experimentId, params: [{ key: '../x', value: '1' }] }, 400, 'INVALID_PARAMETER_VALUE');
    expectError('POST', 'logged-models', { experiment_id: experimentId, tags: 'team' }, 400, 'INVALID_PARAMETER_VALUE');
    expectError('GET', 'logged-models', {}, 405, 'ENDPOINT_NOT_FOUND');
  });

  it('rejects a deleted experiment', () => {
    fixture.ok('POST', 'experiments/delete', { experiment_id: experimentId });

    expectError('POST', 'logged-models', { experiment_id: experimentId }, 400, 'INVALID_PARAMETER_VALUE');
  });
});

describe('logged-models get, finalize and delete', () => {
  it('finalizes a model as ready', () => {
    const { info } = createModel();

    const finalized = fixture.ok('PATCH', `logged-models/${info.model_id}`, { model_id: info.model_id, status: 'LOGGED_MODEL_READY' })['model'] as WireModel;
    const fetched = fixture.ok('GET', `logged-models/${info.model_id}`)['model'] as WireModel;

    expect(finalized.info['status']).toBe('LOGGED_MODEL_READY');
    expect(fetched.info['status']).toBe('LOGGED_MODEL_READY');
    expect(fetched.info['last_updated_timestamp_ms']).toBeGreaterThan(info['creation_timestamp_ms'] as number);
  });

  it('finalizes a failed upload', () => {
    const { info } = createModel();

    const finalized = fixture.ok('PATCH', `logged-models/${info.model_id}`, { status: 'LOGGED_MODEL_UPLOAD_FAILED' })['model'] as WireModel;

    expect(finalized.info['status']).toBe('LOGGED_MODEL_UPLOAD_FAILED');
  });

  it('rejects a bad finalize status', () => {
    const { info } = createModel();

    expect(expectError('PATCH', `logged-models/${info.model_id}`, { status: 'READY' }, 400, 'INVALID_PARAMETER_VALUE')).toContain('LOGGED_MODEL_READY');
    expectError('PATCH', `logged-models/${info.model_id}`, {}, 400, 'INVALID_PARAMETER_VALUE');
  });

  it('returns 404 for unknown ids', () => {
    const unknown = `m-${'0'.repeat(32)}`;

    expectError('GET', `logged-models/${unknown}`, {}, 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError('GET', 'logged-models/not-an-id', {}, 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError('PATCH', `logged-models/${unknown}`, { status: 'LOGGED_MODEL_READY' }, 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError('DELETE', `logged-models/${unknown}`, {}, 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('deletes a model', () => {
    const { info } = createModel();

    expect(fixture.ok('DELETE', `logged-models/${info.model_id}`)).toEqual({});

    expectError('GET', `logged-models/${info.model_id}`, {}, 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError('DELETE', `logged-models/${info.model_id}`, {}, 404, 'RESOURCE_DOES_NOT_EXIST');
  });
});

describe('logged-models tags and params', () => {
  it('sets and deletes tags', () => {
    const { info } = createModel({ tags: [{ key: 'a', value: '1' }] });

    expect(fixture.ok('PATCH', `logged-models/${info.model_id}/tags`, { tags: [{ key: 'a', value: '2' }, { key: 'b', value: '3' }] })).toEqual({});
    expect(fixture.ok('DELETE', `logged-models/${info.model_id}/tags/b`)).toEqual({});
    const fetched = fixture.ok('GET', `logged-models/${info.model_id}`)['model'] as WireModel;

    expect(fetched.info['tags']).toEqual([{ key: 'a', value: '2' }]);
  });

  it('deletes a URL-encoded tag key', () => {
    const { info } = createModel({ tags: [{ key: 'mlflow.source/name', value: 'x' }] });

    fixture.ok('DELETE', `logged-models/${info.model_id}/tags/${encodeURIComponent('mlflow.source/name')}`);
    const fetched = fixture.ok('GET', `logged-models/${info.model_id}`)['model'] as WireModel;

    expect(fetched.info['tags']).toBeUndefined();
  });

  it('deletes a tag key with a slash', () => {
    const { info } = createModel({ tags: [{ key: 'mlflow.source/name', value: 'x' }] });

    fixture.ok('DELETE', `logged-models/${info.model_id}/tags/mlflow.source/name`);
    const fetched = fixture.ok('GET', `logged-models/${info.model_id}`)['model'] as WireModel;

    expect(fetched.info['tags']).toBeUndefined();
  });

  it('rejects bad tags', () => {
    const { info } = createModel();

    expectError('PATCH', `logged-models/${info.model_id}/tags`, { tags: [{ value: 'x' }] }, 400, 'INVALID_PARAMETER_VALUE');
    expectError('PATCH', `logged-models/${info.model_id}/tags`, { tags: [{ key: 'k', value: 'x'.repeat(8001) }] }, 400, 'INVALID_PARAMETER_VALUE');
    expectError('DELETE', `logged-models/${info.model_id}/tags/missing`, {}, 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError('PATCH', `logged-models/m-${'1'.repeat(32)}/tags`, { tags: [] }, 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it('logs params', () => {
    const { info } = createModel();

    expect(fixture.ok('POST', `logged-models/${info.model_id}/params`, { params: [{ key: 'depth', value: '3' }] })).toEqual({});
    const fetched = fixture.ok('GET', `logged-models/${info.model_id}`)['model'] as WireModel;

    expect(fetched.data['params']).toEqual([{ key: 'depth', value: '3' }]);
  });

  it('rejects bad params', () => {
    const { info } = createModel();

    expectError('POST', `logged-models/${info.model_id}/params`, { params: [{ key: 'k', value: 'x'.repeat(6001) }] }, 400, 'INVALID_PARAMETER_VALUE');
    expectError('POST', `logged-models/${info.model_id}/params`, { params: {} }, 400, 'INVALID_PARAMETER_VALUE');
    expectError('GET', `logged-models/${info.model_id}/params`, {}, 405, 'ENDPOINT_NOT_FOUND');
  });
});

describe('logged-models search', () => {
  it('filters by name and status and pages', () => {
    const first = createModel({ name: 'first' });
    createModel({ name: 'second' });
    const third = createModel({ name: 'third' });
    fixture.ok('PATCH', `logged-models/${third.info.model_id}`, { status: 'LOGGED_MODEL_READY' });

    const byName = fixture.ok('POST', 'logged-models/search', { experiment_ids: [experimentId], filter: "name = 'first'" })['models'] as WireModel[];
    const ready = fixture.ok('POST', 'logged-models/search', { experiment_ids: [experimentId], filter: "status = 'LOGGED_MODEL_READY'" })['models'] as WireModel[];
    const page1 = fixture.ok('POST', 'logged-models/search', { experiment_ids: [experimentId], max_results: 2 });
    const page2 = fixture.ok('POST', 'logged-models/search', { experiment_ids: [experimentId], max_results: 2, page_token: page1['next_page_token'] });

    expect(byName.map((model) => model.info.model_id)).toEqual([first.info.model_id]);
    expect(ready.map((model) => model.info.model_id)).toEqual([third.info.model_id]);
    expect((page1['models'] as WireModel[]).map((model) => model.info['name'])).toEqual(['third', 'second']);
    expect((page2['models'] as WireModel[]).map((model) => model.info['name'])).toEqual(['first']);
    expect(page2['next_page_token']).toBeUndefined();
  });

  it('filters by source run and model type', () => {
    const other = createRun(fixture, 'other');
    const fromRun = createModel();
    fixture.ok('POST', 'logged-models', { experiment_id: experimentId, name: 'model', source_run_id: other.runId, model_type: 'torch' });

    const byRun = fixture.ok('POST', 'logged-models/search', { experiment_ids: [experimentId], filter: `source_run_id='${runId}'` })['models'] as WireModel[];
    const byType = fixture.ok('POST', 'logged-models/search', { experiment_ids: [experimentId], filter: "model_type = 'sklearn' AND name = \"model\"" })['models'] as WireModel[];

    expect(byRun.map((model) => model.info.model_id)).toEqual([fromRun.info.model_id]);
    expect(byType.map((model) => model.info.model_id)).toEqual([fromRun.info.model_id]);
  });

  it('returns {} when nothing matches', () => {
    createModel();

    expect(fixture.ok('POST', 'logged-models/search', { experiment_ids: [experimentId], filter: "name = 'other'" })).toEqual({});
  });

  it('rejects bad input', () => {
    expectError('POST', 'logged-models/search', {}, 400, 'INVALID_PARAMETER_VALUE');
    expectError('POST', 'logged-models/search', { experiment_ids: ['999'] }, 404, 'RESOURCE_DOES_NOT_EXIST');
    expect(expectError('POST', 'logged-models/search', { experiment_ids: [experimentId], filter: 'metrics.acc > 1' }, 400, 'INVALID_PARAMETER_VALUE')).toContain('metrics.acc');
    expectError('POST', 'logged-models/search', { experiment_ids: [experimentId], max_results: 0 }, 400, 'INVALID_PARAMETER_VALUE');
    expectError('POST', 'logged-models/search', { experiment_ids: [experimentId], page_token: '!!' }, 400, 'INVALID_PARAMETER_VALUE');
  });
});

describe('runs/outputs', () => {
  it('records a model output of a run', () => {
    const { info } = createModel();

    expect(fixture.ok('POST', 'runs/outputs', { run_id: runId, models: [{ model_id: info.model_id, step: 3 }] })).toEqual({});

    expect(fixture.tracking.models.outputsOf(runId)).toEqual([{ modelId: info.model_id, step: 3 }]);
    const run = fixture.ok('GET', 'runs/get', { run_id: runId })['run'] as Record<string, unknown>;
    expect(run['outputs']).toEqual({ model_outputs: [{ model_id: info.model_id, step: 3 }] });
    const searched = fixture.ok('POST', 'runs/search', { experiment_ids: [experimentId] })['runs'] as Record<string, unknown>[];
    expect(searched[0]!['outputs']).toEqual({ model_outputs: [{ model_id: info.model_id, step: 3 }] });
  });

  it('leaves outputs out without models', () => {
    const run = fixture.ok('GET', 'runs/get', { run_id: runId })['run'] as Record<string, unknown>;

    expect(run['outputs']).toBeUndefined();
  });

  it('rejects bad input', () => {
    const { info } = createModel();

    expectError('POST', 'runs/outputs', { models: [{ model_id: info.model_id }] }, 400, 'INVALID_PARAMETER_VALUE');
    expectError('POST', 'runs/outputs', { run_id: 'f'.repeat(32), models: [{ model_id: info.model_id }] }, 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError('POST', 'runs/outputs', { run_id: runId, models: [{ model_id: `m-${'2'.repeat(32)}` }] }, 404, 'RESOURCE_DOES_NOT_EXIST');
    expectError('POST', 'runs/outputs', { run_id: runId, models: [{ step: 1 }] }, 400, 'INVALID_PARAMETER_VALUE');
    expect(fixture.tracking.models.outputsOf(runId)).toEqual([]);
  });
});
