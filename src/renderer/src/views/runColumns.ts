import type { RunSummary } from '../api';
import { formatDateTime, formatDuration, formatMetric } from '../format';
import type { RunColumns } from '../store/selectors';

/** One column of the runs table; `key` is also the sort key (see `readRunColumn`). */
export interface RunColumn {
  key: string;
  label: string;
  widthPx: number;
  numeric: boolean;
  render(run: RunSummary): string;
}

const fixedColumns: RunColumn[] = [
  { key: 'attributes.status', label: 'Status', widthPx: 96, numeric: false, render: (run) => run.status },
  { key: 'attributes.run_name', label: 'Run', widthPx: 190, numeric: false, render: (run) => run.runName || run.runId },
  { key: 'attributes.start_time', label: 'Started', widthPx: 168, numeric: false, render: (run) => formatDateTime(run.startTime) },
  {
    key: 'attributes.duration',
    label: 'Duration',
    widthPx: 84,
    numeric: true,
    render: (run) => formatDuration(run.endTime != null && run.startTime != null ? run.endTime - run.startTime : null),
  },
];

/**
 * Metrics that the hub logs itself, with a readable label; they come first
 * among the metric columns. The hub's energy total is in joules, shown whole.
 * A run without one, because the machine has no power reading, shows a dash.
 */
const labelledMetrics: Record<string, { label: string; render: (run: RunSummary) => string }> = {
  'system/energy_joules': { label: 'Energy (J)', render: (run) => formatWholeNumber(run.latestMetrics['system/energy_joules']) },
};

/** Cell text of a metric that the hub could not measure for a run. */
export const unmeasuredText = '—';

function formatWholeNumber(value: number | string | undefined): string {
  if (value === undefined) return unmeasuredText;

  return typeof value === 'number' ? String(Math.round(value)) : formatMetric(value);
}

/** Width of the compare checkbox column, which has no sort key. */
export const selectColumnWidthPx = 36;

/** Builds the table's columns: status, name, start, duration, then every latest metric and every param. */
export function buildRunColumns({ paramKeys, metricKeys }: RunColumns): RunColumn[] {
  const params = paramKeys.map<RunColumn>((key) => ({
    key: `params.${key}`,
    label: key,
    widthPx: 110,
    numeric: false,
    render: (run) => run.params[key] ?? '',
  }));
  const orderedMetricKeys = [...metricKeys.filter((key) => key in labelledMetrics), ...metricKeys.filter((key) => !(key in labelledMetrics))];
  const metrics = orderedMetricKeys.map<RunColumn>((key) => ({
    key: `metrics.${key}`,
    label: labelledMetrics[key]?.label ?? key,
    widthPx: 116,
    numeric: true,
    render: labelledMetrics[key]?.render ?? ((run) => formatMetric(run.latestMetrics[key])),
  }));

  return [...fixedColumns, ...metrics, ...params];
}

/** CSS grid template shared by the header and every row, so the cells line up. */
export function gridTemplate(columns: RunColumn[]): string {
  return [selectColumnWidthPx, ...columns.map((column) => column.widthPx)].map((width) => `${width}px`).join(' ');
}
