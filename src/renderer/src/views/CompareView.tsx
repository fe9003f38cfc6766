import { useEffect, useMemo } from 'react';
import { useShallow } from 'zustand/react/shallow';

import type { RunDetail } from '../api';
import { AxisToggle } from '../components/AxisToggle';
import { EmptyState } from '../components/EmptyState';
import { seriesColors, toChartPoints, type ChartSeries } from '../charts/chartData';
import { MetricChart } from '../charts/MetricChart';
import { useMetricHistories } from '../charts/useMetricHistories';
import { useHub } from '../hooks';
import { historyKey } from '../store/types';
import { ParamDiffTable } from './ParamDiffTable';

/** Compares two or more runs: one chart per metric key with a line per run, and their param differences. */
export function CompareView() {
  const runIds = useHub((state) => state.compareRunIds);
  const runs = useHub(useShallow((state) => state.compareRunIds.map((id) => state.runDetails[id]).filter((run): run is RunDetail => run !== undefined)));
  const histories = useHub((state) => state.histories);
  const xAxis = useHub((state) => state.chartXAxis);
  const loadRunDetail = useHub((state) => state.loadRunDetail);
  const setView = useHub((state) => state.setView);
  const metricKeys = useMemo(() => [...new Set(runs.flatMap((run) => run.metricKeys))].sort(), [runs]);

  useEffect(() => {
    runIds.forEach((runId) => void loadRunDetail(runId));
  }, [runIds, loadRunDetail]);
  useMetricHistories(runIds, metricKeys);

  // The empty state keeps the page's frame (padding, heading, way back), as every other view does.
  if (runIds.length < 2) {
    return (
      <section className="view" data-testid="compare-view">
        <div className="view-header">
          <button type="button" className="link" onClick={() => setView('runs')}>
            ← Runs
          </button>
          <h1>Compare runs</h1>
        </div>
        <EmptyState title="Pick at least two runs to compare.">Tick the boxes next to runs in the Runs table, then press Compare.</EmptyState>
      </section>
    );
  }

  const seriesFor = (key: string): ChartSeries[] =>
    runs.map((run, index) => {
      const history = histories[historyKey(run.runId, key)];

      return {
        id: run.runId,
        label: run.runName || run.runId,
        color: seriesColors[index % seriesColors.length] ?? '#2563eb',
        points: history ? toChartPoints(history.points, xAxis) : [],
      };
    });

  return (
    <section className="view" data-testid="compare-view">
      <div className="view-header">
        <button type="button" className="link" onClick={() => setView('runs')}>
          ← Runs
        </button>
        <h1>Compare {runIds.length} runs</h1>
        <span className="spacer" />
        <AxisToggle />
      </div>
      <h2>Params</h2>
      <ParamDiffTable runs={runs} />
      <h2>Metrics</h2>
      <div className="chart-grid">
        {metricKeys.map((key) => (
          <MetricChart key={key} metricKey={key} xAxis={xAxis} series={seriesFor(key)} />
        ))}
      </div>
    </section>
  );
}
