import { randomBytes, randomUUID } from 'node:crypto';

import { type Db } from '../storage/database';
import { decodePageToken, encodePageToken, validateMaxResults } from './paging';
import { type KeyValue } from './types';
import { invalid, limits, notFound, validateKey } from './validation';

/** LoggedModel states, named as in MLflow 3.x's `LoggedModelStatus` enum. */
export const loggedModelStatuses = ['LOGGED_MODEL_STATUS_UNSPECIFIED', 'LOGGED_MODEL_PENDING', 'LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED'] as const;
export type LoggedModelStatus = (typeof loggedModelStatuses)[number];

export interface LoggedModelRow {
  model_id: string;
  experiment_id: number;
  name: string;
  model_type: string;
  source_run_id: string;
  status: LoggedModelStatus;
  artifact_uri: string;
  lifecycle_stage: string;
  creation_timestamp_ms: number;
  last_updated_timestamp_ms: number;
}

export interface NewLoggedModel {
  experimentId: number;
  /** Artifact location of the experiment. The model's files go to `<location>/models/<model_id>/artifacts`. */
  experimentArtifactLocation: string;
  name: string | undefined;
  modelType: string;
  sourceRunId: string;
  params: readonly KeyValue[];
  tags: readonly KeyValue[];
}

export interface LoggedModelSearch {
  experimentIds: readonly number[];
  /** Equality on name, status, source_run_id and model_type only, such as `name = 'model' AND status = 'LOGGED_MODEL_READY'`. */
  filter: string | undefined;
  maxResults: number;
  pageToken: string | undefined;
}

/** Largest `max_results` of `logged-models/search`. NOTE: this is the hub's own limit, and MLflow's server may use another. */
export const maxLoggedModelResults = 1000;

type FilterField = 'name' | 'status' | 'source_run_id' | 'model_type';

const modelIdPattern = /^m-[0-9a-f]{32}$/;
const filterTermPattern = /^\s*(name|status|source_run_id|model_type)\s*=\s*(?:'([^']*)'|"([^"]*)")\s*$/i;

/** MLflow 3.x LoggedModels in SQLite, with their tags, params and the run outputs that point at them. */
export class LoggedModelStore {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  /** Inserts a model in state LOGGED_MODEL_PENDING. A model without a name gets a random name `model-<8 hex digits>`. */
  create(model: NewLoggedModel): LoggedModelRow {
    checkKeyValues('param', model.params);
    checkKeyValues('tag', model.tags);
    const modelId = `m-${randomUUID().replace(/-/g, '')}`;
    const name = model.name || `model-${randomBytes(4).toString('hex')}`;
    const now = this.now();

    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO logged_models (model_id, experiment_id, name, model_type, source_run_id, status, artifact_uri, creation_timestamp_ms, last_updated_timestamp_ms)
           VALUES (?, ?, ?, ?, ?, 'LOGGED_MODEL_PENDING', ?, ?, ?)`,
        )
        .run(modelId, model.experimentId, name, model.modelType, model.sourceRunId, `${model.experimentArtifactLocation.replace(/\/+$/, '')}/models/${modelId}/artifacts`, now, now);
      this.upsert('logged_model_params', modelId, model.params);
      this.upsert('logged_model_tags', modelId, model.tags);
    })();

    return this.get(modelId);
  }

  /** Returns an active model, or throws RESOURCE_DOES_NOT_EXIST for an unknown or deleted id. */
  get(modelId: string): LoggedModelRow {
    const row = modelIdPattern.test(modelId) ? (this.db.prepare("SELECT * FROM logged_models WHERE model_id = ? AND lifecycle_stage = 'active'").get(modelId) as LoggedModelRow | undefined) : undefined;
    if (!row) throw notFound(`Logged model with id '${modelId.slice(0, 80)}' not found. Create it with POST logged-models or search with POST logged-models/search.`);

    return row;
  }

  setStatus(modelId: string, status: LoggedModelStatus): LoggedModelRow {
    this.get(modelId);
    this.db.prepare('UPDATE logged_models SET status = ?, last_updated_timestamp_ms = ? WHERE model_id = ?').run(status, this.now(), modelId);

    return this.get(modelId);
  }

  /** Marks a model deleted. Its row and files stay until its project is purged. */
  delete(modelId: string): void {
    this.get(modelId);
    this.db.prepare("UPDATE logged_models SET lifecycle_stage = 'deleted', last_updated_timestamp_ms = ? WHERE model_id = ?").run(this.now(), modelId);
  }

  setTags(modelId: string, tags: readonly KeyValue[]): void {
    checkKeyValues('tag', tags);
    this.get(modelId);
    this.db.transaction(() => this.upsert('logged_model_tags', modelId, tags))();
  }

  deleteTag(modelId: string, key: string): void {
    this.get(modelId);
    const deleted = this.db.prepare('DELETE FROM logged_model_tags WHERE model_id = ? AND key = ?').run(modelId, key).changes;
    if (deleted === 0) throw notFound(`No tag with key '${key.slice(0, 250)}' on logged model ${modelId}.`);
  }

  logParams(modelId: string, params: readonly KeyValue[]): void {
    checkKeyValues('param', params);
    this.get(modelId);
    this.db.transaction(() => this.upsert('logged_model_params', modelId, params))();
  }

  /** Records that a run output the models. Throws RESOURCE_DOES_NOT_EXIST, storing nothing, when a model does not exist. */
  recordOutputs(runId: string, outputs: readonly { modelId: string; step: number }[]): void {
    for (const output of outputs) this.get(output.modelId);

    const insert = this.db.prepare('INSERT INTO run_model_outputs (run_id, model_id, step) VALUES (?, ?, ?) ON CONFLICT (run_id, model_id) DO UPDATE SET step = excluded.step');
    this.db.transaction(() => {
      for (const output of outputs) insert.run(runId, output.modelId, output.step);
    })();
  }

  /** Model outputs of a run, ordered by model id. */
  outputsOf(runId: string): { modelId: string; step: number }[] {
    const rows = this.db.prepare('SELECT model_id, step FROM run_model_outputs WHERE run_id = ? ORDER BY model_id').all(runId) as { model_id: string; step: number }[];

    return rows.map((row) => ({ modelId: row.model_id, step: row.step }));
  }

  /** Returns active models of the experiments, newest first, one page at a time. */
  search(query: LoggedModelSearch): { rows: LoggedModelRow[]; nextPageToken: string | null } {
    validateMaxResults(query.maxResults, maxLoggedModelResults);
    if (query.experimentIds.length === 0) throw invalid("Missing value for required parameter 'experiment_ids'. Name at least one experiment.");
    const offset = decodePageToken(query.pageToken);
    const conditions = ["lifecycle_stage = 'active'", `experiment_id IN (${query.experimentIds.map(() => '?').join(', ')})`];
    const values: (string | number)[] = [...query.experimentIds];
    for (const term of parseModelFilter(query.filter)) {
      conditions.push(`${term.field} = ?`);
      values.push(term.value);
    }

    const rows = this.db
      .prepare(`SELECT * FROM logged_models WHERE ${conditions.join(' AND ')} ORDER BY creation_timestamp_ms DESC, model_id LIMIT ? OFFSET ?`)
      .all(...values, query.maxResults + 1, offset) as LoggedModelRow[];
    const hasMore = rows.length > query.maxResults;

    return { rows: rows.slice(0, query.maxResults), nextPageToken: hasMore ? encodePageToken(offset + query.maxResults) : null };
  }

  tags(modelId: string): KeyValue[] {
    return this.db.prepare('SELECT key, value FROM logged_model_tags WHERE model_id = ? ORDER BY key').all(modelId) as KeyValue[];
  }

  params(modelId: string): KeyValue[] {
    return this.db.prepare('SELECT key, value FROM logged_model_params WHERE model_id = ? ORDER BY key').all(modelId) as KeyValue[];
  }

  private upsert(table: 'logged_model_params' | 'logged_model_tags', modelId: string, entries: readonly KeyValue[]): void {
    const statement = this.db.prepare(`INSERT INTO ${table} (model_id, key, value) VALUES (?, ?, ?) ON CONFLICT (model_id, key) DO UPDATE SET value = excluded.value`);
    for (const entry of entries) statement.run(modelId, entry.key, entry.value);
  }
}

function checkKeyValues(kind: 'param' | 'tag', entries: readonly KeyValue[]): void {
  const maxLength = kind === 'param' ? limits.maxParamValueLength : limits.maxTagValueLength;
  for (const entry of entries) {
    validateKey(kind, entry.key);
    if (entry.value.length > maxLength) throw invalid(`Value of ${kind} '${entry.key}' has ${entry.value.length} characters, over the limit of ${maxLength}. Shorten it.`);
  }
}

/**
 * Parses the minimal filter this hub supports on logged models: `name`,
 * `status`, `source_run_id` and `model_type` compared with `=` to a quoted string, joined by AND. Anything else is rejected rather than ignored.
 */
function parseModelFilter(filter: string | undefined): { field: FilterField; value: string }[] {
  if (filter === undefined || filter.trim() === '') return [];

  return filter.split(/\s+AND\s+/i).map((term) => {
    const match = filterTermPattern.exec(term);
    if (!match) throw invalid(`Invalid logged model filter '${filter.slice(0, 200)}': use terms such as name = 'model', status = 'LOGGED_MODEL_READY' or source_run_id = '<run id>' joined by AND.`);

    return { field: match[1]!.toLowerCase() as FilterField, value: match[2] ?? match[3]! };
  });
}
