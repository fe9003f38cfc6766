import type { StateCreator } from 'zustand/vanilla';

import type { ArtifactListing, ExperimentSummary, MetricHistory, ProjectSummary, RunDetail, RunSummary } from '../api';
import type { ShownError } from '../messages';
import type { HubTransport } from '../transport/hubTransport';
import type { HardwareSlice, LeasesSlice, ServicesSlice } from './operationsTypes';

/** Load state of a list: not requested yet, loading, loaded, or failed (with a sentence for the user). */
export type LoadStatus = 'idle' | 'loading' | 'ready' | 'error';

export interface ProjectsSlice {
  projects: ProjectSummary[];
  projectsStatus: LoadStatus;
  projectsError: ShownError | null;
  loadProjects(): Promise<void>;
  /** Registers a project folder; resolves to an error sentence, or null on success. */
  addProject(path: string, name?: string): Promise<string | null>;
}

export interface ExperimentsSlice {
  experiments: ExperimentSummary[];
  experimentsStatus: LoadStatus;
  experimentsError: ShownError | null;
  /** Project slug the experiments list is filtered to; null for all projects. */
  experimentsProject: string | null;
  loadExperiments(): Promise<void>;
  setExperimentsProject(project: string | null): void;
}

/** Scope of the runs table: one project, some experiments, or everything. */
export interface RunsScope {
  project?: string;
  experimentIds?: string[];
  /** Label shown above the table, for example the experiment's name. */
  label?: string;
}

/** Column key: `attributes.<name>`, `params.<key>` or `metrics.<key>`. */
export interface RunsSort {
  column: string;
  descending: boolean;
}

export interface RunsSlice {
  runs: RunSummary[];
  runsTotal: number;
  runsStatus: LoadStatus;
  runsError: ShownError | null;
  /** Whether the same load can succeed later (network, 5xx, busy hub), so the view offers "Try again". */
  runsErrorRetryable: boolean;
  runsScope: RunsScope;
  /** MLflow search filter, for example `metrics.val_accuracy > 0.9`. */
  runsFilter: string;
  runsSort: RunsSort;
  /** Loads the table; a load of the same scope and filter already in flight is shared, not sent again. */
  loadRuns(): Promise<void>;
  /** Loads the table after a hub event, unless this scope and filter last failed with an error that a retry cannot fix. */
  reloadRuns(): Promise<void>;
  setRunsScope(scope: RunsScope): void;
  setRunsFilter(filter: string): void;
  setRunsSort(sort: RunsSort): void;
  /** Reloads one run and puts it in place in the table; reloads the table when the run is new. */
  refreshRun(runId: string): Promise<void>;
}

export interface RunDataSlice {
  runDetails: Record<string, RunDetail>;
  runDetailErrors: Record<string, ShownError>;
  /** Metric histories keyed by `historyKey(runId, key)`. */
  histories: Record<string, MetricHistory>;
  loadRunDetail(runId: string): Promise<void>;
  loadHistory(runId: string, key: string): Promise<void>;
}

export interface ArtifactsSlice {
  /** Listings keyed by `artifactKey(runId, path)`. */
  artifactListings: Record<string, ArtifactListing>;
  /** A sentence for the user per `artifactKey(runId, folder)` whose listing, or a download from it, failed. */
  artifactErrors: Record<string, ShownError>;
  /** True when the transport can download files (HTTP); the Electron window lists them only. */
  canDownloadArtifacts: boolean;
  loadArtifacts(runId: string, path: string): Promise<void>;
  /** Resolves with the file's bytes, or null after storing the failure in `artifactErrors`. */
  downloadArtifact(runId: string, path: string): Promise<Blob | null>;
}

export interface SelectionSlice {
  /** Runs ticked for comparison, in the order they were ticked. */
  compareRunIds: string[];
  /** Run whose detail view is open. */
  openRunId: string | null;
  toggleCompare(runId: string): void;
  clearCompare(): void;
  openRun(runId: string): void;
}

/** Views of the left navigation; other domains add theirs to `navItems`. */
export type ViewId = string;

export interface SettingsSlice {
  view: ViewId;
  /** X axis of metric charts: training step, or seconds since the first point. */
  chartXAxis: 'step' | 'time';
  /** True once the hub rejected the login token. */
  unauthenticated: boolean;
  setView(view: ViewId): void;
  setChartXAxis(axis: 'step' | 'time'): void;
  setUnauthenticated(): void;
}

export type HubState = ProjectsSlice & ExperimentsSlice & RunsSlice & RunDataSlice & ArtifactsSlice & SelectionSlice & SettingsSlice & ServicesSlice & HardwareSlice & LeasesSlice;

/** A slice creator that also gets the transport it loads data through. */
export type SliceCreator<T> = (transport: HubTransport) => StateCreator<HubState, [], [], T>;

export function historyKey(runId: string, key: string): string {
  return `${runId}\u0000${key}`;
}

export function artifactKey(runId: string, path: string): string {
  return `${runId}\u0000${path}`;
}
