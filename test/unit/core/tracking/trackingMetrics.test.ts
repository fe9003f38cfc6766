import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { collectTrackingMetrics } from '../../../../src/main/core/tracking/trackingMetrics';
import { createRun, createTrackingFixture, type TrackingFixture } from './trackingFixture';

let fixture: TrackingFixture;

beforeEach(() => {
  fixture = createTrackingFixture();
});

afterEach(() => {
  fixture.close();
});

describe('collectTrackingMetrics', () => {
  it('counts runs by status, experiments and logged points', () => {
    const { runId } = createRun(fixture);
    createRun(fixture, 'other');
    fixture.ok('POST', 'runs/update', { run_id: runId, status: 'FINISHED' });
    fixture.ok('POST', 'runs/log-batch', { run_id: runId, metrics: [{ key: 'a', value: 1, timestamp: 1 }, { key: 'a', value: 2, timestamp: 2 }] });

    const families = new Map(collectTrackingMetrics(fixture.tracking).map((family) => [family.name, family.samples]));

    expect(families.get('hub_tracking_runs')).toEqual(expect.arrayContaining([{ labels: { status: 'FINISHED' }, value: 1 }, { labels: { status: 'RUNNING' }, value: 1 }]));
    expect(families.get('hub_tracking_experiments')).toEqual([{ value: 3 }]);
    expect(families.get('hub_tracking_metric_points_logged_total')).toEqual([{ value: 2 }]);
  });
});
