import { z } from 'zod';

import { defineMethod } from '../contract';

/** A metric value: a number, or "NaN", "Infinity", "-Infinity" for the values JSON cannot carry. */
export type MetricValue = number | 'NaN' | 'Infinity' | '-Infinity';

export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';

export interface ExperimentSummary {
  experimentId: string;
  name: string;
  /** Project slug; `default` for experiment "0" and experiments created without the `mlops_hub.project` tag. */
  project: string;
  lifecycleStage: 'active' | 'deleted';
  /** Milliseconds since the Unix epoch. */
  creationTime: number;
  lastUpdateTime: number;
  /** Runs that are not deleted. */
  runCount: number;
  activeRuns: number;
  /** Latest write to one of its runs (create, log, update), in ms since the Unix epoch; null without runs. */
  lastActivity: number | null;
}

export interface RunSummary {
  runId: string;
  runName: string;
  experimentId: string;
  project: string;
  status: RunStatus;
  /** Milliseconds since the Unix epoch. */
  startTime: number;
  /** Milliseconds since the Unix epoch; null while the run has not ended. */
  endTime: number | null;
  params: Record<string, string>;
  /** Latest value per metric key: the point with the highest (step, timestamp, value). */
  latestMetrics: Record<string, MetricValue>;
  tags: Record<string, string>;
}

export interface RunDetail extends RunSummary {
  metricKeys: string[];
  lifecycleStage: 'active' | 'deleted';
  artifactUri: string;
}

export interface RunPage {
  runs: RunSummary[];
  /** Token for the next page; null on the last page. */
  nextPageToken: string | null;
  /** Runs that match the filter, over all pages. */
  total: number;
}

export interface MetricHistoryPoint {
  step: number;
  /** Milliseconds since the Unix epoch. */
  timestamp: number;
  value: MetricValue;
}

export interface MetricHistory {
  key: string;
  points: MetricHistoryPoint[];
  /** Points stored for this metric before downsampling. */
  totalPoints: number;
  /** True when `points` is a shape-preserving subset (LTTB) of the stored points. */
  downsampled: boolean;
}

const runIdSchema = z.string().regex(/^[a-zA-Z0-9][\w-]{0,255}$/, 'must be an MLflow run id (letters, digits, _ and -)');

export const trackingMethods = {
  'experiments:list': defineMethod<ExperimentSummary[]>()(
    'List experiments with their run counts, optionally of one project and with deleted ones.',
    z.object({ project: z.string().min(1).max(100).optional(), includeDeleted: z.boolean().default(false) }).strict(),
  ),
  'runs:list': defineMethod<RunPage>()(
    'Search runs with MLflow filter syntax, for example "metrics.acc > 0.9 AND params.lr = \'0.1\'".',
    z
      .object({
        experimentIds: z.array(z.string().max(20)).max(1000).optional(),
        project: z.string().min(1).max(100).optional(),
        filter: z.string().max(10_000).optional(),
        orderBy: z.array(z.string().max(500)).max(20).default([]),
        maxResults: z.number().int().min(1).max(50_000).default(1000),
        pageToken: z.string().max(1000).optional(),
      })
      .strict(),
  ),
  'runs:get': defineMethod<RunDetail>()('Return one run with its params, tags, latest metrics and metric keys.', z.object({ runId: runIdSchema }).strict()),
  'metrics:history': defineMethod<MetricHistory>()(
    'Return the history of one metric, downsampled with LTTB to at most maxPoints points.',
    z.object({ runId: runIdSchema, key: z.string().min(1).max(250), maxPoints: z.number().int().min(3).max(100_000).default(2000) }).strict(),
  ),
} as const;

/** One entry of a run's artifact listing; `path` is relative to the run's artifact root. */
export interface ArtifactFile {
  path: string;
  isDir: boolean;
  /** Bytes; absent for folders. */
  fileSize?: number;
}

export interface ArtifactListing {
  /** The run's `artifact_uri`, e.g. `mlflow-artifacts:/1/<run_id>/artifacts`. */
  rootUri: string;
  files: ArtifactFile[];
}

/** Artifact methods of the embedded store; file bytes travel over HTTP (`/api/2.0/mlflow-artifacts/artifacts/<path>`) only. */
export const artifactMethods = {
  'artifacts:list': defineMethod<ArtifactListing>()(
    "List a run's artifacts directly below `path` (relative to the run's artifact root; the root when absent).",
    z.object({ runId: runIdSchema, path: z.string().max(1000).optional() }).strict(),
  ),
} as const;
