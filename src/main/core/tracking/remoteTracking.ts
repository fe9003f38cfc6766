import { type MethodHandlers } from '../../../common/contract';
import { type ExperimentSummary, type MetricHistory, type RunDetail, type RunStatus, type RunSummary, type trackingMethods } from '../../../common/methods/tracking';
import { lttbIndices } from './lttb';
import { type MlflowRestClient, type RestExperiment, type RestMetric, type RestPage, type RestRun } from './mlflowRestClient';
import { decodeDouble, encodeDouble } from './wire';

/** Experiment tag that names the project an experiment belongs to. */
const projectTag = 'mlops_hub.project';

/** Page sizes sent to the server: MLflow 3.x's own client requests 25,000 history points per page, and runs/search allows up to 50,000 runs. */
const pageSizes = { experiments: 1000, runs: 1000, countRuns: 50_000, history: 25_000 } as const;

/** Experiment ids per runs/search request, which keeps each request body small; a chosen size, not an MLflow limit. */
const experimentIdsPerSearch = 100;

const runStatuses: readonly RunStatus[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];

/** Creates the GUI's tracking methods on top of an MLflow tracking server's REST API. */
export function createRemoteTrackingHandlers(client: MlflowRestClient): MethodHandlers<typeof trackingMethods> {
  return {
    'experiments:list': ({ project, includeDeleted }) => listExperiments(client, project, includeDeleted),
    'runs:list': async (input) => {
      const experiments = await readAllExperiments(client, 'ALL');
      const projects = new Map(experiments.map((experiment) => [experiment.experiment_id, projectOf(experiment)]));
      const experimentIds = input.experimentIds ?? experiments.filter((experiment) => experiment.lifecycle_stage !== 'deleted' && (input.project === undefined || projectOf(experiment) === input.project)).map((experiment) => experiment.experiment_id);
      if (experimentIds.length === 0) return { runs: [], nextPageToken: null, total: 0 };

      const search = { experimentIds, filter: input.filter, orderBy: input.orderBy };
      const page = await client.searchRuns({ ...search, maxResults: input.maxResults, pageToken: input.pageToken });
      const total = !input.pageToken && !page.nextPageToken ? page.items.length : await countRuns(client, search);

      return { runs: page.items.map((run) => toRunSummary(run, projects)), nextPageToken: page.nextPageToken, total };
    },
    'runs:get': async ({ runId }) => {
      const run = await client.getRun(runId);
      const experiment = await client.getExperiment(run.info.experiment_id);

      return toRunDetail(run, projectOf(experiment));
    },
    'metrics:history': async ({ runId, key, maxPoints }) => readMetricHistory(client, runId, key, maxPoints),
  };
}

async function listExperiments(client: MlflowRestClient, project: string | undefined, includeDeleted: boolean): Promise<ExperimentSummary[]> {
  const experiments = (await readAllExperiments(client, includeDeleted ? 'ALL' : 'ACTIVE_ONLY')).filter((experiment) => project === undefined || projectOf(experiment) === project);
  const stats = await readRunStats(client, experiments.map((experiment) => experiment.experiment_id));
  // Same order as the embedded store: by numeric experiment id, then as text for servers with other ids.
  experiments.sort((left, right) => Number(left.experiment_id) - Number(right.experiment_id) || left.experiment_id.localeCompare(right.experiment_id));

  return experiments.map((experiment) => {
    const stat = stats.get(experiment.experiment_id);

    return {
      experimentId: experiment.experiment_id,
      name: experiment.name,
      project: projectOf(experiment),
      lifecycleStage: experiment.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
      creationTime: toInteger(experiment.creation_time),
      lastUpdateTime: toInteger(experiment.last_update_time),
      runCount: stat?.runCount ?? 0,
      activeRuns: stat?.activeRuns ?? 0,
      lastActivity: stat?.lastActivity ?? null,
    };
  });
}

async function readAllExperiments(client: MlflowRestClient, viewType: 'ACTIVE_ONLY' | 'ALL'): Promise<RestExperiment[]> {
  return readAllPages((pageToken) => client.searchExperiments(viewType, pageSizes.experiments, pageToken));
}

interface RunStats {
  runCount: number;
  activeRuns: number;
  /** Latest start, end or metric timestamp of the runs, in ms since the Unix epoch. */
  lastActivity: number | null;
}

/**
 * Counts the runs of each experiment. MLflow has no count endpoint, so this reads
 * every run that is not deleted. The latest start, end or metric time replaces
 * the embedded store's time of the last write, which MLflow does not return.
 */
async function readRunStats(client: MlflowRestClient, experimentIds: string[]): Promise<Map<string, RunStats>> {
  const stats = new Map<string, RunStats>();
  for (let start = 0; start < experimentIds.length; start += experimentIdsPerSearch) {
    const chunk = experimentIds.slice(start, start + experimentIdsPerSearch);
    const runs = await readAllPages((pageToken) => client.searchRuns({ experimentIds: chunk, maxResults: pageSizes.runs, pageToken }));

    for (const run of runs) {
      const stat = stats.get(run.info.experiment_id) ?? { runCount: 0, activeRuns: 0, lastActivity: null };
      const times = [run.info.start_time, run.info.end_time, ...(run.data?.metrics ?? []).map((metric) => metric.timestamp)].filter((time) => time !== undefined).map(toInteger);
      stat.runCount += 1;
      if (run.info.status === 'RUNNING') stat.activeRuns += 1;
      if (times.length > 0) stat.lastActivity = Math.max(stat.lastActivity ?? 0, ...times);
      stats.set(run.info.experiment_id, stat);
    }
  }

  return stats;
}

/**
 * Counts the runs that match a search. MLflow's runs/search returns no total,
 * so this pages through every match with the largest page size the server allows.
 */
async function countRuns(client: MlflowRestClient, search: { experimentIds: string[]; filter?: string; orderBy?: string[] }): Promise<number> {
  let total = 0;
  let pageToken: string | undefined;
  do {
    const page = await client.searchRuns({ ...search, maxResults: pageSizes.countRuns, pageToken });
    total += page.items.length;
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);

  return total;
}

// NOTE: unlike the embedded store, nothing is cached here: each call reads the whole history from the server.
async function readMetricHistory(client: MlflowRestClient, runId: string, key: string, maxPoints: number): Promise<MetricHistory> {
  const raw = await readAllPages((pageToken) => client.getMetricHistory(runId, key, pageSizes.history, pageToken));
  const points = raw.map((metric) => ({ step: toInteger(metric.step), timestamp: toInteger(metric.timestamp), value: toDouble(metric.value) }));
  points.sort((left, right) => left.step - right.step || left.timestamp - right.timestamp);

  const steps = Float64Array.from(points, (point) => point.step);
  const values = Float64Array.from(points, (point) => point.value);
  const indices = lttbIndices(steps, values, maxPoints);
  const kept = Array.from(indices, (index) => ({ ...points[index]!, value: encodeDouble(points[index]!.value) }));

  return { key, points: kept, totalPoints: points.length, downsampled: indices.length < points.length };
}

async function readAllPages<T>(readPage: (pageToken: string | undefined) => Promise<RestPage<T>>): Promise<T[]> {
  const items: T[] = [];
  let pageToken: string | undefined;
  do {
    const page = await readPage(pageToken);
    items.push(...page.items);
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);

  return items;
}

/** Maps a run as MLflow returns it to the GUI's summary; `projects` maps experiment ids to project slugs. */
export function toRunSummary(run: RestRun, projects: ReadonlyMap<string, string>): RunSummary {
  const { info } = run;
  const latestMetrics: RunSummary['latestMetrics'] = {};
  for (const metric of run.data?.metrics ?? []) latestMetrics[metric.key] = encodeDouble(toDouble(metric.value));
  const tags = toRecord(run.data?.tags);
  const status = runStatuses.find((candidate) => candidate === info.status) ?? 'RUNNING';

  return {
    runId: info.run_id,
    runName: info.run_name ?? tags['mlflow.runName'] ?? '',
    experimentId: info.experiment_id,
    project: projects.get(info.experiment_id) ?? 'default',
    status,
    startTime: toInteger(info.start_time),
    endTime: info.end_time === undefined || info.end_time === null ? null : toInteger(info.end_time),
    params: toRecord(run.data?.params),
    latestMetrics,
    tags,
  };
}

export function toRunDetail(run: RestRun, project: string): RunDetail {
  return {
    ...toRunSummary(run, new Map([[run.info.experiment_id, project]])),
    metricKeys: [...new Set((run.data?.metrics ?? []).map((metric) => metric.key))].sort(),
    lifecycleStage: run.info.lifecycle_stage === 'deleted' ? 'deleted' : 'active',
    artifactUri: run.info.artifact_uri ?? '',
  };
}

/** Returns the project slug of an experiment: its `mlops_hub.project` tag, else `default`. */
export function projectOf(experiment: RestExperiment): string {
  return experiment.tags?.find((tag) => tag.key === projectTag)?.value || 'default';
}

function toRecord(entries: readonly { key: string; value: string }[] | undefined): Record<string, string> {
  return Object.fromEntries((entries ?? []).map(({ key, value }) => [key, value]));
}

/** Reads an int64 that MLflow may send as a number or a numeric string; anything else is 0. */
function toInteger(raw: number | string | undefined): number {
  const value = Number(raw);

  return Number.isFinite(value) ? value : 0;
}

function toDouble(raw: RestMetric['value']): number {
  return decodeDouble(raw) ?? NaN;
}
