import type { MethodHandlers } from '../../../common/contract';
import { HubError } from '../../../common/errors';
import type { leasesMethods } from '../../../common/methods/leases';
import type { ProjectDetail } from '../../../common/methods/projects';
import type { MetricFamily } from '../api/metricsRegistry';
import { readConfigMtime } from '../projects/configRefresh';
import type { ProjectRegistry } from '../projects/projectRegistry';
import type { Arbiter } from './arbiter';
import type { ProjectLookup } from './projectPolicy';
import { resourceNames } from './resources';

/** Hub method handlers of the leases domain. */
export function createLeasesHandlers(arbiter: Arbiter): MethodHandlers<typeof leasesMethods> {
  return {
    'leases:request': (input, context) => arbiter.requestFromCaller(input, context),
    'leases:wait': (input) => arbiter.wait(input.leaseId, input.afterVersion, input.timeoutMs),
    'leases:heartbeat': (input) => arbiter.heartbeat(input.leaseId, input.pid),
    'leases:release': (input) => arbiter.release(input.leaseId, input.project, input.pid),
    'leases:reportPaused': (input) => arbiter.reportPaused(input.leaseId, input.paused, input.pid),
    'leases:list': () => arbiter.list(),
  };
}

/** Prometheus gauges of the arbiter: leases by state, queue length, capacity and use per resource, project shares. */
export function collectLeaseMetrics(arbiter: Arbiter): MetricFamily[] {
  const overview = arbiter.list();
  const byState = new Map<string, number>();
  for (const lease of overview.leases) byState.set(lease.state, (byState.get(lease.state) ?? 0) + 1);
  const holdings = arbiter.projectHoldings();

  return [
    { name: 'hub_leases', help: 'Leases by state, including recently ended ones.', type: 'gauge', samples: [...byState].map(([state, value]) => ({ labels: { state }, value })) },
    { name: 'hub_leases_queue_length', help: 'Lease requests waiting in the queue.', type: 'gauge', samples: [{ value: overview.queueLength }] },
    { name: 'hub_leases_capacity', help: 'Leasable capacity per resource (memory in GB, GPU share, Neural Engine, CPU cores).', type: 'gauge', samples: resourceNames.map((resource) => ({ labels: { resource }, value: arbiter.capacity[resource] })) },
    {
      name: 'hub_leases_held',
      help: 'Resources held by granted leases per project (memory in GB, GPU share, Neural Engine, CPU cores).',
      type: 'gauge',
      samples: [...holdings].flatMap(([project, held]) => resourceNames.map((resource) => ({ labels: { project, resource }, value: held[resource] }))),
    },
    { name: 'hub_leases_dominant_share', help: 'Dominant resource share per project, 0 to 1.', type: 'gauge', samples: overview.shares.map((share) => ({ labels: { project: share.project }, value: share.dominantShare })) },
  ];
}

/**
 * Project settings lookup backed by the project registry, which re-reads a changed mlops.yaml; null for a name it does not know.
 * `isCurrent` of the settings turns false once the file's modification time changes, so the arbiter's cache reloads them.
 */
export function createProjectLookup(projects: ProjectRegistry): ProjectLookup {
  return (project) => {
    const first = readProject(projects, project);
    if (first === null) return null;

    // The time is read between two reads of the registry, so an edit during the first read is not missed.
    const folder = first.path;
    const mtimeMs = folder === null ? null : readConfigMtime(folder);
    const detail = folder === null ? first : (readProject(projects, project) ?? first);

    return {
      priority: detail.priority,
      weight: detail.weight,
      resources: detail.config?.resources,
      isCurrent: () => folder === null || readConfigMtime(folder) === mtimeMs,
    };
  };
}

function readProject(projects: ProjectRegistry, project: string): ProjectDetail | null {
  try {
    return projects.get(project);
  } catch (error) {
    if (error instanceof HubError && error.code === 'RESOURCE_DOES_NOT_EXIST') return null;
    throw error;
  }
}
