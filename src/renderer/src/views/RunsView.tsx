import { useEffect, useState, type FormEvent } from 'react';

import { EmptyState } from '../components/EmptyState';
import { ErrorNotice } from '../components/ErrorNotice';
import { TrackingSourceLabel } from '../components/TrackingSourceLabel';
import { useHub } from '../hooks';
import { RunsTable } from './RunsTable';

/** Lists the runs of the chosen project or experiment (or all runs), with an MLflow filter and compare selection. */
export function RunsView() {
  const scope = useHub((state) => state.runsScope);
  const filter = useHub((state) => state.runsFilter);
  const status = useHub((state) => state.runsStatus);
  const error = useHub((state) => state.runsError);
  const loaded = useHub((state) => state.runs.length);
  const total = useHub((state) => state.runsTotal);
  const compareCount = useHub((state) => state.compareRunIds.length);
  const loadRuns = useHub((state) => state.loadRuns);
  const setRunsScope = useHub((state) => state.setRunsScope);
  const setRunsFilter = useHub((state) => state.setRunsFilter);
  const setView = useHub((state) => state.setView);
  const clearCompare = useHub((state) => state.clearCompare);
  const [draft, setDraft] = useState(filter);

  useEffect(() => {
    if (status === 'idle') void loadRuns();
  }, [status, loadRuns]);

  const applyFilter = (event: FormEvent) => {
    event.preventDefault();
    setRunsFilter(draft);
  };

  return (
    <section className="view view-fill" data-testid="runs-view">
      <div className="view-header">
        <h1>{scope.label ?? 'All runs'}</h1>
        {scope.label ? (
          <button type="button" className="link" onClick={() => setRunsScope({})}>
            Show all runs
          </button>
        ) : null}
        <TrackingSourceLabel />
        <span className="muted" data-testid="runs-count">
          {loaded === total ? `${total} runs` : `${loaded} of ${total} runs loaded`}
        </span>
        <span className="spacer" />
        {compareCount > 0 ? (
          <button type="button" className="link" onClick={clearCompare}>
            Clear selection
          </button>
        ) : null}
        <button type="button" disabled={compareCount < 2} onClick={() => setView('compare')} data-testid="compare-button">
          Compare {compareCount > 0 ? `(${compareCount})` : ''}
        </button>
      </div>
      <form className="filter-bar" onSubmit={applyFilter}>
        <input
          value={draft}
          onChange={(event) => setDraft(event.target.value)}
          placeholder="Filter, as in MLflow: metrics.val_accuracy > 0.9 and params.alpha = '0.001'"
          aria-label="Run filter"
          data-testid="runs-filter"
        />
        <button type="submit">Apply</button>
      </form>
      {error ? <ErrorNotice error={error} onRetry={loadRuns} /> : null}
      {status === 'ready' && loaded === 0 && !error ? (
        <EmptyState title={filter ? 'No runs match this filter.' : 'No runs yet.'}>
          {filter ? (
            'Change or clear the filter above.'
          ) : (
            <>
              Start one from a training script: <code>with mlops_hub.start_run(): ...</code>, or point any MLflow client at the hub with <code>mlops_hub.tracking_uri()</code>.
            </>
          )}
        </EmptyState>
      ) : null}
      {loaded > 0 ? <RunsTable /> : null}
      {status === 'loading' && loaded === 0 ? <p className="muted">Loading runs…</p> : null}
    </section>
  );
}
