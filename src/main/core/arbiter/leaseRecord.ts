import type { LeaseResources, LeaseState, LeaseView } from '../../../common/methods/leases';
import type { QueuePlacement } from './leaseQueue';
import type { Priority } from './priorities';
import { bytesPerGb, type Resources } from './resources';

/** Mutable state of one lease inside the arbiter. */
export interface LeaseRecord {
  leaseId: string;
  project: string;
  pid: number;
  /** Start-time token of the pid at request time, to notice a reused pid; null where unavailable. */
  pidStartTime: string | null;
  label: string;
  priority: Priority;
  preemptible: boolean;
  resources: Resources;
  state: LeaseState;
  pauseRequested: boolean;
  pauseReason: string | null;
  queue: QueuePlacement | null;
  requestedAt: number;
  /** Arrival order among all leases of this arbiter. */
  sequence: number;
  /** When the current wait began: the request, or the last pause. */
  waitingSince: number;
  grantedAt: number | null;
  endedAt: number | null;
  endReason: string | null;
  ttlMs: number;
  expiresAt: number;
  maxWaitMs: number | null;
  expectedDurationMs: number | null;
  memoryUsedBytes: number | null;
  overMemory: boolean;
  version: number;
}

export const activeStates: ReadonlySet<LeaseState> = new Set(['queued', 'granted', 'paused']);

export function isActive(lease: LeaseRecord): boolean {
  return activeStates.has(lease.state);
}

export function isHolding(lease: LeaseRecord): boolean {
  return lease.state === 'granted' || lease.state === 'paused';
}

export function toResources(requested: LeaseResources): Resources {
  return { memoryGb: requested.memoryGb, gpuShare: requested.gpuShare, neuralEngine: requested.neuralEngine ? 1 : 0, cpuCores: requested.cpuCores };
}

export function toLeaseResources(resources: Resources): LeaseResources {
  return { memoryGb: resources.memoryGb, gpuShare: resources.gpuShare, neuralEngine: resources.neuralEngine > 0, cpuCores: resources.cpuCores };
}

export function toLeaseView(lease: LeaseRecord): LeaseView {
  const queue = lease.queue;

  return {
    leaseId: lease.leaseId,
    project: lease.project,
    pid: lease.pid,
    label: lease.label,
    priority: lease.priority,
    preemptible: lease.preemptible,
    resources: toLeaseResources(lease.resources),
    state: lease.state,
    pauseRequested: lease.pauseRequested,
    pauseReason: lease.pauseReason,
    queue:
      queue === null
        ? null
        : {
            position: queue.position,
            reasonKind: queue.reason.kind,
            reasonResources: queue.reason.resources,
            blockingLeaseIds: queue.reason.holders.map((holder) => holder.leaseId),
            message: queue.reason.message,
            estimateMs: queue.estimateMs,
          },
    requestedAt: lease.requestedAt,
    grantedAt: lease.grantedAt,
    endedAt: lease.endedAt,
    endReason: lease.endReason,
    expiresAt: lease.expiresAt,
    memoryUsedBytes: lease.memoryUsedBytes,
    memoryLimitBytes: Math.floor(lease.resources.memoryGb * bytesPerGb),
    version: lease.version,
  };
}

/** True when two placements would read the same to a waiting client. */
export function samePlacement(a: QueuePlacement | null, b: QueuePlacement | null): boolean {
  if (a === null || b === null) return a === b;

  // Estimates shift with the clock; only a change of 10 s or more counts.
  const estimateBucket = (placement: QueuePlacement): number | null => (placement.estimateMs === null ? null : Math.round(placement.estimateMs / 10_000));

  return a.position === b.position && a.reason.message === b.reason.message && estimateBucket(a) === estimateBucket(b);
}
