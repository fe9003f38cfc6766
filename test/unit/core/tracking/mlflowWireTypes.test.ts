import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { type MlflowResponse } from '../../../../src/main/core/tracking/mlflowRoutes';
import { createRun, createTrackingFixture, type TrackingFixture } from './trackingFixture';

let fixture: TrackingFixture;

beforeEach(() => {
  fixture = createTrackingFixture();
});

afterEach(() => {
  fixture.close();
});

function errorOf(response: MlflowResponse): { status: number; code: string; message: string } {
  const body = response.body as { error_code: string; message: string };

  return { status: response.status, code: body.error_code, message: body.message };
}

function post(endpoint: string, body: unknown, contentType: string | null): MlflowResponse {
  const response = fixture.router({ method: 'POST', pathname: `/api/2.0/mlflow/${endpoint}`, query: new URLSearchParams(), bodyText: JSON.stringify(body), contentType });
  if (!response) throw new Error(`router returned null for ${endpoint}`);

  return response;
}

function runCount(): number {
  const body = fixture.ok('POST', 'runs/search', { experiment_ids: ['0'] }) as { runs?: unknown[] };

  return body.runs?.length ?? 0;
}

describe('MlflowRouter', () => {
  it('rejects a string for experiment_ids', () => {
    const error = errorOf(fixture.call('POST', 'runs/search', { experiment_ids: '1' }));

    expect(error.status).toBe(400);
    expect(error.code).toBe('INVALID_PARAMETER_VALUE');
    expect(error.message).toContain("'experiment_ids'");
    expect(error.message).toContain('expected a list of strings');
    expect(error.message).toContain('"1"');
  });

  it('accepts experiment_ids as strings or integers', () => {
    expect(fixture.call('POST', 'runs/search', { experiment_ids: ['0'] }).status).toBe(200);
    expect(fixture.call('POST', 'runs/search', { experiment_ids: [0] }).status).toBe(200);
  });

  it('rejects a string for order_by in a body', () => {
    const error = errorOf(fixture.call('POST', 'runs/search', { experiment_ids: ['0'], order_by: 'start_time DESC' }));

    expect(error.status).toBe(400);
    expect(error.code).toBe('INVALID_PARAMETER_VALUE');
    expect(error.message).toContain("'order_by'");
  });

  it('accepts one order_by query parameter', () => {
    const response = fixture.call('GET', 'experiments/search', { order_by: 'name' });

    expect(response.status).toBe(200);
  });

  it('accepts a number for experiment_id as MLflow does', () => {
    const body = fixture.ok('POST', 'runs/create', { experiment_id: 0, start_time: 1 }) as { run: { info: { experiment_id: string } } };

    expect(body.run.info.experiment_id).toBe('0');
  });

  it('rejects other types for experiment_id', () => {
    for (const value of [true, ['0'], { id: '0' }, 1.5]) {
      const error = errorOf(fixture.call('POST', 'runs/create', { experiment_id: value, start_time: 1 }));

      expect(error.status).toBe(400);
      expect(error.code).toBe('INVALID_PARAMETER_VALUE');
      expect(error.message).toContain("'experiment_id'");
      expect(error.message).toContain('expected a string');
    }
    expect(runCount()).toBe(0);
  });

  it('rejects a number for run_id', () => {
    const error = errorOf(fixture.call('POST', 'runs/log-parameter', { run_id: 5, key: 'lr', value: '0.1' }));

    expect(error.status).toBe(400);
    expect(error.code).toBe('INVALID_PARAMETER_VALUE');
    expect(error.message).toContain("'run_id'");
    expect(error.message).toContain('expected a string');
  });

  it('rejects a number for a param value', () => {
    const { runId } = createRun(fixture);
    const error = errorOf(fixture.call('POST', 'runs/log-parameter', { run_id: runId, key: 'lr', value: 0.1 }));

    expect(error.status).toBe(400);
    expect(error.message).toContain("'value'");
  });

  it('rejects a text/plain POST', () => {
    const error = errorOf(post('runs/create', { experiment_id: '0', start_time: 1 }, 'text/plain'));

    expect(error.status).toBe(400);
    expect(error.code).toBe('INVALID_PARAMETER_VALUE');
    expect(error.message).toContain("Content-Type must be one of ['application/json']");
    expect(error.message).toContain("'text/plain'");
    expect(runCount()).toBe(0);
  });

  it('rejects a POST without Content-Type', () => {
    const error = errorOf(post('runs/create', { experiment_id: '0', start_time: 1 }, null));

    expect(error.status).toBe(400);
    expect(error.code).toBe('INVALID_PARAMETER_VALUE');
    expect(error.message).toContain('Content-Type header is missing');
    expect(runCount()).toBe(0);
  });

  it('accepts JSON with a charset parameter', () => {
    const response = post('runs/create', { experiment_id: '0', start_time: 1 }, 'Application/JSON; charset=utf-8');

    expect(response.status).toBe(200);
    expect(runCount()).toBe(1);
  });

  it('ignores Content-Type on GET', () => {
    const response = fixture.router({ method: 'GET', pathname: '/api/2.0/mlflow/experiments/get', query: new URLSearchParams({ experiment_id: '0' }), bodyText: '', contentType: 'text/plain' });

    expect(response?.status).toBe(200);
  });
});
