import { type ExperimentRow, type KeyValue, type LoadedRun, type MetricPoint, type RunRow, type WireDouble, type WireExperiment, type WireMetric, type WireRun, type WireRunInfo } from './types';

/** Writes a double the protobuf-JSON way: non-finite values become "NaN", "Infinity" or "-Infinity". */
export function encodeDouble(value: number): WireDouble {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return 'Infinity';
  if (value === -Infinity) return '-Infinity';

  return value;
}

/** Reads a double sent as a JSON number or a protobuf-JSON string; returns undefined for anything else. */
export function decodeDouble(raw: unknown): number | undefined {
  if (typeof raw === 'number') return raw;
  if (typeof raw !== 'string') return undefined;

  if (raw === 'NaN') return NaN;
  if (raw === 'Infinity' || raw === 'inf') return Infinity;
  if (raw === '-Infinity' || raw === '-inf') return -Infinity;

  const trimmed = raw.trim();
  if (trimmed === '' || !/^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/.test(trimmed)) return undefined;

  return Number(trimmed);
}

export function toKeyValues(map: Map<string, string>): KeyValue[] {
  return [...map].map(([key, value]) => ({ key, value }));
}

export function toWireMetric(point: MetricPoint): WireMetric {
  return { key: point.key, value: encodeDouble(point.value), timestamp: point.timestamp, step: point.step };
}

export function toWireExperiment(row: ExperimentRow, tags: Map<string, string>): WireExperiment {
  const experiment: WireExperiment = {
    experiment_id: String(row.experiment_id),
    name: row.name,
    artifact_location: row.artifact_location,
    lifecycle_stage: row.lifecycle_stage,
    last_update_time: row.last_update_time,
    creation_time: row.creation_time,
  };
  if (tags.size > 0) experiment.tags = toKeyValues(tags);

  return experiment;
}

export function toWireRunInfo(row: RunRow): WireRunInfo {
  const info: WireRunInfo = {
    run_id: row.run_id,
    run_uuid: row.run_id,
    run_name: row.run_name,
    experiment_id: String(row.experiment_id),
    user_id: row.user_id,
    status: row.status,
    start_time: row.start_time,
    artifact_uri: row.artifact_uri,
    lifecycle_stage: row.lifecycle_stage,
  };
  if (row.end_time !== null) info.end_time = row.end_time;

  return info;
}

/** Builds MLflow's Run message; empty repeated fields are left out, as MLflow's serializer does. */
export function toWireRun(run: LoadedRun): WireRun {
  const data: WireRun['data'] = {};
  if (run.metrics.size > 0) data.metrics = [...run.metrics.values()].map(toWireMetric);
  if (run.params.size > 0) data.params = toKeyValues(run.params);
  if (run.tags.size > 0) data.tags = toKeyValues(run.tags);

  return { info: toWireRunInfo(run.row), data, inputs: {} };
}
