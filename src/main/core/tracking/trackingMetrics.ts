import { type MetricFamily } from '../api/metricsRegistry';
import { type Tracking } from './tracking';

/** Collects the tracking store's Prometheus families: runs by status, experiments, and metric points logged. */
export function collectTrackingMetrics(tracking: Tracking): MetricFamily[] {
  const runs = tracking.db.prepare("SELECT status, COUNT(*) AS count FROM runs WHERE lifecycle_stage = 'active' GROUP BY status").all() as { status: string; count: number }[];
  const experiments = tracking.db.prepare("SELECT COUNT(*) FROM experiments WHERE lifecycle_stage = 'active'").pluck().get() as number;

  return [
    { name: 'hub_tracking_runs', help: 'Runs that are not deleted, by status.', type: 'gauge', samples: runs.map((row) => ({ labels: { status: row.status }, value: row.count })) },
    { name: 'hub_tracking_experiments', help: 'Experiments that are not deleted.', type: 'gauge', samples: [{ value: experiments }] },
    { name: 'hub_tracking_metric_points_logged_total', help: 'Metric points accepted since the hub started, duplicates included.', type: 'counter', samples: [{ value: tracking.pointsLogged }] },
  ];
}
