/** Rows and wire objects of the MLflow-compatible store; field names follow MLflow's JSON. */

export type LifecycleStage = 'active' | 'deleted';

export const runStatuses = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'] as const;
export type RunStatus = (typeof runStatuses)[number];

export const viewTypes = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const;
export type ViewType = (typeof viewTypes)[number];

export interface KeyValue {
  key: string;
  value: string;
}

/** A metric value on the wire: a number, or "NaN", "Infinity", "-Infinity" as protobuf JSON writes them. */
export type WireDouble = number | 'NaN' | 'Infinity' | '-Infinity';

export interface MetricPoint {
  key: string;
  value: number;
  /** Milliseconds since the Unix epoch. */
  timestamp: number;
  step: number;
}

export interface ExperimentRow {
  experiment_id: number;
  name: string;
  project: string;
  artifact_location: string;
  lifecycle_stage: LifecycleStage;
  creation_time: number;
  last_update_time: number;
}

export interface RunRow {
  run_key: number;
  run_id: string;
  experiment_id: number;
  run_name: string;
  user_id: string;
  status: RunStatus;
  start_time: number;
  end_time: number | null;
  lifecycle_stage: LifecycleStage;
  artifact_uri: string;
  last_update_time: number;
}

/** A run with everything a search filter or a Run message needs. */
export interface LoadedRun {
  row: RunRow;
  params: Map<string, string>;
  tags: Map<string, string>;
  /** Latest value per key: max by (step, timestamp, value), as MLflow's SQL store picks it. */
  metrics: Map<string, MetricPoint>;
}

export interface WireExperiment {
  experiment_id: string;
  name: string;
  artifact_location: string;
  lifecycle_stage: LifecycleStage;
  last_update_time: number;
  creation_time: number;
  tags?: KeyValue[];
}

export interface WireRunInfo {
  run_id: string;
  run_uuid: string;
  run_name: string;
  experiment_id: string;
  user_id: string;
  status: RunStatus;
  start_time: number;
  end_time?: number;
  artifact_uri: string;
  lifecycle_stage: LifecycleStage;
}

export interface WireMetric {
  key: string;
  value: WireDouble;
  timestamp: number;
  step: number;
}

export interface WireRun {
  info: WireRunInfo;
  data: { metrics?: WireMetric[]; params?: KeyValue[]; tags?: KeyValue[] };
  inputs: Record<string, never>;
  /** MLflow 3.x logged models that the run output, absent when there are none. */
  outputs?: { model_outputs: { model_id: string; step: number }[] };
}
