import { type EventBus } from '../eventBus';
import { type Logger } from '../logger';
import { type Db } from '../storage/database';
import { ArtifactStore } from './artifactStore';
import { type BatchInput, BatchWriter } from './batchWriter';
import { type ExperimentSearch, ExperimentStore } from './experimentStore';
import { parseFilter, parseOrderBy } from './filterParser';
import { type LoggedModelRow, LoggedModelStore } from './loggedModelStore';
import { decodePageToken, encodePageToken, validateMaxResults } from './paging';
import { matchesRun, referencedKeys, sortRuns, validateRunClauses, validateRunOrderTerm } from './runFilter';
import { type CreateRunInput, RunStore, type UpdateRunInput } from './runStore';
import { type ExperimentRow, type KeyValue, type LoadedRun, type MetricPoint, type RunRow, type ViewType } from './types';
import { countActiveRuns, countByProject, type ExperimentCounts, listExperimentCounts, listProjectModels, listProjectRuns, type ProjectCounts, purgeProject, renameProject } from './projectQueries';
import { limits } from './validation';

export interface TrackingOptions {
  db: Db;
  log: Logger;
  events: EventBus;
  /** Clock in milliseconds since the Unix epoch. */
  now?: () => number;
  /** Root of new experiments' artifact locations; MLflow's proxied-artifact scheme by default. */
  artifactRoot?: string;
  /** Folder of proxied artifact files; without it the artifact routes return 503. */
  artifactsDir?: string;
  /** Largest artifact upload in bytes; 2 GiB by default. */
  maxArtifactBytes?: number;
}

export interface RunSearch {
  experimentIds: readonly string[];
  filter?: string;
  viewType: ViewType;
  maxResults: number;
  orderBy: readonly string[];
  pageToken?: string;
}

export interface RunPage {
  runs: LoadedRun[];
  nextPageToken?: string;
  /** Count of runs that match the filter, over all pages. */
  total: number;
}

/**
 * The MLflow-compatible tracking store: experiments, runs, params, tags and
 * metrics in the hub database. Emits one event per write request, never one
 * per metric point, so a log-batch of 1,000 points costs one event.
 */
export class Tracking {
  readonly experiments: ExperimentStore;
  readonly runs: RunStore;
  /** MLflow 3.x LoggedModels. */
  readonly models: LoggedModelStore;
  readonly db: Db;
  /** Artifact files of runs, or null when the hub stores none. */
  readonly artifacts: ArtifactStore | null;
  /** Metric points accepted since construction, exact duplicates included. */
  pointsLogged = 0;
  /** Per run, the count of log requests that wrote metric points; one entry per run, not per key. */
  private readonly metricVersions = new Map<string, number>();
  private readonly writer: BatchWriter;
  private readonly log: Logger;
  private readonly events: EventBus;
  private readonly now: () => number;

  constructor(options: TrackingOptions) {
    this.db = options.db;
    this.log = options.log.child('tracking');
    this.events = options.events;
    this.now = options.now ?? Date.now;
    this.experiments = new ExperimentStore(this.db, this.now, options.artifactRoot ?? 'mlflow-artifacts:');
    this.runs = new RunStore(this.db, this.now, this.experiments);
    this.writer = new BatchWriter(this.db, this.now, this.runs);
    this.models = new LoggedModelStore(this.db, this.now);
    this.artifacts = options.artifactsDir ? new ArtifactStore({ root: options.artifactsDir, log: this.log, maxUploadBytes: options.maxArtifactBytes }) : null;
  }

  createExperiment(name: string, artifactLocation: string | undefined, tags: readonly KeyValue[]): ExperimentRow {
    const row = this.experiments.create(name, artifactLocation, tags);
    this.log.info(`createExperiment(): created experimentId=${row.experiment_id} project=${row.project}`);
    this.emitExperiment(row.experiment_id);

    return row;
  }

  updateExperiment(experimentId: string, newName: string): void {
    this.experiments.rename(experimentId, newName);
    this.emitExperiment(experimentId);
  }

  setExperimentLifecycle(experimentId: string, stage: 'active' | 'deleted'): void {
    this.experiments.setLifecycle(experimentId, stage);
    this.log.info(`setExperimentLifecycle(): experimentId=${experimentId} stage=${stage}`);
    this.emitExperiment(experimentId);
  }

  setExperimentTag(experimentId: string, key: string, value: string): void {
    this.experiments.setTag(experimentId, key, value);
    this.emitExperiment(experimentId);
  }

  searchExperiments(search: ExperimentSearch): { rows: ExperimentRow[]; nextPageToken?: string } {
    return this.experiments.search(search);
  }

  createRun(input: CreateRunInput): LoadedRun {
    const run = this.runs.create(input);
    this.log.info(`createRun(): created runId=${run.row.run_id} experimentId=${run.row.experiment_id}`);
    this.emitRun(run.row);

    return run;
  }

  updateRun(runId: string, input: UpdateRunInput): RunRow {
    const row = this.runs.update(runId, input);
    this.log.info(`updateRun(): runId=${runId} status=${row.status}`);
    this.emitRun(row);

    return row;
  }

  setRunLifecycle(runId: string, stage: 'active' | 'deleted'): void {
    const row = this.runs.setLifecycle(runId, stage);
    this.log.info(`setRunLifecycle(): runId=${runId} stage=${stage}`);
    this.emitRun(row);
  }

  /** Writes metrics, params and tags of one request atomically, then emits at most two events. */
  logBatch(runId: string, batch: BatchInput): void {
    const result = this.writer.write(runId, batch);
    this.pointsLogged += batch.metrics.length;
    this.log.trace(`logBatch(): runId=${runId} metrics=${batch.metrics.length} params=${batch.params.length} tags=${batch.tags.length}`);

    if (result.metricKeys.length > 0) this.metricVersions.set(runId, this.metricVersion(runId) + 1);
    if (result.metricKeys.length > 0) this.events.emit({ type: 'metrics:didLog', runId, keys: result.metricKeys });
    if (result.dataChanged) this.emitRun(this.runs.getRow(runId));
  }

  /** Count of log requests that wrote metric points to this run since construction; caches compare it. */
  metricVersion(runId: string): number {
    return this.metricVersions.get(runId) ?? 0;
  }

  deleteTag(runId: string, key: string): void {
    this.emitRun(this.runs.deleteTag(runId, key));
  }

  /** Searches runs with MLflow's filter, order_by and paging rules; unknown experiment ids match nothing. */
  searchRuns(search: RunSearch): RunPage {
    validateMaxResults(search.maxResults, limits.maxSearchResults);
    const offset = decodePageToken(search.pageToken);
    const clauses = parseFilter(search.filter);
    validateRunClauses(clauses);
    const terms = search.orderBy.map(parseOrderBy);
    terms.forEach(validateRunOrderTerm);

    // Filter and sort with only the keys they name, then load everything for the page alone.
    const experimentIds = search.experimentIds.filter((id) => /^\d{1,15}$/.test(id)).map(Number);
    const rows = this.runs.loadRunRows(experimentIds, search.viewType);
    const runs = this.runs.attachData(rows, referencedKeys(clauses, terms)).filter((run) => matchesRun(clauses, run));
    sortRuns(runs, terms);

    const end = offset + search.maxResults;
    const page = this.runs.attachData(runs.slice(offset, end).map((run) => run.row));

    return end < runs.length ? { runs: page, nextPageToken: encodePageToken(end), total: runs.length } : { runs: page, total: runs.length };
  }

  /**
   * Returns one page of a metric's history ordered by step and timestamp.
   * Without `maxResults` the whole history comes back in one page, as older
   * MLflow servers do; pages are never larger than 25,000 points.
   */
  metricHistory(runId: string, key: string, maxResults: number | undefined, pageToken: string | undefined): { points: MetricPoint[]; nextPageToken?: string } {
    const row = this.runs.getRow(runId);
    const offset = decodePageToken(pageToken);
    if (maxResults === undefined && offset === 0) return { points: this.runs.metricHistory(row.run_key, key, 0, undefined) };

    validateMaxResults(maxResults ?? limits.maxHistoryPageSize, Number.MAX_SAFE_INTEGER);
    const pageSize = Math.min(maxResults ?? limits.maxHistoryPageSize, limits.maxHistoryPageSize);
    const points = this.runs.metricHistory(row.run_key, key, offset, pageSize + 1);
    if (points.length <= pageSize) return { points };

    return { points: points.slice(0, pageSize), nextPageToken: encodePageToken(offset + pageSize) };
  }

  /** Lists experiments with run counts for the hub's `experiments:list`. */
  listExperiments(project: string | undefined, includeDeleted: boolean): ExperimentCounts[] {
    return listExperimentCounts(this.db, project, includeDeleted);
  }

  /** Counts per project slug; projects without experiments are absent. */
  countByProject(): Map<string, ProjectCounts> {
    return countByProject(this.db);
  }

  /** Returns `countByProject()` under the name of the project registry's `ProjectTracking` interface. */
  summarizeProjects(): Map<string, ProjectCounts> {
    return this.countByProject();
  }

  countActiveRuns(): number {
    return countActiveRuns(this.db);
  }

  renameProject(oldName: string, newName: string): void {
    const moved = renameProject(this.db, oldName, newName, this.now());
    this.log.info(`renameProject(): moved experiments=${moved} from project=${oldName} to project=${newName}`);
    if (moved > 0) this.events.emit({ type: 'experiments:didChange', experimentId: '' });
  }

  /**
   * Creates an MLflow 3.x LoggedModel in an active experiment. A given
   * `sourceRunId` must name an existing run of any experiment.
   */
  createLoggedModel(input: { experimentId: string; name: string | undefined; modelType: string; sourceRunId: string; params: readonly KeyValue[]; tags: readonly KeyValue[] }): LoggedModelRow {
    const experiment = this.experiments.getActive(input.experimentId);
    if (input.sourceRunId) this.runs.getRow(input.sourceRunId);

    const row = this.models.create({ ...input, experimentId: experiment.experiment_id, experimentArtifactLocation: experiment.artifact_location });
    this.log.info(`createLoggedModel(): created modelId=${row.model_id} experimentId=${row.experiment_id} runId=${row.source_run_id || '-'}`);

    return row;
  }

  /** Sets a logged model's final status once its files are uploaded (LOGGED_MODEL_READY) or the upload failed. */
  finalizeLoggedModel(modelId: string, status: 'LOGGED_MODEL_READY' | 'LOGGED_MODEL_UPLOAD_FAILED'): LoggedModelRow {
    const row = this.models.setStatus(modelId, status);
    this.log.info(`finalizeLoggedModel(): modelId=${modelId} status=${status}`);

    return row;
  }

  deleteLoggedModel(modelId: string): void {
    this.models.delete(modelId);
    this.log.info(`deleteLoggedModel(): deleted modelId=${modelId}`);
  }

  /** Deletes a project's experiments, runs, logged models, metric points and artifact files for good. */
  purgeProject(name: string): void {
    const purged = listProjectRuns(this.db, name);
    const models = listProjectModels(this.db, name);
    const deleted = purgeProject(this.db, name);
    this.artifacts?.removePurged(purged.runs, purged.experimentIds, models);
    this.log.info(`purgeProject(): deleted runs=${deleted} of project=${name}`);
    this.events.emit({ type: 'experiments:didChange', experimentId: '' });
  }

  private emitExperiment(experimentId: string | number): void {
    this.events.emit({ type: 'experiments:didChange', experimentId: String(experimentId) });
  }

  private emitRun(row: RunRow): void {
    this.events.emit({ type: 'runs:didChange', runId: row.run_id, experimentId: String(row.experiment_id), status: row.status });
  }
}
