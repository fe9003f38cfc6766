import type { PlanHolder, PlanInput, QueuePlan } from './leaseQueue';
import { rankOf } from './priorities';
import { addResources, computeResourceNames, emptyResources, fitsWithin, heldWhilePaused, subtractResources, type Resources } from './resources';

export interface PauseRequest {
  kind: 'thermal' | 'priority';
  message: string;
}

/**
 * Granted leases that should pause now: by the thermal rules, and preemptible
 * leases of a lower class whose GPU, Neural Engine or CPU would let a waiting
 * request of a higher rank run. Memory is never freed by a pause, so a request
 * short of memory preempts no lease.
 */
export function choosePauses(input: PlanInput, plan: QueuePlan): Map<string, PauseRequest> {
  const pauses = new Map<string, PauseRequest>();
  for (const holder of input.holders) {
    const thermal = thermalPauseMessage(input, holder);
    if (thermal !== null) pauses.set(holder.leaseId, { kind: 'thermal', message: thermal });
  }

  let free = freeAfterPlan(input, plan);
  const requests = new Map(input.queue.map((request) => [request.leaseId, request]));
  const waiting = [...plan.queued].filter(([, placement]) => placement.reason.kind === 'resources').sort((a, b) => a[1].position - b[1].position);
  for (const [leaseId, placement] of waiting) {
    const request = requests.get(leaseId);
    if (!request || !placement.reason.resources.every((name) => computeResourceNames.includes(name))) continue;

    // The class decides who may preempt: aging moves a request up the queue but never lets it pause a holder of a higher class.
    const victims = pickVictims(input.holders, pauses, rankOf(request.priority), request.resources, free);
    for (const victim of victims) {
      pauses.set(victim.leaseId, { kind: 'priority', message: `paused so that ${request.project}'s higher-priority lease ${request.leaseId} can use the GPU, Neural Engine or CPU` });
      free = addResources(free, subtractResources(victim.resources, heldWhilePaused(victim.resources)));
    }
    if (victims.length > 0) free = subtractResources(free, request.resources);
  }

  return pauses;
}

function thermalPauseMessage(input: PlanInput, holder: PlanHolder): string | null {
  const rules = input.thermalRules;
  if (rules.pauseAllButHigh && holder.priority !== 'high') return `thermal pressure is ${input.thermalLevel}: every lease but high-priority ones pauses`;
  if (rules.pauseLowPreemptible && holder.priority === 'low' && holder.preemptible) return `thermal pressure is ${input.thermalLevel}: low-priority preemptible leases pause`;

  return null;
}

/** Lowest class first, most recently granted first; returns [] unless the victims together make room. */
function pickVictims(holders: readonly PlanHolder[], chosen: ReadonlyMap<string, PauseRequest>, rank: number, need: Resources, free: Resources): PlanHolder[] {
  const eligible = holders
    .filter((holder) => !holder.paused && holder.preemptible && !chosen.has(holder.leaseId) && rankOf(holder.priority) < rank)
    .sort((a, b) => rankOf(a.priority) - rankOf(b.priority) || b.grantedAt - a.grantedAt);

  const victims: PlanHolder[] = [];
  let available = free;
  for (const holder of eligible) {
    if (fitsWithin(need, available)) break;
    if (!computeResourceNames.some((name) => holder.resources[name] > 0)) continue;

    victims.push(holder);
    available = addResources(available, subtractResources(holder.resources, heldWhilePaused(holder.resources)));
  }

  return fitsWithin(need, available) ? victims : [];
}

function freeAfterPlan(input: PlanInput, plan: QueuePlan): Resources {
  let used = emptyResources();
  for (const holder of input.holders) used = addResources(used, holder.paused ? heldWhilePaused(holder.resources) : holder.resources);

  const taken = new Set([...plan.grants, ...plan.resumes]);
  for (const request of input.queue) if (taken.has(request.leaseId)) used = addResources(used, request.resources);

  return subtractResources(input.capacity, used);
}
