import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { readMetricHistory } from '../../../../src/main/core/tracking/handlers';
import { quoteBareNonFinite } from '../../../../src/main/core/tracking/mlflowRequest';
import { decodeDouble, encodeDouble } from '../../../../src/main/core/tracking/wire';
import { createRun, createTrackingFixture, type TrackingFixture } from './trackingFixture';

describe('encodeDouble', () => {
  it('writes non-finite values as protobuf-JSON strings', () => {
    expect([NaN, Infinity, -Infinity, 1.5, 0].map(encodeDouble)).toEqual(['NaN', 'Infinity', '-Infinity', 1.5, 0]);
  });
});

describe('decodeDouble', () => {
  it('reads numbers, the three special strings and numeric strings', () => {
    expect(decodeDouble('NaN')).toBeNaN();
    expect(decodeDouble('Infinity')).toBe(Infinity);
    expect(decodeDouble('-Infinity')).toBe(-Infinity);
    expect(decodeDouble('2.5e1')).toBe(25);
    expect(decodeDouble(3)).toBe(3);
  });

  it('returns undefined for text, booleans and null', () => {
    expect([decodeDouble('abc'), decodeDouble(''), decodeDouble(true), decodeDouble(null), decodeDouble('1,5')]).toEqual([undefined, undefined, undefined, undefined, undefined]);
  });
});

describe('quoteBareNonFinite', () => {
  it('quotes bare tokens and leaves strings alone', () => {
    expect(quoteBareNonFinite('{"a": NaN, "b": [Infinity, -Infinity], "c": "NaN \\" Infinity"}')).toBe('{"a": "NaN", "b": ["Infinity", "-Infinity"], "c": "NaN \\" Infinity"}');
  });
});

describe('Tracking (non-finite metric values)', () => {
  let fixture: TrackingFixture;
  let runId: string;

  beforeEach(() => {
    fixture = createTrackingFixture();
    ({ runId } = createRun(fixture));
  });

  afterEach(() => {
    fixture.close();
  });

  it('stores NaN and infinities and returns them as strings', () => {
    const metrics = [
      { key: 'nan', value: 'NaN', timestamp: 1, step: 0 },
      { key: 'inf', value: 'Infinity', timestamp: 1, step: 0 },
      { key: 'ninf', value: '-Infinity', timestamp: 1, step: 0 },
    ];
    fixture.ok('POST', 'runs/log-batch', { run_id: runId, metrics });

    const run = fixture.ok('GET', 'runs/get', { run_id: runId })['run'] as { data: { metrics: unknown[] } };
    expect(run.data.metrics).toEqual(expect.arrayContaining(metrics));
    for (const metric of metrics) {
      expect(fixture.ok('GET', 'metrics/get-history', { run_id: runId, metric_key: metric.key })['metrics']).toEqual([metric]);
    }
  });

  it('keeps NaN points apart from finite points at the same step', () => {
    fixture.ok('POST', 'runs/log-metric', { run_id: runId, key: 'm', value: 'NaN', timestamp: 5, step: 1 });
    fixture.ok('POST', 'runs/log-metric', { run_id: runId, key: 'm', value: 0, timestamp: 5, step: 1 });

    const history = fixture.ok('GET', 'metrics/get-history', { run_id: runId, metric_key: 'm' })['metrics'] as { value: unknown }[];
    expect(history.map((point) => point.value).sort()).toEqual([0, 'NaN']);
  });

  it('stores an exact duplicate point once, as a retried request sends it', () => {
    const point = { run_id: runId, key: 'm', value: 1, timestamp: 5, step: 1 };
    fixture.ok('POST', 'runs/log-metric', point);
    fixture.ok('POST', 'runs/log-metric', point);

    expect(fixture.ok('GET', 'metrics/get-history', { run_id: runId, metric_key: 'm' })['metrics']).toHaveLength(1);
  });

  it('keeps as latest the point with the highest step, whatever the arrival order', () => {
    fixture.ok('POST', 'runs/log-metric', { run_id: runId, key: 'm', value: 9, timestamp: 50, step: 5 });
    fixture.ok('POST', 'runs/log-metric', { run_id: runId, key: 'm', value: 1, timestamp: 99, step: 2 });

    const run = fixture.ok('GET', 'runs/get', { run_id: runId })['run'] as { data: { metrics: unknown[] } };
    expect(run.data.metrics).toEqual([{ key: 'm', value: 9, timestamp: 50, step: 5 }]);
  });

  it('returns exact values and non-finite strings from metrics:history', () => {
    const values = [0.1 + 0.2, 1 / 3, Number.MAX_VALUE, Number.MIN_VALUE, -1e-300, 'NaN', 'Infinity', '-Infinity'];
    const metrics = values.map((value, step) => ({ key: 'm', value, timestamp: 7, step }));
    fixture.ok('POST', 'runs/log-batch', { run_id: runId, metrics });

    const history = readMetricHistory(fixture.tracking, runId, 'm', 2000);
    expect(history.points.map((point) => point.value)).toEqual(values);
    expect(history.points.map((point) => point.step)).toEqual(values.map((_, step) => step));
  });

  it('accepts bare NaN and Infinity tokens as Python json.dumps writes them', () => {
    const body = `{"run_id": "${runId}", "metrics": [{"key": "m", "value": NaN, "timestamp": 1}, {"key": "m", "value": -Infinity, "timestamp": 2}]}`;

    expect(fixture.call('POST', 'runs/log-batch', body).status).toBe(200);
    const history = fixture.ok('GET', 'metrics/get-history', { run_id: runId, metric_key: 'm' })['metrics'] as { value: unknown }[];
    expect(history.map((point) => point.value)).toEqual(['NaN', '-Infinity']);
  });
});
