import { planLeases, type PlanHolder, type PlanInput, type PlanRequest } from './leaseQueue';
import { isHolding, samePlacement, type LeaseRecord } from './leaseRecord';
import { choosePauses } from './preemption';
import { heldWhilePaused, subtractResources, type Resources } from './resources';
import type { ThermalLevel, ThermalRules } from './thermalPolicy';

/** A change that the arbiter reports as a `leases:didChange` event. */
export interface LeaseChange {
  lease: LeaseRecord;
  /** A lease state, or `pause-requested`, `resumed` or `queue-changed`. */
  change: string;
}

export interface ScheduleContext {
  now: number;
  capacity: Resources;
  weightOf(project: string): number;
  capOf(project: string): Resources;
  agingMs: number;
  thermalLevel: ThermalLevel;
  thermalRules: ThermalRules;
  /** When a holder is expected to finish, in milliseconds since the epoch; null when unknown. */
  expectedEndOf(lease: LeaseRecord): number | null;
}

/**
 * Runs one scheduling round over the active leases and applies it to the
 * records: grants, queue placements, pause requests and resumes. Returns the
 * changes in order; the caller bumps versions and emits events.
 */
export function runSchedule(leases: readonly LeaseRecord[], context: ScheduleContext): LeaseChange[] {
  const input = buildPlanInput(leases, context);
  const plan = planLeases(input);
  const pauses = choosePauses(input, plan);
  const byId = new Map(leases.map((lease) => [lease.leaseId, lease]));
  const changes: LeaseChange[] = [];

  for (const leaseId of plan.grants) {
    const lease = byId.get(leaseId);
    if (!lease) continue;

    Object.assign(lease, { state: 'granted', grantedAt: context.now, queue: null });
    changes.push({ lease, change: 'granted' });
  }

  for (const [leaseId, placement] of plan.queued) {
    const lease = byId.get(leaseId);
    if (!lease || samePlacement(lease.queue, placement)) continue;

    lease.queue = placement;
    changes.push({ lease, change: 'queue-changed' });
  }

  changes.push(...applyPauses(leases, pauses, new Set(plan.resumes)));

  return changes;
}

function buildPlanInput(leases: readonly LeaseRecord[], context: ScheduleContext): PlanInput {
  const holders: PlanHolder[] = [];
  const queue: PlanRequest[] = [];
  for (const lease of leases) {
    if (lease.state === 'queued') {
      queue.push({ leaseId: lease.leaseId, project: lease.project, pid: lease.pid, priority: lease.priority, resources: lease.resources, waitingSince: lease.waitingSince, sequence: lease.sequence });
    }
    if (!isHolding(lease)) continue;

    // A lease that paused on request gives back its compute; it competes for it again to resume.
    const pausedOnRequest = lease.state === 'paused' && lease.pauseRequested;
    holders.push({
      leaseId: lease.leaseId,
      project: lease.project,
      pid: lease.pid,
      priority: lease.priority,
      preemptible: lease.preemptible,
      paused: pausedOnRequest,
      grantedAt: lease.grantedAt ?? lease.requestedAt,
      expectedEndAt: context.expectedEndOf(lease),
      resources: lease.resources,
    });
    if (pausedOnRequest) {
      const compute = subtractResources(lease.resources, heldWhilePaused(lease.resources));
      queue.push({ leaseId: lease.leaseId, project: lease.project, pid: lease.pid, priority: lease.priority, resources: compute, waitingSince: lease.waitingSince, sequence: lease.sequence });
    }
  }

  return { ...context, holders, queue };
}

function applyPauses(leases: readonly LeaseRecord[], pauses: ReadonlyMap<string, { message: string }>, resumes: ReadonlySet<string>): LeaseChange[] {
  const changes: LeaseChange[] = [];
  for (const lease of leases) {
    if (!isHolding(lease)) continue;

    const pause = pauses.get(lease.leaseId);
    if (pause && !lease.pauseRequested) {
      Object.assign(lease, { pauseRequested: true, pauseReason: pause.message });
      changes.push({ lease, change: 'pause-requested' });
      continue;
    }

    // A pause not yet carried out is withdrawn once no rule requires it. A carried-out one waits for room to resume.
    const withdraw = lease.state === 'granted' && lease.pauseRequested && !pause;
    const resume = lease.state === 'paused' && lease.pauseRequested && !pause && resumes.has(lease.leaseId);
    if (withdraw || resume) {
      Object.assign(lease, { pauseRequested: false, pauseReason: null });
      changes.push({ lease, change: 'resumed' });
    }
  }

  return changes;
}
