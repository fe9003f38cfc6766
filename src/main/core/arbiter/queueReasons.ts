import { formatAmount, resourceNames, type ResourceName, type Resources } from './resources';
import type { ThermalLevel } from './thermalPolicy';

/** Wait reason of a queued request, in the manner of Slurm's pending-job REASON codes. */
export type WaitKind = 'resources' | 'priority' | 'thermal' | 'cap';

export interface BlockingLease {
  leaseId: string;
  project: string;
  pid: number;
}

export interface QueueReason {
  kind: WaitKind;
  /** Resources the request waits for; empty when it waits for the thermal level. */
  resources: ResourceName[];
  /** Leases that hold those resources, or the requests ahead that reserve them. */
  holders: BlockingLease[];
  message: string;
}

/** A lease that holds resources, in the form the planner reads. */
export interface HolderView extends BlockingLease {
  resources: Resources;
  /** Milliseconds since the epoch at which the holder expects to finish; null when unknown. */
  expectedEndAt: number | null;
}

export function describeShortage(request: Resources, free: Resources, short: ResourceName[], holders: readonly HolderView[]): QueueReason {
  const blocking = holders.filter((holder) => short.some((name) => holder.resources[name] > 0));
  const needs = short.map((name) => `${formatAmount(name, request[name])} (${formatAmount(name, Math.max(0, free[name]))} free)`).join(', ');
  const heldBy = blocking.map((holder) => `${holder.project} (lease ${holder.leaseId}, pid ${holder.pid}: ${short.map((name) => formatAmount(name, holder.resources[name])).join(', ')})`);
  const suffix = heldBy.length > 0 ? `; held by ${heldBy.join(', ')}` : '; held by leases granted in this round';

  return { kind: 'resources', resources: short, holders: blocking.map(toBlockingLease), message: `waiting for ${needs}${suffix}` };
}

export function describePriorityWait(blockers: readonly { lease: BlockingLease; rankName: string; resources: ResourceName[] }[]): QueueReason {
  const resources = [...new Set(blockers.flatMap((blocker) => blocker.resources))];
  const ahead = blockers.map((blocker) => `${blocker.rankName}-priority lease ${blocker.lease.leaseId} of ${blocker.lease.project}`).join(', ');

  return {
    kind: 'priority',
    resources,
    holders: blockers.map((blocker) => blocker.lease),
    message: `waiting behind ${ahead}, which need${blockers.length === 1 ? 's' : ''} ${resources.join(', ')} first`,
  };
}

export function describeThermalWait(level: ThermalLevel, highOnly: boolean): QueueReason {
  const who = highOnly ? 'only high-priority requests are granted' : 'low-priority requests wait';

  return { kind: 'thermal', resources: [], holders: [], message: `thermal pressure is ${level}: ${who} until it falls` };
}

export function describeCapWait(project: string, request: Resources, held: Resources, cap: Resources, over: ResourceName[]): QueueReason {
  const parts = over.map((name) => `needs ${formatAmount(name, request[name])}, holds ${formatAmount(name, held[name])} of a cap of ${formatAmount(name, cap[name])}`);

  return { kind: 'cap', resources: over, holders: [], message: `project ${project} is at its mlops.yaml resource cap: ${parts.join('; ')}` };
}

/**
 * Milliseconds until enough of the blocking holders expect to end
 * for `short` to fit, or null when one of them gave no end time. An estimate:
 * it ignores requests ahead in the queue.
 */
export function estimateWaitMs(request: Resources, free: Resources, short: ResourceName[], holders: readonly HolderView[], now: number): number | null {
  const blocking = holders.filter((holder) => short.some((name) => holder.resources[name] > 0));
  if (blocking.some((holder) => holder.expectedEndAt === null)) return null;

  const byEnd = [...blocking].sort((a, b) => (a.expectedEndAt ?? 0) - (b.expectedEndAt ?? 0));
  const freed = { ...free };
  for (const holder of byEnd) {
    for (const name of resourceNames) freed[name] += holder.resources[name];
    if (short.every((name) => request[name] <= freed[name] + 1e-9)) return Math.max(0, (holder.expectedEndAt ?? now) - now);
  }

  return null;
}

function toBlockingLease(holder: BlockingLease): BlockingLease {
  return { leaseId: holder.leaseId, project: holder.project, pid: holder.pid };
}
