import { addResources, dominantShareOf, emptyResources, fitsWithin, subtractResources, type Resources } from './resources';

/**
 * Weighted Dominant Resource Fairness (Ghodsi et al., "Dominant Resource
 * Fairness: Fair Allocation of Multiple Resource Types", NSDI 2011). A
 * project's dominant share is the largest of its shares of each resource,
 * divided by its weight; DRF serves the project with the smallest one first.
 */
export function weightedDominantShare(usage: Resources, capacity: Resources, weight: number): number {
  return dominantShareOf(usage, capacity) / weight;
}

export interface ProjectShare {
  project: string;
  weight: number;
  /** Unweighted dominant share between 0 and 1. */
  dominantShare: number;
  weightedShare: number;
}

/** Dominant shares of every project that holds resources, smallest weighted share first. */
export function computeProjectShares(holdings: ReadonlyMap<string, Resources>, capacity: Resources, weightOf: (project: string) => number): ProjectShare[] {
  const shares = [...holdings].map(([project, usage]) => {
    const weight = weightOf(project);
    const dominantShare = dominantShareOf(usage, capacity);

    return { project, weight, dominantShare, weightedShare: dominantShare / weight };
  });

  return shares.sort((a, b) => a.weightedShare - b.weightedShare || a.project.localeCompare(b.project));
}

/** One project's repeated demand for the progressive-filling allocation. */
export interface TaskDemand {
  project: string;
  weight: number;
  /** Resources of one task. */
  task: Resources;
  /** Tasks the project wants at most; unbounded when absent. */
  maxTasks?: number;
}

export interface DrfAllocation {
  tasks: Map<string, number>;
  usage: Map<string, Resources>;
}

/**
 * Progressive filling: repeatedly give one task to the project with the lowest
 * weighted dominant share whose next task still fits, until none fits. Ties go
 * to the project listed first.
 */
export function allocateByDrf(demands: readonly TaskDemand[], capacity: Resources): DrfAllocation {
  const tasks = new Map(demands.map((demand) => [demand.project, 0]));
  const usage = new Map(demands.map((demand) => [demand.project, emptyResources()]));
  let free = capacity;

  for (;;) {
    const next = pickNextDemand(demands, tasks, usage, free, capacity);
    if (!next) break;

    tasks.set(next.project, (tasks.get(next.project) ?? 0) + 1);
    usage.set(next.project, addResources(usage.get(next.project) ?? emptyResources(), next.task));
    free = subtractResources(free, next.task);
  }

  return { tasks, usage };
}

function pickNextDemand(
  demands: readonly TaskDemand[],
  tasks: ReadonlyMap<string, number>,
  usage: ReadonlyMap<string, Resources>,
  free: Resources,
  capacity: Resources,
): TaskDemand | null {
  let best: TaskDemand | null = null;
  let bestShare = Infinity;
  for (const demand of demands) {
    const taken = tasks.get(demand.project) ?? 0;
    if (demand.maxTasks !== undefined && taken >= demand.maxTasks) continue;
    if (!fitsWithin(demand.task, free)) continue;

    const share = weightedDominantShare(usage.get(demand.project) ?? emptyResources(), capacity, demand.weight);
    if (share < bestShare) {
      best = demand;
      bestShare = share;
    }
  }

  return best;
}
