import { type MethodHandlers } from '../../../common/contract';
import { type artifactMethods, type ExperimentSummary, type MetricHistory, type RunDetail, type RunSummary, type trackingMethods } from '../../../common/methods/tracking';
import { listRunArtifacts } from './artifactRoutes';
import { MetricHistoryCache } from './historyCache';
import { lttbIndices } from './lttb';
import { type Tracking } from './tracking';
import { type LoadedRun } from './types';
import { encodeDouble } from './wire';

/** Hub method handlers of the tracking domain, for the GUI, the CLI and the SDK. */
export function createTrackingHandlers(tracking: Tracking): MethodHandlers<typeof trackingMethods> {
  const historyCache = new MetricHistoryCache();

  return {
    'experiments:list': ({ project, includeDeleted }) => listExperiments(tracking, project, includeDeleted),
    'runs:list': (input) => {
      const experimentIds = input.experimentIds ?? experimentIdsOf(tracking, input.project);
      const page = tracking.searchRuns({ experimentIds, filter: input.filter, viewType: 'ACTIVE_ONLY', maxResults: input.maxResults, orderBy: input.orderBy, pageToken: input.pageToken });
      const projects = projectsById(tracking);

      return { runs: page.runs.map((run) => toRunSummary(run, projects)), nextPageToken: page.nextPageToken ?? null, total: page.total };
    },
    'runs:get': ({ runId }) => toRunDetail(tracking, tracking.runs.load(runId)),
    'metrics:history': ({ runId, key, maxPoints }) => {
      // A purged run must fail as unknown even while its history is cached.
      tracking.runs.getRow(runId);
      const version = tracking.metricVersion(runId);
      const cached = historyCache.get(runId, key, maxPoints, version);
      if (cached) return cached;

      const history = readMetricHistory(tracking, runId, key, maxPoints);
      historyCache.set(runId, key, maxPoints, version, history);
      return history;
    },
  };
}

/** Handler of `artifacts:list`, which reads the embedded store even while a managed server is the tracking target. */
export function createArtifactHandlers(tracking: Tracking): MethodHandlers<typeof artifactMethods> {
  return {
    'artifacts:list': ({ runId, path }) => listRunArtifacts(tracking, runId, path),
  };
}

function listExperiments(tracking: Tracking, project: string | undefined, includeDeleted: boolean): ExperimentSummary[] {
  return tracking.listExperiments(project, includeDeleted).map(({ experiment, runCount, activeRuns, lastActivity }) => ({
    experimentId: String(experiment.experiment_id),
    name: experiment.name,
    project: experiment.project,
    lifecycleStage: experiment.lifecycle_stage,
    creationTime: experiment.creation_time,
    lastUpdateTime: experiment.last_update_time,
    runCount,
    activeRuns,
    lastActivity,
  }));
}

/** Experiments of one project, or of all projects when none is named. */
function experimentIdsOf(tracking: Tracking, project: string | undefined): string[] {
  return [...tracking.experiments.projectsById(false)].filter(([, slug]) => project === undefined || slug === project).map(([id]) => String(id));
}

function projectsById(tracking: Tracking): Map<number, string> {
  return tracking.experiments.projectsById(true);
}

function toRunSummary(run: LoadedRun, projects: Map<number, string>): RunSummary {
  const latestMetrics: RunSummary['latestMetrics'] = {};
  for (const [key, point] of run.metrics) latestMetrics[key] = encodeDouble(point.value);

  return {
    runId: run.row.run_id,
    runName: run.row.run_name,
    experimentId: String(run.row.experiment_id),
    project: projects.get(run.row.experiment_id) ?? 'default',
    status: run.row.status,
    startTime: run.row.start_time,
    endTime: run.row.end_time,
    params: Object.fromEntries(run.params),
    latestMetrics,
    tags: Object.fromEntries(run.tags),
  };
}

function toRunDetail(tracking: Tracking, run: LoadedRun): RunDetail {
  const project = tracking.experiments.get(String(run.row.experiment_id)).project;

  return {
    ...toRunSummary(run, new Map([[run.row.experiment_id, project]])),
    metricKeys: tracking.runs.metricKeys(run.row.run_key),
    lifecycleStage: run.row.lifecycle_stage,
    artifactUri: run.row.artifact_uri,
  };
}

/** Reads a metric's history and, when it has more than `maxPoints` points, keeps an LTTB subset over steps. */
export function readMetricHistory(tracking: Tracking, runId: string, key: string, maxPoints: number): MetricHistory {
  const row = tracking.runs.getRow(runId);
  const series = tracking.runs.metricSeries(row.run_key, key);
  const totalPoints = series.steps.length;
  const indices = lttbIndices(series.steps, series.values, maxPoints);

  const points = Array.from(indices, (index) => ({ step: series.steps[index]!, timestamp: series.timestamps[index]!, value: encodeDouble(series.values[index]!) }));

  return { key, points, totalPoints, downsampled: indices.length < totalPoints };
}
