import { listRunArtifacts, toWireFile } from './artifactRoutes';
import { withModelOutputs } from './loggedModelEndpoints';
import { recordLoggedModel } from './loggedModels';
import {
  type Fields,
  keyValueList,
  metricList,
  optionalEnum,
  optionalInt64,
  optionalString,
  optionalStringList,
  readMetric,
  requireRunId,
  requireString,
} from './mlflowRequest';
import { type Tracking } from './tracking';
import { runStatuses, viewTypes } from './types';
import { toWireExperiment, toWireMetric, toWireRun, toWireRunInfo } from './wire';

export type HttpMethod = 'GET' | 'POST' | 'PATCH' | 'DELETE';

export interface Endpoint {
  /** Methods MLflow serves the path on; read endpoints also take POST, as `experiments/search` does. */
  methods: readonly HttpMethod[];
  handle(tracking: Tracking, fields: Fields): object;
}

const read: readonly HttpMethod[] = ['GET', 'POST'];
const write: readonly HttpMethod[] = ['POST'];

function experimentReply(tracking: Tracking, experimentId: number): object {
  const row = tracking.experiments.get(String(experimentId));

  return { experiment: toWireExperiment(row, tracking.experiments.tags(row.experiment_id)) };
}

/** MLflow tracking endpoints by path below `/api/2.0/mlflow/`; each returns the reply body, `{}` when empty. */
export const mlflowEndpoints: Record<string, Endpoint> = {
  'experiments/create': {
    methods: write,
    handle: (tracking, fields) => {
      const row = tracking.createExperiment(requireString(fields, 'name'), optionalString(fields, 'artifact_location'), keyValueList(fields, 'tags'));
      return { experiment_id: String(row.experiment_id) };
    },
  },
  'experiments/get': {
    methods: read,
    handle: (tracking, fields) => experimentReply(tracking, tracking.experiments.get(requireString(fields, 'experiment_id')).experiment_id),
  },
  'experiments/get-by-name': {
    methods: read,
    handle: (tracking, fields) => experimentReply(tracking, tracking.experiments.getByName(requireString(fields, 'experiment_name')).experiment_id),
  },
  'experiments/search': {
    methods: read,
    handle: (tracking, fields) => {
      const page = tracking.searchExperiments({
        viewType: optionalEnum(fields, 'view_type', viewTypes) ?? 'ACTIVE_ONLY',
        maxResults: optionalInt64(fields, 'max_results') ?? 1000,
        pageToken: optionalString(fields, 'page_token'),
        filter: optionalString(fields, 'filter'),
        orderBy: optionalStringList(fields, 'order_by'),
      });
      const experiments = page.rows.map((row) => toWireExperiment(row, tracking.experiments.tags(row.experiment_id)));
      return { ...(experiments.length > 0 ? { experiments } : {}), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
    },
  },
  'experiments/update': {
    methods: write,
    handle: (tracking, fields) => {
      tracking.updateExperiment(requireString(fields, 'experiment_id'), requireString(fields, 'new_name'));
      return {};
    },
  },
  'experiments/delete': {
    methods: write,
    handle: (tracking, fields) => {
      tracking.setExperimentLifecycle(requireString(fields, 'experiment_id'), 'deleted');
      return {};
    },
  },
  'experiments/restore': {
    methods: write,
    handle: (tracking, fields) => {
      tracking.setExperimentLifecycle(requireString(fields, 'experiment_id'), 'active');
      return {};
    },
  },
  'experiments/set-experiment-tag': {
    methods: write,
    handle: (tracking, fields) => {
      tracking.setExperimentTag(requireString(fields, 'experiment_id'), requireString(fields, 'key'), optionalString(fields, 'value') ?? '');
      return {};
    },
  },
  'runs/create': {
    methods: write,
    handle: (tracking, fields) => {
      const run = tracking.createRun({
        experimentId: optionalString(fields, 'experiment_id') || '0',
        userId: optionalString(fields, 'user_id'),
        runName: optionalString(fields, 'run_name'),
        startTime: optionalInt64(fields, 'start_time'),
        tags: keyValueList(fields, 'tags'),
      });
      return { run: toWireRun(run) };
    },
  },
  'runs/update': {
    methods: write,
    handle: (tracking, fields) => {
      const row = tracking.updateRun(requireRunId(fields), {
        status: optionalEnum(fields, 'status', runStatuses),
        endTime: optionalInt64(fields, 'end_time'),
        runName: optionalString(fields, 'run_name') || undefined,
      });
      return { run_info: toWireRunInfo(row) };
    },
  },
  'runs/delete': {
    methods: write,
    handle: (tracking, fields) => {
      tracking.setRunLifecycle(requireRunId(fields), 'deleted');
      return {};
    },
  },
  'runs/restore': {
    methods: write,
    handle: (tracking, fields) => {
      tracking.setRunLifecycle(requireRunId(fields), 'active');
      return {};
    },
  },
  'runs/get': {
    methods: read,
    handle: (tracking, fields) => ({ run: withModelOutputs(tracking, toWireRun(tracking.runs.load(requireRunId(fields)))) }),
  },
  'runs/search': {
    methods: read,
    handle: (tracking, fields) => {
      const page = tracking.searchRuns({
        experimentIds: optionalStringList(fields, 'experiment_ids'),
        filter: optionalString(fields, 'filter'),
        viewType: optionalEnum(fields, 'run_view_type', viewTypes) ?? 'ACTIVE_ONLY',
        maxResults: optionalInt64(fields, 'max_results') ?? 1000,
        orderBy: optionalStringList(fields, 'order_by'),
        pageToken: optionalString(fields, 'page_token'),
      });
      return { ...(page.runs.length > 0 ? { runs: page.runs.map((run) => withModelOutputs(tracking, toWireRun(run))) } : {}), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
    },
  },
  'runs/log-metric': {
    methods: write,
    handle: (tracking, fields) => {
      tracking.logBatch(requireRunId(fields), { metrics: [readMetric(fields)], params: [], tags: [] });
      return {};
    },
  },
  'runs/log-parameter': {
    methods: write,
    handle: (tracking, fields) => {
      const param = { key: requireString(fields, 'key'), value: optionalString(fields, 'value') ?? '' };
      tracking.logBatch(requireRunId(fields), { metrics: [], params: [param], tags: [] });
      return {};
    },
  },
  'runs/set-tag': {
    methods: write,
    handle: (tracking, fields) => {
      const tag = { key: requireString(fields, 'key'), value: optionalString(fields, 'value') ?? '' };
      tracking.logBatch(requireRunId(fields), { metrics: [], params: [], tags: [tag] });
      return {};
    },
  },
  'runs/delete-tag': {
    methods: write,
    handle: (tracking, fields) => {
      tracking.deleteTag(requireRunId(fields), requireString(fields, 'key'));
      return {};
    },
  },
  'runs/log-batch': {
    methods: write,
    handle: (tracking, fields) => {
      tracking.logBatch(requireRunId(fields), { metrics: metricList(fields, 'metrics'), params: keyValueList(fields, 'params'), tags: keyValueList(fields, 'tags') });
      return {};
    },
  },
  'runs/log-model': {
    methods: write,
    handle: (tracking, fields) => {
      recordLoggedModel(tracking, requireRunId(fields), requireString(fields, 'model_json'));
      return {};
    },
  },
  'runs/log-inputs': {
    methods: write,
    // NOTE: dataset inputs are accepted so that autologging keeps working, but they are not stored yet.
    handle: (tracking, fields) => {
      tracking.runs.getActiveRow(requireRunId(fields));
      return {};
    },
  },
  'metrics/get-history': {
    methods: read,
    handle: (tracking, fields) => {
      const page = tracking.metricHistory(requireRunId(fields), requireString(fields, 'metric_key'), optionalInt64(fields, 'max_results'), optionalString(fields, 'page_token'));
      return { ...(page.points.length > 0 ? { metrics: page.points.map(toWireMetric) } : {}), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
    },
  },
  'artifacts/list': {
    methods: read,
    handle: (tracking, fields) => {
      const listing = listRunArtifacts(tracking, requireRunId(fields), optionalString(fields, 'path'));
      return { root_uri: listing.rootUri, ...(listing.files.length > 0 ? { files: listing.files.map((file) => toWireFile(file.path, file)) } : {}) };
    },
  },
};
