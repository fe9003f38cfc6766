import { useMemo } from 'react';

import { AxisToggle } from '../components/AxisToggle';
import { EmptyState } from '../components/EmptyState';
import { ErrorNotice } from '../components/ErrorNotice';
import { KeyValueTable } from '../components/KeyValueTable';
import { StatusBadge } from '../components/StatusBadge';
import { seriesColors, toChartPoints } from '../charts/chartData';
import { MetricChart } from '../charts/MetricChart';
import { useMetricHistories } from '../charts/useMetricHistories';
import { formatDateTime, formatDuration } from '../format';
import { useHub } from '../hooks';
import { selectOpenRun } from '../store/selectors';
import { historyKey } from '../store/types';
import { RunArtifacts } from './RunArtifacts';

/** Shows one run: a chart per metric, its params, its tags and its artifacts. */
export function RunDetailView() {
  const runId = useHub((state) => state.openRunId);
  const run = useHub(selectOpenRun);
  const error = useHub((state) => (state.openRunId ? state.runDetailErrors[state.openRunId] : undefined));
  const histories = useHub((state) => state.histories);
  const xAxis = useHub((state) => state.chartXAxis);
  const loadRunDetail = useHub((state) => state.loadRunDetail);
  const setView = useHub((state) => state.setView);
  const runIds = useMemo(() => (runId ? [runId] : []), [runId]);
  const metricKeys = useMemo(() => [...(run?.metricKeys ?? [])].sort(), [run?.metricKeys]);

  useMetricHistories(runIds, metricKeys);

  if (!runId) return <EmptyState title="No run selected.">Open a run from the Runs table.</EmptyState>;

  return (
    <section className="view" data-testid="run-detail-view">
      <div className="view-header">
        <button type="button" className="link" onClick={() => setView('runs')}>
          ← Runs
        </button>
        <h1 data-testid="run-title">{run?.runName || runId}</h1>
        {run ? <StatusBadge status={run.status} /> : null}
        <span className="spacer" />
        <AxisToggle />
      </div>
      {error ? <ErrorNotice error={error} onRetry={() => loadRunDetail(runId)} /> : null}
      {run ? (
        <>
          <p className="muted">
            Run <code>{run.runId}</code> · project {run.project} · started {formatDateTime(run.startTime)} · duration{' '}
            {formatDuration(run.endTime != null && run.startTime != null ? run.endTime - run.startTime : null)}
          </p>
          <h2>Metrics</h2>
          {metricKeys.length === 0 ? <p className="muted">This run has logged no metrics yet.</p> : null}
          <div className="chart-grid">
            {metricKeys.map((key) => {
              const history = histories[historyKey(runId, key)];
              const points = history ? toChartPoints(history.points, xAxis) : [];
              const note = history?.downsampled ? `${history.points.length} of ${history.totalPoints} points` : undefined;

              return <MetricChart key={key} metricKey={key} xAxis={xAxis} note={note} series={[{ id: runId, label: run.runName || runId, color: seriesColors[0] ?? '#2563eb', points }]} />;
            })}
          </div>
          <div className="two-columns">
            <div>
              <h2>Params</h2>
              <KeyValueTable entries={run.params} empty="No params logged." testId="run-params" />
            </div>
            <div>
              <h2>Tags</h2>
              <KeyValueTable entries={run.tags} empty="No tags set." testId="run-tags" />
            </div>
          </div>
          <RunArtifacts runId={runId} />
        </>
      ) : null}
    </section>
  );
}
