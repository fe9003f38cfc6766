import os from 'node:os';

import { bytesPerGb, type Resources } from './resources';

/**
 * Default memory budget for leases, in GB: the share of RAM that macOS lets
 * the GPU wire by default, about two thirds of RAM up to 36 GB and three
 * quarters above. Metal reports this ceiling as `recommendedMaxWorkingSetSize`.
 * Reported values: 10.67 GB of 16 GB on an M4 (exo-explore/exo PR #1672),
 * 11.84 GB of 16 GB on an M3 (AlexsJones/llmfit PR #754), and 107.52 GiB of
 * 128 GiB on an M5 Max (antirez/ds4 PR #893). So the default can sit a little
 * below the real ceiling. `sudo sysctl iogpu.wired_limit_mb=<MB>` raises that
 * ceiling, and MLOPS_HUB_LEASE_MEMORY_GB then sets the budget to match.
 */
export function defaultMemoryBudgetGb(totalMemoryBytes: number): number {
  const totalGb = totalMemoryBytes / bytesPerGb;
  const fraction = totalGb <= 36 ? 2 / 3 : 3 / 4;

  return Math.round(totalGb * fraction * 10) / 10;
}

export interface CapacityOptions {
  /** Memory budget in GB; the default follows the GPU wired limit (see `defaultMemoryBudgetGb`). */
  memoryGb?: number;
  /** CPU cores to lease; all cores the OS reports by default. */
  cpuCores?: number;
  totalMemoryBytes?: number;
}

/** Machine capacity for leases: memory budget, one GPU, one Neural Engine and the CPU cores. */
export function resolveCapacity(options: CapacityOptions = {}, env: NodeJS.ProcessEnv = process.env): Resources {
  const fromEnv = Number(env['MLOPS_HUB_LEASE_MEMORY_GB']);
  const envMemoryGb = env['MLOPS_HUB_LEASE_MEMORY_GB'] !== undefined && Number.isFinite(fromEnv) && fromEnv > 0 ? fromEnv : undefined;
  const memoryGb = options.memoryGb ?? envMemoryGb ?? defaultMemoryBudgetGb(options.totalMemoryBytes ?? os.totalmem());

  return { memoryGb, gpuShare: 1, neuralEngine: 1, cpuCores: options.cpuCores ?? os.availableParallelism() };
}
