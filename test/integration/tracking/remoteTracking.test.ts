import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { type CallContext } from '../../../src/common/contract';
import { HubError } from '../../../src/common/errors';
import type { ExperimentSummary, MetricHistory, RunDetail, RunPage } from '../../../src/common/methods/tracking';
import { createSilentLogger } from '../../../src/main/core/logger';
import { MlflowRestClient } from '../../../src/main/core/tracking/mlflowRestClient';
import { createRemoteTrackingHandlers } from '../../../src/main/core/tracking/remoteTracking';
import { seedRuns, startMlflowServerHub, type MlflowServerHub, type SeededRuns } from './mlflowServerHub';

const context: CallContext = { transport: 'internal' };

let server: MlflowServerHub;
let seeded: SeededRuns;
let remote: ReturnType<typeof createRemoteTrackingHandlers>;

beforeEach(async () => {
  server = await startMlflowServerHub();
  process.env['MLOPS_HUB_HOME'] = server.hub.paths.dataDir;
  seeded = await seedRuns(server);
  remote = createRemoteTrackingHandlers(new MlflowRestClient({ baseUrl: server.url, token: server.hub.token, log: createSilentLogger() }));
});

afterEach(async () => {
  await server.hub.close();
});

/** Calls the same method on the server hub, which reads its own embedded store. */
async function embedded<T>(name: string, input: unknown): Promise<T> {
  return (await server.hub.call(name, input, context)) as T;
}

function withoutLastActivity(experiments: ExperimentSummary[]): Omit<ExperimentSummary, 'lastActivity'>[] {
  return experiments.map(({ lastActivity: _ignored, ...rest }) => rest);
}

describe('createRemoteTrackingHandlers', () => {
  it('lists experiments as the embedded store does', async () => {
    const experiments = await remote['experiments:list']({ includeDeleted: false }, context);

    expect(withoutLastActivity(experiments)).toEqual(withoutLastActivity(await embedded('experiments:list', {})));
    expect(experiments.map((experiment) => [experiment.name, experiment.project, experiment.runCount, experiment.activeRuns])).toEqual([
      ['Default', 'default', 1, 1],
      ['vision-exp', 'vision', 1, 0],
    ]);
    expect(experiments[1]!.lastActivity).toBeGreaterThanOrEqual(7000);
  });

  it('filters experiments by project', async () => {
    const vision = await remote['experiments:list']({ project: 'vision', includeDeleted: false }, context);

    expect(vision.map((experiment) => experiment.experimentId)).toEqual([seeded.visionExperimentId]);
  });

  it('lists runs as the embedded store does', async () => {
    const input = { orderBy: [], maxResults: 1000 };

    expect(await remote['runs:list'](input, context)).toEqual(await embedded<RunPage>('runs:list', input));
  });

  it('passes filter, order and project to runs/search', async () => {
    const filtered = await remote['runs:list']({ filter: "params.lr = '0.1'", orderBy: [], maxResults: 1000 }, context);
    const byProject = await remote['runs:list']({ project: 'vision', orderBy: [], maxResults: 1000 }, context);
    const ascending = await remote['runs:list']({ orderBy: ['attributes.start_time ASC'], maxResults: 1000 }, context);

    expect(filtered.runs.map((run) => run.runId)).toEqual([seeded.cnnRunId]);
    expect(byProject.runs.map((run) => [run.runId, run.project])).toEqual([[seeded.cnnRunId, 'vision']]);
    expect(ascending.runs.map((run) => run.runName)).toEqual(['plain', 'cnn']);
  });

  it('pages runs with the server page token and counts all matches', async () => {
    const first = await remote['runs:list']({ orderBy: [], maxResults: 1 }, context);
    const second = await remote['runs:list']({ orderBy: [], maxResults: 1, pageToken: first.nextPageToken! }, context);

    expect(first.runs.map((run) => run.runName)).toEqual(['cnn']);
    expect(first.total).toBe(2);
    expect(second.runs.map((run) => run.runName)).toEqual(['plain']);
    expect(second.total).toBe(2);
  });

  it('returns a run detail as the embedded store does', async () => {
    const detail = await remote['runs:get']({ runId: seeded.cnnRunId }, context);

    expect(detail).toEqual(await embedded<RunDetail>('runs:get', { runId: seeded.cnnRunId }));
    expect(detail.latestMetrics).toMatchObject({ loss: 'NaN', acc: 0.9 });
    expect(detail.metricKeys).toEqual(expect.arrayContaining(['acc', 'loss']));
    expect(detail.project).toBe('vision');
  });

  it('downsamples metric history as the embedded store does', async () => {
    const input = { runId: seeded.cnnRunId, key: 'loss', maxPoints: 100 };
    const history = await remote['metrics:history'](input, context);

    expect(history).toEqual(await embedded<MetricHistory>('metrics:history', input));
    expect(history.totalPoints).toBe(1000);
    expect(history.points).toHaveLength(100);
    expect(history.downsampled).toBe(true);
    expect(history.points.at(-1)).toEqual({ step: 999, timestamp: 5999, value: 'NaN' });
  });

  it('keeps the server error code for an unknown run', async () => {
    const error: unknown = await Promise.resolve(remote['runs:get']({ runId: 'f'.repeat(32) }, context)).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).code).toBe('RESOURCE_DOES_NOT_EXIST');
  });
});
