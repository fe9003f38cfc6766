import { expect } from 'vitest';

/**
 * Checks of reply bodies against the JSON shapes of MLflow's REST API
 * (`mlflow/protos/service.proto`): ids are strings, int64 fields are JSON
 * numbers, enums are names, doubles are numbers or "NaN"/"Infinity"/"-Infinity".
 */

const keyValue = { key: expect.any(String), value: expect.any(String) };

export function expectExperimentShape(value: unknown): void {
  expect(value).toEqual({
    experiment_id: expect.stringMatching(/^\d+$/),
    name: expect.any(String),
    artifact_location: expect.any(String),
    lifecycle_stage: expect.stringMatching(/^(active|deleted)$/),
    last_update_time: expect.any(Number),
    creation_time: expect.any(Number),
    ...(hasKey(value, 'tags') ? { tags: expect.arrayContaining([keyValue]) } : {}),
  });
}

export function expectRunInfoShape(value: unknown): void {
  expect(value).toEqual({
    run_id: expect.stringMatching(/^[a-zA-Z0-9][\w-]{0,255}$/),
    run_uuid: (value as { run_id: string }).run_id,
    run_name: expect.any(String),
    experiment_id: expect.stringMatching(/^\d+$/),
    user_id: expect.any(String),
    status: expect.stringMatching(/^(RUNNING|SCHEDULED|FINISHED|FAILED|KILLED)$/),
    start_time: expect.any(Number),
    ...(hasKey(value, 'end_time') ? { end_time: expect.any(Number) } : {}),
    artifact_uri: expect.any(String),
    lifecycle_stage: expect.stringMatching(/^(active|deleted)$/),
  });
}

export function expectMetricShape(value: unknown): void {
  expect(value).toEqual({ key: expect.any(String), value: expect.anything(), timestamp: expect.any(Number), step: expect.any(Number) });
  const metricValue = (value as { value: unknown }).value;
  expect(typeof metricValue === 'number' || ['NaN', 'Infinity', '-Infinity'].includes(metricValue as string)).toBe(true);
}

export function expectRunShape(value: unknown): void {
  const run = value as { info: unknown; data: Record<string, unknown[] | undefined>; inputs: unknown };
  expect(Object.keys(run).sort()).toEqual(['data', 'info', 'inputs']);
  expectRunInfoShape(run.info);
  expect(typeof run.inputs).toBe('object');
  for (const metric of run.data['metrics'] ?? []) expectMetricShape(metric);
  for (const entry of [...(run.data['params'] ?? []), ...(run.data['tags'] ?? [])]) expect(entry).toEqual(keyValue);
  for (const field of Object.keys(run.data)) expect(['metrics', 'params', 'tags']).toContain(field);
}

export function expectErrorShape(value: unknown, code: string): void {
  expect(value).toEqual({ error_code: code, message: expect.any(String) });
}

function hasKey(value: unknown, key: string): boolean {
  return typeof value === 'object' && value !== null && key in value;
}
