/**
 * The resource vector that leases request and the arbiter divides. Memory is in
 * GB of 2^30 bytes (the unit Apple uses for RAM sizes), the GPU is a time share
 * between 0 and 1, the Neural Engine is one exclusive token (0 or 1), and CPU
 * cores are counted as the OS reports them.
 */
export interface Resources {
  memoryGb: number;
  gpuShare: number;
  neuralEngine: number;
  cpuCores: number;
}

export type ResourceName = keyof Resources;

export const resourceNames: readonly ResourceName[] = ['memoryGb', 'gpuShare', 'neuralEngine', 'cpuCores'];

/** Bytes per GB as leases count them. */
export const bytesPerGb = 2 ** 30;

/** Resources that a paused lease gives back; memory stays resident in a stopped process. */
export const computeResourceNames: readonly ResourceName[] = ['gpuShare', 'neuralEngine', 'cpuCores'];

// Sums of fractional shares pick up rounding error (0.1 + 0.2); compare with a margin.
const epsilon = 1e-9;

export function emptyResources(): Resources {
  return { memoryGb: 0, gpuShare: 0, neuralEngine: 0, cpuCores: 0 };
}

export function addResources(a: Resources, b: Resources): Resources {
  return { memoryGb: a.memoryGb + b.memoryGb, gpuShare: a.gpuShare + b.gpuShare, neuralEngine: a.neuralEngine + b.neuralEngine, cpuCores: a.cpuCores + b.cpuCores };
}

export function subtractResources(a: Resources, b: Resources): Resources {
  return { memoryGb: a.memoryGb - b.memoryGb, gpuShare: a.gpuShare - b.gpuShare, neuralEngine: a.neuralEngine - b.neuralEngine, cpuCores: a.cpuCores - b.cpuCores };
}

/** Resource names on which `request` needs more than `available` offers. */
export function findShortfalls(request: Resources, available: Resources): ResourceName[] {
  return resourceNames.filter((name) => request[name] > available[name] + epsilon);
}

export function fitsWithin(request: Resources, available: Resources): boolean {
  return findShortfalls(request, available).length === 0;
}

/** Computes the largest of the usage's shares of capacity, each between 0 and 1 when it fits. */
export function dominantShareOf(usage: Resources, capacity: Resources): number {
  let share = 0;
  for (const name of resourceNames) {
    if (capacity[name] > 0) share = Math.max(share, usage[name] / capacity[name]);
  }

  return share;
}

/** `resources` with the parts a paused lease gives back set to zero. */
export function heldWhilePaused(resources: Resources): Resources {
  return { ...emptyResources(), memoryGb: resources.memoryGb };
}

/** Human units for messages: `12 GB`, `0.5 of the GPU`, `the Neural Engine`, `4 CPU cores`. */
export function formatAmount(name: ResourceName, amount: number): string {
  const rounded = Math.round(amount * 100) / 100;
  switch (name) {
    case 'memoryGb':
      return `${rounded} GB of memory`;
    case 'gpuShare':
      return `${rounded} of the GPU`;
    case 'neuralEngine':
      return amount > 0 ? 'the Neural Engine' : 'no Neural Engine';
    case 'cpuCores':
      return `${rounded} CPU cores`;
  }
}
