import type { LeaseOverview, LeaseResources, LeaseView } from '../../../../common/methods/leases';
import { seriesColors } from '../../charts/chartData';
import type { TimeRow, TimeSeries } from '../../charts/TimeSeriesChart';
import type { ShareSnapshot } from '../../store/operationsTypes';

/** Leases that hold resources now (granted or paused), grouped by project, projects sorted by name. */
export function groupHeldLeases(leases: readonly LeaseView[]): { project: string; leases: LeaseView[] }[] {
  const groups = new Map<string, LeaseView[]>();
  for (const lease of leases) {
    if (lease.state !== 'granted' && lease.state !== 'paused') continue;
    groups.set(lease.project, [...(groups.get(lease.project) ?? []), lease]);
  }

  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([project, held]) => ({ project, leases: held }));
}

/** Queued leases, next in line first. */
export function queuedLeases(leases: readonly LeaseView[]): LeaseView[] {
  return leases.filter((lease) => lease.state === 'queued').sort((a, b) => (a.queue?.position ?? Infinity) - (b.queue?.position ?? Infinity));
}

/** `8 GiB · GPU 50 % · Neural Engine · 4 cores`, leaving out what the lease does not ask for. */
export function describeResources(resources: LeaseResources): string {
  const parts = [
    resources.memoryGb > 0 ? `${formatAmount(resources.memoryGb)} GiB` : null,
    resources.gpuShare > 0 ? `GPU ${Math.round(resources.gpuShare * 100)} %` : null,
    resources.neuralEngine ? 'Neural Engine' : null,
    resources.cpuCores > 0 ? `${formatAmount(resources.cpuCores)} ${resources.cpuCores === 1 ? 'core' : 'cores'}` : null,
  ];

  return parts.filter((part) => part !== null).join(' · ') || 'nothing';
}

/** `used / capacity` of each resource of the machine's lease budget. */
export function describeUsage(overview: LeaseOverview): { label: string; value: string }[] {
  const { used, capacity } = overview;

  return [
    { label: 'Memory', value: `${formatAmount(used.memoryGb)} / ${formatAmount(capacity.memoryGb)} GiB` },
    { label: 'GPU', value: `${Math.round(used.gpuShare * 100)} / ${Math.round(capacity.gpuShare * 100)} %` },
    { label: 'Neural Engine', value: `${used.neuralEngine} / ${capacity.neuralEngine}` },
    { label: 'CPU cores', value: `${formatAmount(used.cpuCores)} / ${formatAmount(capacity.cpuCores)}` },
  ];
}

/** Rows and one series per project for the share-over-time chart; a project missing from a snapshot held 0. */
export function toShareChart(history: readonly ShareSnapshot[]): { rows: TimeRow[]; series: TimeSeries[] } {
  const projects = [...new Set(history.flatMap((snapshot) => Object.keys(snapshot.shares)))].sort();
  const rows = history.map((snapshot) => {
    const row: TimeRow = { t: snapshot.atMs };
    for (const project of projects) row[project] = snapshot.shares[project] ?? 0;

    return row;
  });
  const series = projects.map((project, index) => ({ key: project, label: project, color: seriesColors[index % seriesColors.length] ?? '#2563eb' }));

  return { rows, series };
}

/** Estimated wait: `about 3 min`; `unknown` when a holder gave no expected duration. */
export function formatEstimate(estimateMs: number | null): string {
  if (estimateMs === null) return 'unknown';
  if (estimateMs < 60_000) return `about ${Math.max(1, Math.round(estimateMs / 1000))} s`;

  return `about ${Math.round(estimateMs / 60_000)} min`;
}

function formatAmount(value: number): string {
  return Number.isInteger(value) ? String(value) : value.toFixed(1);
}
