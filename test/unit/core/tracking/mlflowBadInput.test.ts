import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createRun, createTrackingFixture, type TrackingFixture } from './trackingFixture';

let fixture: TrackingFixture;
let runId: string;
let experimentId: string;

beforeEach(() => {
  fixture = createTrackingFixture();
  ({ runId, experimentId } = createRun(fixture));
  fixture.ok('POST', 'runs/log-batch', {
    run_id: runId,
    metrics: [{ key: 'acc', value: 0.5, timestamp: 1, step: 0 }],
    params: [{ key: 'lr', value: '0.1' }],
    tags: [{ key: 'kept', value: 'yes' }],
  });
});

afterEach(() => {
  // Nothing stored before a rejected request may be lost.
  const run = fixture.ok('GET', 'runs/get', { run_id: runId })['run'] as { data: Record<string, unknown> };
  expect(run.data['params']).toEqual([{ key: 'lr', value: '0.1' }]);
  expect(run.data['metrics']).toEqual([{ key: 'acc', value: 0.5, timestamp: 1, step: 0 }]);
  expect(run.data['tags']).toContainEqual({ key: 'kept', value: 'yes' });
  fixture.close();
});

function expectError(method: string, endpoint: string, fields: Record<string, unknown> | string, status: number, code: string): string {
  const response = fixture.call(method, endpoint, fields);
  const body = response.body as { error_code: string; message: string };

  expect(response.status).toBe(status);
  expect(body.error_code).toBe(code);
  expect(body.message.length).toBeGreaterThan(10);

  return body.message;
}

const longKey = 'k'.repeat(251);

describe('createMlflowRouter (bad input)', () => {
  it('rejects malformed JSON with 400 MALFORMED_REQUEST', () => {
    expectError('POST', 'runs/log-batch', '{"run_id": "x", "metrics": [', 400, 'MALFORMED_REQUEST');
  });

  it('rejects a JSON body that is not an object', () => {
    expectError('POST', 'runs/log-metric', '[1, 2]', 400, 'MALFORMED_REQUEST');
  });

  it('decodes a body sent as a JSON string holding JSON', () => {
    const body = JSON.stringify(JSON.stringify({ run_id: runId, key: 'x', value: 'y' }));

    expect(fixture.call('POST', 'runs/set-tag', body).status).toBe(200);
  });

  it.each([
    ['metric key as a number', 'runs/log-metric', { key: 5, value: 1, timestamp: 1 }],
    ['metric value as text', 'runs/log-metric', { key: 'm', value: 'abc', timestamp: 1 }],
    ['metric value as a boolean', 'runs/log-metric', { key: 'm', value: true, timestamp: 1 }],
    ['timestamp as text', 'runs/log-metric', { key: 'm', value: 1, timestamp: 'soon' }],
    ['step as a fraction', 'runs/log-metric', { key: 'm', value: 1, timestamp: 1, step: 1.5 }],
    ['metrics as an object', 'runs/log-batch', { metrics: { key: 'm' } }],
    ['param value as a number', 'runs/log-parameter', { key: 'p', value: 3 }],
    ['status outside the enum', 'runs/update', { status: 'DONE' }],
  ])('rejects %s with 400 INVALID_PARAMETER_VALUE', (_name, endpoint, fields) => {
    expectError('POST', endpoint, { run_id: runId, ...fields }, 400, 'INVALID_PARAMETER_VALUE');
  });

  it.each([
    ['run_id', 'runs/log-metric', { key: 'm', value: 1, timestamp: 1 }],
    ['key', 'runs/log-metric', { run_id: 'RUN', value: 1, timestamp: 1 }],
    ['value', 'runs/log-metric', { run_id: 'RUN', key: 'm', timestamp: 1 }],
    ['timestamp', 'runs/log-metric', { run_id: 'RUN', key: 'm', value: 1 }],
    ['name', 'experiments/create', {}],
    ['experiment_id', 'experiments/delete', {}],
  ])('rejects a missing %s with 400 INVALID_PARAMETER_VALUE', (name, endpoint, fields) => {
    const withRun = JSON.parse(JSON.stringify(fields).replace('RUN', runId)) as Record<string, unknown>;

    expect(expectError('POST', endpoint, withRun, 400, 'INVALID_PARAMETER_VALUE')).toContain(`'${name}'`);
  });

  it('rejects an experiment name that is not a string', () => {
    expectError('POST', 'experiments/create', { name: 12 }, 400, 'INVALID_PARAMETER_VALUE');
  });

  it('rejects max_results that is not a number in a GET query', () => {
    expectError('GET', 'metrics/get-history', { run_id: runId, metric_key: 'acc', max_results: 'many' }, 400, 'INVALID_PARAMETER_VALUE');
  });

  it.each([
    ['GET', 'experiments/get', { experiment_id: '999' }],
    ['GET', 'experiments/get', { experiment_id: 'abc' }],
    ['POST', 'runs/create', { experiment_id: '999' }],
    ['GET', 'runs/get', { run_id: 'f'.repeat(32) }],
    ['POST', 'runs/log-metric', { run_id: 'f'.repeat(32), key: 'm', value: 1, timestamp: 1 }],
    ['POST', 'runs/log-batch', { run_id: 'f'.repeat(32), params: [{ key: 'a', value: 'b' }] }],
    ['POST', 'runs/update', { run_id: 'f'.repeat(32), status: 'FINISHED' }],
    ['GET', 'metrics/get-history', { run_id: 'f'.repeat(32), metric_key: 'acc' }],
  ])('answers %s %s for an unknown id with 404 RESOURCE_DOES_NOT_EXIST', (method, endpoint, fields) => {
    expectError(method, endpoint, fields, 404, 'RESOURCE_DOES_NOT_EXIST');
  });

  it.each([
    ['metric', 'runs/log-metric', { key: longKey, value: 1, timestamp: 1 }],
    ['param', 'runs/log-parameter', { key: longKey, value: 'v' }],
    ['tag', 'runs/set-tag', { key: longKey, value: 'v' }],
  ])('rejects a %s key over 250 characters', (_kind, endpoint, fields) => {
    expect(expectError('POST', endpoint, { run_id: runId, ...fields }, 400, 'INVALID_PARAMETER_VALUE')).toContain('250');
  });

  it.each(['../escape', '/abs', 'a//b', 'semi;colon', ''])('rejects the key %j', (key) => {
    expectError('POST', 'runs/log-metric', { run_id: runId, key, value: 1, timestamp: 1 }, 400, 'INVALID_PARAMETER_VALUE');
  });

  it('truncates a param value over 6000 characters as MLflow 3 does', () => {
    fixture.ok('POST', 'runs/log-parameter', { run_id: runId, key: 'long', value: 'v'.repeat(7000) });

    expect(fixture.tracking.runs.load(runId).params.get('long')).toHaveLength(6000);
    fixture.db.prepare("DELETE FROM params WHERE key = 'long'").run();
  });

  it.each([
    ['1001 metrics', { metrics: Array.from({ length: 1001 }, (_, step) => ({ key: 'm', value: 1, timestamp: 1, step })) }],
    ['101 params', { params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: 'v' })) }],
    ['101 tags', { tags: Array.from({ length: 101 }, (_, i) => ({ key: `t${i}`, value: 'v' })) }],
    [
      '1001 entries in total',
      { metrics: Array.from({ length: 900 }, (_, step) => ({ key: 'm', value: 1, timestamp: 1, step })), params: Array.from({ length: 100 }, (_, i) => ({ key: `p${i}`, value: 'v' })), tags: [{ key: 't', value: 'v' }] },
    ],
  ])('rejects a log-batch with %s and stores none of it', (_name, batch) => {
    expectError('POST', 'runs/log-batch', { run_id: runId, ...batch }, 400, 'INVALID_PARAMETER_VALUE');

    expect(fixture.db.prepare("SELECT COUNT(*) FROM metrics WHERE key = 'm'").pluck().get()).toBe(0);
  });

  it('accepts re-logging a param with the same value', () => {
    expect(fixture.call('POST', 'runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' }).status).toBe(200);
  });

  it('rejects changing a logged param and keeps the first value', () => {
    const message = expectError('POST', 'runs/log-parameter', { run_id: runId, key: 'lr', value: '0.2' }, 400, 'INVALID_PARAMETER_VALUE');

    expect(message).toContain("Changing param values is not allowed. Param with key='lr'");
  });

  it('rejects a batch that changes a param and writes none of its metrics', () => {
    const batch = { run_id: runId, metrics: [{ key: 'm', value: 2, timestamp: 2 }], params: [{ key: 'lr', value: '0.3' }] };
    expectError('POST', 'runs/log-batch', batch, 400, 'INVALID_PARAMETER_VALUE');

    expect(fixture.db.prepare("SELECT COUNT(*) FROM metrics WHERE key = 'm'").pluck().get()).toBe(0);
  });

  it('rejects duplicate param keys in one batch even with equal values', () => {
    const params = [{ key: 'd', value: '1' }, { key: 'd', value: '1' }];

    expectError('POST', 'runs/log-batch', { run_id: runId, params }, 400, 'INVALID_PARAMETER_VALUE');
  });

  it('rejects logging to a deleted run, then accepts it after restore', () => {
    fixture.ok('POST', 'runs/delete', { run_id: runId });

    expect(expectError('POST', 'runs/log-metric', { run_id: runId, key: 'm', value: 1, timestamp: 1 }, 400, 'INVALID_PARAMETER_VALUE')).toContain("'active' state");
    expectError('POST', 'runs/log-parameter', { run_id: runId, key: 'q', value: '1' }, 400, 'INVALID_PARAMETER_VALUE');
    expectError('POST', 'runs/set-tag', { run_id: runId, key: 'q', value: '1' }, 400, 'INVALID_PARAMETER_VALUE');
    expectError('POST', 'runs/update', { run_id: runId, status: 'FINISHED' }, 400, 'INVALID_PARAMETER_VALUE');

    fixture.ok('POST', 'runs/restore', { run_id: runId });
  });

  it('rejects creating a run in a deleted experiment', () => {
    fixture.ok('POST', 'experiments/delete', { experiment_id: experimentId });

    expectError('POST', 'runs/create', { experiment_id: experimentId }, 400, 'INVALID_PARAMETER_VALUE');
    fixture.ok('POST', 'experiments/restore', { experiment_id: experimentId });
  });

  it('rejects a run_name that differs from the mlflow.runName tag', () => {
    expectError('POST', 'runs/create', { experiment_id: '0', run_name: 'a', tags: [{ key: 'mlflow.runName', value: 'b' }] }, 400, 'INVALID_PARAMETER_VALUE');
  });

  it.each([
    ['max_results over 50000', { max_results: 50001 }],
    ['max_results of 0', { max_results: 0 }],
    ['a page token that is not ours', { page_token: 'garbage' }],
    ['an OR filter', { filter: "params.lr = '0.1' OR params.lr = '0.2'" }],
    ['a metric compared with a string', { filter: "metrics.acc > 'high'" }],
    ['an unknown attribute', { filter: "attributes.color = 'red'" }],
    ['an unquoted string', { filter: 'params.lr = adam' }],
    ['an order_by with an unknown attribute', { order_by: ['attributes.color DESC'] }],
  ])('rejects runs/search with %s', (_name, fields) => {
    expectError('POST', 'runs/search', { experiment_ids: [experimentId], ...fields }, 400, 'INVALID_PARAMETER_VALUE');
  });

  it('rejects an artifact_location with a fragment', () => {
    expectError('POST', 'experiments/create', { name: 'x', artifact_location: 'file:///tmp/a#b' }, 400, 'INVALID_PARAMETER_VALUE');
  });

  it('rejects an experiment project tag that is not a slug', () => {
    expectError('POST', 'experiments/create', { name: 'x', tags: [{ key: 'mlops_hub.project', value: 'Not A Slug' }] }, 400, 'INVALID_PARAMETER_VALUE');
  });
});

describe('createMlflowRouter (oversized ids)', () => {
  it('rejects a run_id over 256 characters without echoing it whole', () => {
    const response = fixture.call('GET', 'runs/get', { run_id: 'a'.repeat(100_000) });

    expect(response.status).toBe(400);
    expect((response.body as { message: string }).message.length).toBeLessThan(200);
  });
});
