import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { type CallContext } from '../../../../src/common/contract';
import { createTrackingHandlers } from '../../../../src/main/core/tracking/handlers';
import { createTrackingFixture, type TrackingFixture } from './trackingFixture';

const context: CallContext = { transport: 'internal' };

let fixture: TrackingFixture;
let handlers: ReturnType<typeof createTrackingHandlers>;
let visionRunId: string;

beforeEach(() => {
  fixture = createTrackingFixture();
  handlers = createTrackingHandlers(fixture.tracking);
  const { experiment_id: visionId } = fixture.ok('POST', 'experiments/create', { name: 'v', tags: [{ key: 'mlops_hub.project', value: 'vision' }] }) as { experiment_id: string };
  visionRunId = (fixture.ok('POST', 'runs/create', { experiment_id: visionId, run_name: 'cnn', start_time: 10 }) as { run: { info: { run_id: string } } }).run.info.run_id;
  fixture.ok('POST', 'runs/create', { experiment_id: '0', run_name: 'plain', start_time: 5 });

  const metrics = Array.from({ length: 1000 }, (_, step) => ({ key: 'loss', value: step === 999 ? 'NaN' : 1 / (step + 1), timestamp: 100 + step, step }));
  fixture.ok('POST', 'runs/log-batch', { run_id: visionRunId, metrics });
  fixture.ok('POST', 'runs/log-batch', { run_id: visionRunId, params: [{ key: 'lr', value: '0.1' }] });
});

afterEach(() => {
  fixture.close();
});

describe('createTrackingHandlers', () => {
  it('lists experiments with their project and run counts', async () => {
    const all = await handlers['experiments:list']({ includeDeleted: false }, context);

    expect(all.map((e) => [e.experimentId, e.name, e.project, e.runCount, e.activeRuns])).toEqual([
      ['0', 'Default', 'default', 1, 1],
      ['1', 'v', 'vision', 1, 1],
    ]);
    expect(all[1]!.lastActivity).toBeGreaterThan(0);
    expect((await handlers['experiments:list']({ project: 'vision', includeDeleted: false }, context)).map((e) => e.name)).toEqual(['v']);
  });

  it('lists deleted experiments only when asked', async () => {
    fixture.ok('POST', 'experiments/delete', { experiment_id: '1' });

    expect(await handlers['experiments:list']({ includeDeleted: false }, context)).toHaveLength(1);
    expect(await handlers['experiments:list']({ includeDeleted: true }, context)).toHaveLength(2);
  });

  it('lists runs of a project as RunSummary with NaN as a string', async () => {
    const page = await handlers['runs:list']({ project: 'vision', orderBy: [], maxResults: 1000 }, context);

    expect(page.total).toBe(1);
    expect(page.nextPageToken).toBeNull();
    expect(page.runs[0]).toEqual({
      runId: visionRunId,
      runName: 'cnn',
      experimentId: '1',
      project: 'vision',
      status: 'RUNNING',
      startTime: 10,
      endTime: null,
      params: { lr: '0.1' },
      latestMetrics: { loss: 'NaN' },
      tags: { 'mlflow.runName': 'cnn' },
    });
  });

  it('lists runs of every project with a filter and pages', async () => {
    const first = await handlers['runs:list']({ orderBy: ['attributes.start_time ASC'], maxResults: 1 }, context);
    expect(first.runs.map((run) => run.runName)).toEqual(['plain']);
    expect(first.total).toBe(2);

    const second = await handlers['runs:list']({ orderBy: ['attributes.start_time ASC'], maxResults: 1, pageToken: first.nextPageToken ?? undefined }, context);
    expect(second.runs.map((run) => run.runName)).toEqual(['cnn']);
    expect((await handlers['runs:list']({ filter: "params.lr = '0.1'", orderBy: [], maxResults: 10 }, context)).runs).toHaveLength(1);
  });

  it('returns a run detail with metric keys', async () => {
    const detail = await handlers['runs:get']({ runId: visionRunId }, context);

    expect(detail).toMatchObject({ runId: visionRunId, metricKeys: ['loss'], lifecycleStage: 'active', artifactUri: `mlflow-artifacts:/1/${visionRunId}/artifacts` });
  });

  it('downsamples a metric history with LTTB', async () => {
    const history = await handlers['metrics:history']({ runId: visionRunId, key: 'loss', maxPoints: 100 }, context);

    expect(history.totalPoints).toBe(1000);
    expect(history.downsampled).toBe(true);
    expect(history.points).toHaveLength(100);
    expect(history.points[0]).toEqual({ step: 0, timestamp: 100, value: 1 });
    expect(history.points.at(-1)).toEqual({ step: 999, timestamp: 1099, value: 'NaN' });
  });

  it('returns a short history whole', async () => {
    const history = await handlers['metrics:history']({ runId: visionRunId, key: 'loss', maxPoints: 2000 }, context);

    expect(history.downsampled).toBe(false);
    expect(history.points).toHaveLength(1000);
  });
});

describe('Tracking (projects)', () => {
  it('counts runs, experiments and active runs per project', () => {
    fixture.ok('POST', 'runs/update', { run_id: visionRunId, status: 'FINISHED', end_time: 99 });
    const counts = fixture.tracking.countByProject();

    expect(counts.get('vision')).toMatchObject({ runCount: 1, experimentCount: 1, activeRuns: 0 });
    expect(counts.get('default')).toMatchObject({ runCount: 1, experimentCount: 1, activeRuns: 1 });
    expect(counts.get('vision')!.lastActivity).toBeGreaterThan(0);
    fixture.ok('POST', 'experiments/create', { name: 'empty', tags: [{ key: 'mlops_hub.project', value: 'quiet' }] });
    expect(fixture.tracking.countByProject().get('quiet')).toEqual({ runCount: 0, experimentCount: 1, activeRuns: 0, lastActivity: null });
    expect(fixture.tracking.countActiveRuns()).toBe(1);
  });

  it('renames a project and rewrites the project tag', () => {
    fixture.tracking.renameProject('vision', 'sight');

    expect(fixture.tracking.experiments.get('1').project).toBe('sight');
    expect(fixture.tracking.experiments.tags(1).get('mlops_hub.project')).toBe('sight');
    expect(fixture.tracking.countByProject().has('vision')).toBe(false);
  });

  it('purges a project with its runs and metric points and keeps the others', () => {
    fixture.tracking.purgeProject('vision');

    expect(fixture.db.prepare('SELECT COUNT(*) FROM metrics').pluck().get()).toBe(0);
    expect(fixture.call('GET', 'runs/get', { run_id: visionRunId }).status).toBe(404);
    expect(fixture.call('GET', 'experiments/get', { experiment_id: '1' }).status).toBe(404);
    expect(fixture.tracking.countByProject().get('default')).toMatchObject({ runCount: 1 });
  });

  it('keeps the Default experiment when the default project is purged', () => {
    fixture.tracking.purgeProject('default');

    expect(fixture.call('GET', 'experiments/get', { experiment_id: '0' }).status).toBe(200);
    expect(fixture.tracking.countByProject().get('default')).toMatchObject({ runCount: 0, experimentCount: 1 });
  });
});

describe('createTrackingHandlers (history cache)', () => {
  it('serves a long history again until a new point arrives', async () => {
    for (let start = 1000; start < 12_000; start += 1000) {
      const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: 'loss', value: i, timestamp: start + i, step: start + i }));
      fixture.ok('POST', 'runs/log-batch', { run_id: visionRunId, metrics });
    }

    const first = await handlers['metrics:history']({ runId: visionRunId, key: 'loss', maxPoints: 500 }, context);
    expect(first.totalPoints).toBe(12_000);
    expect(await handlers['metrics:history']({ runId: visionRunId, key: 'loss', maxPoints: 500 }, context)).toBe(first);

    fixture.ok('POST', 'runs/log-metric', { run_id: visionRunId, key: 'loss', value: 5, timestamp: 1, step: 20_000 });
    const updated = await handlers['metrics:history']({ runId: visionRunId, key: 'loss', maxPoints: 500 }, context);
    expect(updated.totalPoints).toBe(12_001);
  });

  it('fails for a purged run even after caching its history', async () => {
    for (let start = 1000; start < 12_000; start += 1000) {
      const metrics = Array.from({ length: 1000 }, (_, i) => ({ key: 'loss', value: i, timestamp: start + i, step: start + i }));
      fixture.ok('POST', 'runs/log-batch', { run_id: visionRunId, metrics });
    }
    await handlers['metrics:history']({ runId: visionRunId, key: 'loss', maxPoints: 500 }, context);

    fixture.tracking.purgeProject('vision');

    expect(() => handlers['metrics:history']({ runId: visionRunId, key: 'loss', maxPoints: 500 }, context)).toThrow(/not found/);
  });
});
