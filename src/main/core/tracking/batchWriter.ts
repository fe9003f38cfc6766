import { type Statement } from 'better-sqlite3';

import { type Db } from '../storage/database';
import { runNameTag, type RunStore } from './runStore';
import { type KeyValue, type MetricPoint } from './types';
import { invalid, limits, truncateValue, validateKey } from './validation';

export interface BatchInput {
  metrics: readonly MetricPoint[];
  params: readonly KeyValue[];
  tags: readonly KeyValue[];
}

export interface BatchResult {
  /** Distinct metric keys written, in first-seen order. */
  metricKeys: string[];
  /** True when a param or tag was written, so the run's summary changed. */
  dataChanged: boolean;
}

/**
 * Writes log-batch requests: every check runs first, then one transaction
 * writes all rows with prepared statements, so a rejected batch stores nothing
 * and an accepted one costs one commit. Exact duplicate metric rows are
 * dropped by the primary key, because clients retry POSTs after timeouts.
 */
export class BatchWriter {
  private readonly insertMetric: Statement;
  private readonly insertMetricChunk: Statement;
  private readonly upsertLatest: Statement;
  private readonly selectParam: Statement;
  private readonly insertParam: Statement;
  private readonly upsertTag: Statement;
  private readonly touchRun: Statement;

  constructor(
    private readonly db: Db,
    private readonly now: () => number,
    private readonly runs: RunStore,
  ) {
    const insertMetrics = 'INSERT OR IGNORE INTO metrics (run_key, key, step, timestamp, value, is_nan) VALUES ';
    this.insertMetric = db.prepare(`${insertMetrics}(?, ?, ?, ?, ?, ?)`);
    this.insertMetricChunk = db.prepare(insertMetrics + new Array<string>(metricChunkRows).fill('(?, ?, ?, ?, ?, ?)').join(', '));
    // Keeps the max by (step, timestamp, value), the order MLflow's SQL store uses for "latest".
    this.upsertLatest = db.prepare(
      `INSERT INTO latest_metrics (run_key, key, step, timestamp, value, is_nan) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (run_key, key) DO UPDATE SET step = excluded.step, timestamp = excluded.timestamp, value = excluded.value, is_nan = excluded.is_nan
       WHERE (excluded.step, excluded.timestamp, excluded.value) > (latest_metrics.step, latest_metrics.timestamp, latest_metrics.value)`,
    );
    this.selectParam = db.prepare('SELECT value FROM params WHERE run_key = ? AND key = ?').pluck();
    this.insertParam = db.prepare('INSERT OR IGNORE INTO params (run_key, key, value) VALUES (?, ?, ?)');
    this.upsertTag = db.prepare('INSERT INTO tags (run_key, key, value) VALUES (?, ?, ?) ON CONFLICT (run_key, key) DO UPDATE SET value = excluded.value');
    this.touchRun = db.prepare('UPDATE runs SET last_update_time = ?, run_name = coalesce(?, run_name) WHERE run_key = ?');
  }

  write(runId: string, batch: BatchInput): BatchResult {
    validateBatchSize(batch);
    const latest = validateMetrics(batch.metrics);
    const params = validateParams(batch.params);
    const tags = validateTags(batch.tags);

    return this.db.transaction(() => {
      const run = this.runs.getActiveRow(runId);
      const newParams = this.checkParams(run.run_key, runId, params);

      this.insertMetrics(run.run_key, batch.metrics);
      for (const point of latest.values()) {
        const isNan = Number.isNaN(point.value);
        this.upsertLatest.run(run.run_key, point.key, point.step, point.timestamp, isNan ? 0 : point.value, isNan ? 1 : 0);
      }
      for (const param of newParams) this.insertParam.run(run.run_key, param.key, param.value);
      for (const [key, value] of tags) this.upsertTag.run(run.run_key, key, value);
      this.touchRun.run(this.now(), tags.get(runNameTag) ?? null, run.run_key);

      return { metricKeys: [...latest.keys()], dataChanged: newParams.length > 0 || tags.size > 0 };
    })();
  }

  /** Inserts points 100 rows per statement, which halves the time of one row per statement; the rest one by one. */
  private insertMetrics(runKey: number, points: readonly MetricPoint[]): void {
    const chunkValues = new Array<number | string>(metricChunkRows * 6);
    let index = 0;
    for (; index + metricChunkRows <= points.length; index += metricChunkRows) {
      for (let row = 0; row < metricChunkRows; row++) fillMetricRow(chunkValues, row * 6, runKey, points[index + row]!);
      this.insertMetricChunk.run(chunkValues);
    }

    const rowValues = new Array<number | string>(6);
    for (; index < points.length; index++) {
      fillMetricRow(rowValues, 0, runKey, points[index]!);
      this.insertMetric.run(rowValues);
    }
  }

  /** Params are write-once: the same value again is a no-op, a different value is rejected. */
  private checkParams(runKey: number, runId: string, params: readonly KeyValue[]): KeyValue[] {
    const fresh: KeyValue[] = [];
    for (const param of params) {
      const existing = this.selectParam.get(runKey, param.key) as string | undefined;
      if (existing === undefined) {
        fresh.push(param);
      } else if (existing !== param.value) {
        throw invalid(
          `Changing param values is not allowed. Param with key='${param.key}' was already logged with value='${existing}' for run ID='${runId}'. Attempted logging new value '${param.value}'. Log the new value under another key or in a new run.`,
        );
      }
    }

    return fresh;
  }
}

/** Rows per multi-row INSERT: 600 bound values, under SQLite's 999-variable limit of older builds. */
const metricChunkRows = 100;

/** Writes one metric row's six values at `offset`; NaN is stored as value 0 with is_nan 1, as MLflow does. */
function fillMetricRow(values: (number | string)[], offset: number, runKey: number, point: MetricPoint): void {
  const isNan = Number.isNaN(point.value);
  values[offset] = runKey;
  values[offset + 1] = point.key;
  values[offset + 2] = point.step;
  values[offset + 3] = point.timestamp;
  values[offset + 4] = isNan ? 0 : point.value;
  values[offset + 5] = isNan ? 1 : 0;
}

function validateBatchSize(batch: BatchInput): void {
  const counts: [string, number, number][] = [
    ['metrics', batch.metrics.length, limits.maxBatchMetrics],
    ['params', batch.params.length, limits.maxBatchParams],
    ['tags', batch.tags.length, limits.maxBatchTags],
  ];
  for (const [name, count, max] of counts) {
    if (count > max) throw invalid(`A batch logging request can contain at most ${max} ${name}. Got ${count} ${name}. Split the batch into smaller requests.`);
  }

  const total = batch.metrics.length + batch.params.length + batch.tags.length;
  if (total > limits.maxBatchEntities) {
    throw invalid(`A batch logging request can contain at most ${limits.maxBatchEntities} total metrics, params and tags. Got ${total}. Split the batch into smaller requests.`);
  }
}

/** Checks each metric and returns the newest point per key within the batch. */
function validateMetrics(metrics: readonly MetricPoint[]): Map<string, MetricPoint> {
  const latest = new Map<string, MetricPoint>();
  for (const point of metrics) {
    const current = latest.get(point.key);
    if (current === undefined) validateKey('metric', point.key);
    if (!Number.isSafeInteger(point.timestamp) || point.timestamp < 0) {
      throw invalid(`Invalid timestamp ${point.timestamp} for metric '${point.key}': use non-negative integer milliseconds since the Unix epoch.`);
    }
    if (!Number.isSafeInteger(point.step)) throw invalid(`Invalid step ${point.step} for metric '${point.key}': use an integer.`);
    if (current === undefined || isNewer(point, current)) latest.set(point.key, point);
  }

  return latest;
}

function isNewer(point: MetricPoint, current: MetricPoint): boolean {
  if (point.step !== current.step) return point.step > current.step;
  if (point.timestamp !== current.timestamp) return point.timestamp > current.timestamp;

  return point.value > current.value;
}

function validateParams(params: readonly KeyValue[]): KeyValue[] {
  const seen = new Set<string>();

  return params.map((param) => {
    validateKey('param', param.key);
    if (seen.has(param.key)) {
      throw invalid(`Duplicate parameter keys have been submitted: ['${param.key}']. Please ensure the request contains only one param value per param key.`);
    }
    seen.add(param.key);

    return { key: param.key, value: truncateValue(param.value, limits.maxParamValueLength) };
  });
}

/** Checks tags; for a key sent twice the last value wins, as in MLflow. */
function validateTags(tags: readonly KeyValue[]): Map<string, string> {
  const result = new Map<string, string>();
  for (const tag of tags) {
    validateKey('tag', tag.key);
    result.set(tag.key, truncateValue(tag.value, limits.maxTagValueLength));
  }

  return result;
}
