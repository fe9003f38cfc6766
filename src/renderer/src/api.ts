import type { MethodOutput } from '../../common/contract';
import type { Methods } from '../../common/methods';

/** Data shapes the dashboard reads, derived from the hub's method table. */
export type ProjectSummary = MethodOutput<Methods['projects:list']>[number];
export type ExperimentSummary = MethodOutput<Methods['experiments:list']>[number];
export type RunSummary = MethodOutput<Methods['runs:list']>['runs'][number];
export type RunDetail = MethodOutput<Methods['runs:get']>;
export type MetricHistory = MethodOutput<Methods['metrics:history']>;
export type MetricPoint = MetricHistory['points'][number];
export type ArtifactListing = MethodOutput<Methods['artifacts:list']>;
