import { type Tracking } from './tracking';
import { invalid, limits } from './validation';

/** Run tag that lists the models logged to a run, as a JSON array of MLmodel dicts (MLflow 2.x). */
export const loggedModelsTag = 'mlflow.log-model.history';

/**
 * Appends a model to the run's `mlflow.log-model.history` tag, as MLflow's SQL
 * store does for `POST runs/log-model` (`sqlalchemy_store.py` `record_logged_model`).
 * The model files themselves arrive as artifacts. Rejects a deleted run, JSON
 * that is not an object, and a history longer than the 8000-character tag limit,
 * because truncating it would leave invalid JSON.
 */
export function recordLoggedModel(tracking: Tracking, runId: string, modelJson: string): void {
  const model = parseModel(modelJson);
  const run = tracking.runs.getActiveRow(runId);
  const previous = tracking.runs.load(run.run_id).tags.get(loggedModelsTag);

  const history = previous === undefined ? [] : parseHistory(previous);
  const value = JSON.stringify([...history, model]);
  if (value.length > limits.maxTagValueLength) {
    throw invalid(`Logged model history of run ${runId} would have ${value.length} characters, over the tag limit of ${limits.maxTagValueLength}. Log fewer models to this run.`);
  }

  tracking.logBatch(runId, { metrics: [], params: [], tags: [{ key: loggedModelsTag, value }] });
}

function parseModel(modelJson: string): Record<string, unknown> {
  let model: unknown;
  try {
    model = JSON.parse(modelJson);
  } catch {
    throw invalid(`Malformed model info: model_json '${modelJson.slice(0, 100)}' is not valid JSON.`);
  }
  if (typeof model !== 'object' || model === null || Array.isArray(model)) throw invalid('Malformed model info: model_json must be a JSON object (the MLmodel file as JSON).');

  return model as Record<string, unknown>;
}

/** Starts a new history when the tag was overwritten with other text. */
function parseHistory(value: string): unknown[] {
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed : [];
  } catch {
    return [];
  }
}
