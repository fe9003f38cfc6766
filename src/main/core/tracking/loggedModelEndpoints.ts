import { type LoggedModelRow, loggedModelStatuses } from './loggedModelStore';
import { type Endpoint, type HttpMethod } from './mlflowEndpoints';
import { type Fields, keyValueList, objectList, optionalInt64, optionalString, optionalStringList, requireRunId, requireString } from './mlflowRequest';
import { type Tracking } from './tracking';
import { type WireRun } from './types';
import { invalid } from './validation';

type Handler = (tracking: Tracking, fields: Fields, pathIds: string[]) => object;

interface Route {
  pattern: RegExp;
  handlers: Partial<Record<HttpMethod, Handler>>;
}

/** MLflow 3.x LoggedModel endpoints below `/api/2.0/mlflow/`, matched by pattern because their paths contain the model id. */
const routes: readonly Route[] = [
  { pattern: /^logged-models$/, handlers: { POST: createModel } },
  { pattern: /^logged-models\/search$/, handlers: { POST: searchModels, GET: searchModels } },
  {
    pattern: /^logged-models\/([^/]+)$/,
    handlers: {
      GET: (tracking, _fields, [modelId]) => ({ model: toWireLoggedModel(tracking, tracking.models.get(modelId!)) }),
      PATCH: finalizeModel,
      DELETE: (tracking, _fields, [modelId]) => {
        tracking.deleteLoggedModel(modelId!);
        return {};
      },
    },
  },
  {
    pattern: /^logged-models\/([^/]+)\/tags$/,
    handlers: {
      PATCH: (tracking, fields, [modelId]) => {
        tracking.models.setTags(modelId!, keyValueList(fields, 'tags'));
        return {};
      },
    },
  },
  {
    // The MLflow 3.x client puts the tag key into the path without URL-encoding it, so a key may contain '/'.
    pattern: /^logged-models\/([^/]+)\/tags\/(.+)$/,
    handlers: {
      DELETE: (tracking, _fields, [modelId, key]) => {
        tracking.models.deleteTag(modelId!, key!);
        return {};
      },
    },
  },
  {
    pattern: /^logged-models\/([^/]+)\/params$/,
    handlers: {
      POST: (tracking, fields, [modelId]) => {
        tracking.models.logParams(modelId!, keyValueList(fields, 'params'));
        return {};
      },
    },
  },
  { pattern: /^runs\/outputs$/, handlers: { POST: logOutputs } },
];

/**
 * Finds the LoggedModel endpoint for a path, or returns undefined for other paths.
 * `methods` lists every method the path serves, and `handle` runs the one for `method`.
 */
export function findLoggedModelEndpoint(path: string, method: string): Endpoint | undefined {
  for (const route of routes) {
    const match = route.pattern.exec(path);
    if (!match) continue;

    const methods = Object.keys(route.handlers) as HttpMethod[];
    const handler = route.handlers[method as HttpMethod] ?? route.handlers[methods[0]!]!;
    const pathIds = match.slice(1).map(decodePathSegment);

    return { methods, handle: (tracking, fields) => handler(tracking, fields, pathIds) };
  }

  return undefined;
}

function createModel(tracking: Tracking, fields: Fields): object {
  const row = tracking.createLoggedModel({
    experimentId: requireString(fields, 'experiment_id'),
    name: optionalString(fields, 'name'),
    modelType: optionalString(fields, 'model_type') ?? '',
    sourceRunId: optionalString(fields, 'source_run_id') ?? '',
    params: keyValueList(fields, 'params'),
    tags: keyValueList(fields, 'tags'),
  });

  return { model: toWireLoggedModel(tracking, row) };
}

function finalizeModel(tracking: Tracking, fields: Fields, [modelId]: string[]): object {
  const status = requireString(fields, 'status');
  if (status !== 'LOGGED_MODEL_READY' && status !== 'LOGGED_MODEL_UPLOAD_FAILED') {
    throw invalid(`Invalid value '${status.slice(0, 80)}' for parameter 'status': finalize a logged model with LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED.`);
  }

  return { model: toWireLoggedModel(tracking, tracking.finalizeLoggedModel(modelId!, status)) };
}

function searchModels(tracking: Tracking, fields: Fields): object {
  const experimentIds = optionalStringList(fields, 'experiment_ids').map((id) => tracking.experiments.get(id).experiment_id);
  const page = tracking.models.search({
    experimentIds,
    filter: optionalString(fields, 'filter'),
    maxResults: optionalInt64(fields, 'max_results') ?? 100,
    pageToken: optionalString(fields, 'page_token'),
  });
  const models = page.rows.map((row) => toWireLoggedModel(tracking, row));

  return { ...(models.length > 0 ? { models } : {}), ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}) };
}

/** `POST runs/outputs` (MLflow 3.x `LogOutputs`): `run_id` and `models: [{model_id, step}]`. */
function logOutputs(tracking: Tracking, fields: Fields): object {
  const runId = requireRunId(fields);
  const outputs = objectList(fields, 'models').map((item) => ({ modelId: requireString(item, 'model_id'), step: optionalInt64(item, 'step') ?? 0 }));

  tracking.runs.getActiveRow(runId);
  tracking.models.recordOutputs(runId, outputs);

  return {};
}

/** Adds the run's `outputs.model_outputs` (MLflow 3.x) to a wire run when it output any logged model. */
export function withModelOutputs(tracking: Tracking, run: WireRun): WireRun {
  const outputs = tracking.models.outputsOf(run.info.run_id);
  if (outputs.length === 0) return run;

  return { ...run, outputs: { model_outputs: outputs.map((output) => ({ model_id: output.modelId, step: output.step })) } };
}

/** Converts a row to MLflow's `LoggedModel` JSON, leaving out empty strings and lists as protobuf JSON does. */
export function toWireLoggedModel(tracking: Tracking, row: LoggedModelRow): object {
  const tags = tracking.models.tags(row.model_id);
  const params = tracking.models.params(row.model_id);
  const info = {
    model_id: row.model_id,
    experiment_id: String(row.experiment_id),
    name: row.name,
    artifact_uri: row.artifact_uri,
    creation_timestamp_ms: row.creation_timestamp_ms,
    last_updated_timestamp_ms: row.last_updated_timestamp_ms,
    status: loggedModelStatuses.includes(row.status) ? row.status : 'LOGGED_MODEL_STATUS_UNSPECIFIED',
    ...(row.model_type ? { model_type: row.model_type } : {}),
    ...(row.source_run_id ? { source_run_id: row.source_run_id } : {}),
    ...(tags.length > 0 ? { tags } : {}),
  };

  // NOTE: model metrics (`data.metrics`) are not stored yet, so the list is always left out.
  return { info, data: params.length > 0 ? { params } : {} };
}

function decodePathSegment(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    throw invalid(`Invalid URL path segment '${segment.slice(0, 80)}': it is not valid percent-encoding.`);
  }
}
