import type { ExperimentSummary, RunSummary } from '../api';
import type { HubState, RunsSort } from './types';

/** Caches a selector's result until one of its inputs changes identity, so components re-render only on real changes. */
function memoize<A extends unknown[], R>(compute: (...inputs: A) => R): (...inputs: A) => R {
  let lastInputs: A | null = null;
  let lastResult: R;

  return (...inputs: A) => {
    if (lastInputs && inputs.every((input, index) => Object.is(input, lastInputs?.[index]))) return lastResult;

    lastInputs = inputs;
    lastResult = compute(...inputs);

    return lastResult;
  };
}

/** Value of a run in a sortable column; metrics compare as numbers, "NaN" and friends sort last. */
export function readRunColumn(run: RunSummary, column: string): string | number | null {
  const dot = column.indexOf('.');
  const kind = column.slice(0, dot);
  const key = column.slice(dot + 1);

  if (kind === 'params') return run.params[key] ?? null;
  if (kind === 'metrics') {
    const value = run.latestMetrics[key];
    return typeof value === 'number' ? value : null;
  }
  if (key === 'duration') return run.endTime != null && run.startTime != null ? run.endTime - run.startTime : null;
  if (key === 'start_time') return run.startTime ?? null;
  if (key === 'status') return run.status;

  return run.runName ?? run.runId;
}

function compareValues(left: string | number | null, right: string | number | null): number {
  if (left === right) return 0;
  if (left === null) return 1;
  if (right === null) return -1;
  if (typeof left === 'number' && typeof right === 'number') return left - right;

  return String(left).localeCompare(String(right), undefined, { numeric: true });
}

const sortRuns = memoize((runs: RunSummary[], sort: RunsSort): RunSummary[] => {
  const sign = sort.descending ? -1 : 1;
  const keyed = runs.map((run) => ({ run, value: readRunColumn(run, sort.column) }));
  keyed.sort((a, b) => {
    // Missing values stay last in both directions.
    if (a.value === null || b.value === null) return compareValues(a.value, b.value);

    return sign * compareValues(a.value, b.value);
  });

  return keyed.map((entry) => entry.run);
});

export const selectSortedRuns = (state: HubState): RunSummary[] => sortRuns(state.runs, state.runsSort);

/** Param and metric keys present in any loaded run, sorted, for the table's columns. */
export interface RunColumns {
  paramKeys: string[];
  metricKeys: string[];
}

const collectColumns = memoize((runs: RunSummary[]): RunColumns => {
  const paramKeys = new Set<string>();
  const metricKeys = new Set<string>();
  for (const run of runs) {
    for (const key in run.params) paramKeys.add(key);
    for (const key in run.latestMetrics) metricKeys.add(key);
  }

  return { paramKeys: [...paramKeys].sort(), metricKeys: [...metricKeys].sort() };
});

export const selectRunColumns = (state: HubState): RunColumns => collectColumns(state.runs);

const filterExperiments = memoize((experiments: ExperimentSummary[], project: string | null): ExperimentSummary[] =>
  project === null ? experiments : experiments.filter((experiment) => experiment.project === project),
);

export const selectVisibleExperiments = (state: HubState): ExperimentSummary[] => filterExperiments(state.experiments, state.experimentsProject);

export const selectOpenRun = (state: HubState) => (state.openRunId ? state.runDetails[state.openRunId] : undefined);
