import { weightedDominantShare } from './fairShare';
import { agedRank, describeRank, effectiveRank, type Priority } from './priorities';
import {
  addResources,
  emptyResources,
  findShortfalls,
  formatAmount,
  heldWhilePaused,
  resourceNames,
  subtractResources,
  type ResourceName,
  type Resources,
} from './resources';
import { describeCapWait, describePriorityWait, describeShortage, describeThermalWait, estimateWaitMs, type BlockingLease, type HolderView, type QueueReason } from './queueReasons';
import type { ThermalLevel, ThermalRules } from './thermalPolicy';

/** A queued request, or a paused lease that would resume, in the form the planner reads. */
export interface PlanRequest extends BlockingLease {
  priority: Priority;
  resources: Resources;
  /** When it started waiting, in milliseconds since the epoch; aging counts from here. */
  waitingSince: number;
  /** Arrival order, which breaks ties between requests of the same millisecond. */
  sequence: number;
}

export interface PlanHolder extends HolderView {
  priority: Priority;
  preemptible: boolean;
  /** The client reported that it paused; its GPU, Neural Engine and CPU count as free. */
  paused: boolean;
  grantedAt: number;
}

export interface PlanInput {
  now: number;
  capacity: Resources;
  holders: readonly PlanHolder[];
  queue: readonly PlanRequest[];
  weightOf(project: string): number;
  /** Per-project caps; Infinity where a project has none. */
  capOf(project: string): Resources;
  agingMs: number;
  thermalLevel: ThermalLevel;
  thermalRules: ThermalRules;
}

export interface QueuePlacement {
  /** 1 for the request served next. */
  position: number;
  reason: QueueReason;
  estimateMs: number | null;
}

export interface QueuePlan {
  grants: string[];
  queued: Map<string, QueuePlacement>;
  /** Paused leases that may resume: their compute fits again and no rule keeps them paused. */
  resumes: string[];
  /** Lease id to the leases still paused and why. */
  stillPaused: Map<string, QueueReason>;
}

interface Reservation {
  lease: BlockingLease;
  rank: number;
  resources: ResourceName[];
}

/** Checks a request against the machine and the project's cap; returns why it can never fit, or null. */
export function findNeverFitReason(request: Resources, capacity: Resources, project: string, cap: Resources): string | null {
  const overMachine = resourceNames.filter((name) => request[name] > capacity[name] + 1e-9);
  if (overMachine.length > 0) {
    const parts = overMachine.map((name) => `requests ${formatAmount(name, request[name])} but the machine offers ${formatAmount(name, capacity[name])}`);
    return `${parts.join('; ')}. ${overMachine.map((name) => adviseOverMachine(name, capacity)).join(' ')}`;
  }

  const overCap = resourceNames.filter((name) => request[name] > cap[name] + 1e-9);
  if (overCap.length === 0) return null;

  const parts = overCap.map((name) => `requests ${formatAmount(name, request[name])} but the cap is ${formatAmount(name, cap[name])}`);
  return `project ${project}'s mlops.yaml resources cap: ${parts.join('; ')}. Ask for less or raise the cap in mlops.yaml`;
}

/**
 * Returns the fix for a request larger than the machine in one resource. It names the API field, which the CLI
 * and the SDK replace with their own flag or argument name.
 */
function adviseOverMachine(name: ResourceName, capacity: Resources): string {
  switch (name) {
    case 'memoryGb':
      return 'Lower `memoryGb` (a smaller batch or a quantized model), or raise the hub\'s memory budget (MLOPS_HUB_LEASE_MEMORY_GB); on macOS `sudo sysctl iogpu.wired_limit_mb=<MB>` raises the GPU memory ceiling.';
    case 'gpuShare':
      return '`gpuShare` is at most 1, the whole GPU.';
    case 'neuralEngine':
      return 'The machine has one Neural Engine, so `neuralEngine` leases it whole or not at all.';
    case 'cpuCores':
      return `The machine has ${capacity.cpuCores} CPU cores, so set \`cpuCores\` to at most ${capacity.cpuCores}.`;
  }
}

/**
 * Decides, from the current holders and the queue, which requests to grant now
 * and where the others wait and why. Candidates go by effective rank (class
 * plus aging), then by weighted dominant share of their project, then by age.
 * A request that does not fit reserves the resources it lacks: no request of
 * a lower rank may take them (nor any later request, when it has aged).
 */
export function planLeases(input: PlanInput): QueuePlan {
  const state = createPlanState(input);
  const plan: QueuePlan = { grants: [], queued: new Map(), resumes: [], stillPaused: new Map() };
  const pausedIds = new Set(input.holders.filter((holder) => holder.paused).map((holder) => holder.leaseId));
  let position = 0;

  for (const candidate of orderCandidates(input, state)) {
    const reason = checkCandidate(input, state, candidate);
    const isResume = pausedIds.has(candidate.leaseId);
    if (reason === null) {
      takeResources(state, candidate);
      (isResume ? plan.resumes : plan.grants).push(candidate.leaseId);
    } else if (isResume) {
      plan.stillPaused.set(candidate.leaseId, reason.reason);
    } else {
      position += 1;
      plan.queued.set(candidate.leaseId, { position, reason: reason.reason, estimateMs: reason.estimateMs });
    }
  }

  return plan;
}

interface PlanState {
  free: Resources;
  usage: Map<string, Resources>;
  /** Reservations of ranks above the rank being served, by resource; a few per resource, for messages. */
  higher: Map<ResourceName, Reservation[]>;
  /** Reservations of the rank being served; they block only when that rank is the aged one. */
  current: Map<ResourceName, Reservation[]>;
  currentRank: number;
  ranks: Map<string, number>;
}

/** Reservations kept per resource for the wait message; more would only lengthen it. */
const reservationsPerResource = 3;

function createPlanState(input: PlanInput): PlanState {
  const usage = new Map<string, Resources>();
  let used = emptyResources();
  for (const holder of input.holders) {
    const held = holder.paused ? heldWhilePaused(holder.resources) : holder.resources;
    usage.set(holder.project, addResources(usage.get(holder.project) ?? emptyResources(), held));
    used = addResources(used, held);
  }

  return { free: subtractResources(input.capacity, used), usage, higher: new Map(), current: new Map(), currentRank: Infinity, ranks: new Map() };
}

/** Queue order: rank buckets from the top; aged requests by age, others by weighted DRF and then age. */
function* orderCandidates(input: PlanInput, state: PlanState): Generator<PlanRequest> {
  const byRank = new Map<number, PlanRequest[]>();
  for (const request of input.queue) {
    const rank = effectiveRank(request.priority, input.now - request.waitingSince, input.agingMs);
    state.ranks.set(request.leaseId, rank);
    const bucket = byRank.get(rank);
    if (bucket) bucket.push(request);
    else byRank.set(rank, [request]);
  }

  for (const rank of [...byRank.keys()].sort((a, b) => b - a)) {
    const bucket = (byRank.get(rank) ?? []).sort((a, b) => a.waitingSince - b.waitingSince || a.sequence - b.sequence);
    if (rank >= agedRank) yield* bucket;
    else yield* drainByDominantShare(bucket, input, state);
  }
}

/** Yields a bucket's requests one at a time, each from the project with the lowest weighted dominant share at that moment. */
function* drainByDominantShare(bucket: PlanRequest[], input: PlanInput, state: PlanState): Generator<PlanRequest> {
  const perProject = new Map<string, { requests: PlanRequest[]; next: number }>();
  for (const request of bucket) {
    const entry = perProject.get(request.project);
    if (entry) entry.requests.push(request);
    else perProject.set(request.project, { requests: [request], next: 0 });
  }

  while (perProject.size > 0) {
    let pick: string | null = null;
    let pickShare = Infinity;
    for (const project of perProject.keys()) {
      const share = weightedDominantShare(state.usage.get(project) ?? emptyResources(), input.capacity, input.weightOf(project));
      if (pick === null || share < pickShare) [pick, pickShare] = [project, share];
    }

    const entry = perProject.get(pick ?? '');
    if (!entry) return;
    const next = entry.requests[entry.next];
    entry.next += 1;
    if (entry.next >= entry.requests.length) perProject.delete(pick ?? '');
    if (next) yield next;
  }
}

function checkCandidate(input: PlanInput, state: PlanState, candidate: PlanRequest): { reason: QueueReason; estimateMs: number | null } | null {
  const rules = input.thermalRules;
  if ((rules.highOnly && candidate.priority !== 'high') || (rules.holdLowGrants && candidate.priority === 'low')) {
    return { reason: describeThermalWait(input.thermalLevel, rules.highOnly), estimateMs: null };
  }

  const rank = state.ranks.get(candidate.leaseId) ?? 0;
  const blockers = findBlockers(state, candidate, rank);
  if (blockers.length > 0) {
    const list = blockers.map((blocker) => ({ lease: blocker.lease, rankName: describeRank(blocker.rank), resources: blocker.resources }));
    return { reason: describePriorityWait(list), estimateMs: null };
  }

  const cap = input.capOf(candidate.project);
  const held = state.usage.get(candidate.project) ?? emptyResources();
  const overCap = findShortfalls(addResources(held, candidate.resources), cap);
  if (overCap.length > 0) return { reason: describeCapWait(candidate.project, candidate.resources, held, cap, overCap), estimateMs: null };

  const short = findShortfalls(candidate.resources, state.free);
  if (short.length === 0) return null;

  for (const name of short) {
    const list = state.current.get(name) ?? [];
    if (list.length < reservationsPerResource) state.current.set(name, [...list, { lease: candidate, rank, resources: short }]);
  }
  return {
    reason: describeShortage(candidate.resources, state.free, short, input.holders),
    estimateMs: estimateWaitMs(candidate.resources, state.free, short, input.holders, input.now),
  };
}

function takeResources(state: PlanState, candidate: PlanRequest): void {
  state.free = subtractResources(state.free, candidate.resources);
  state.usage.set(candidate.project, addResources(state.usage.get(candidate.project) ?? emptyResources(), candidate.resources));
}

/** Reservations that hold `candidate` back: any of a higher rank, or of its own rank when that is the aged one. */
function findBlockers(state: PlanState, candidate: PlanRequest, rank: number): Reservation[] {
  if (rank !== state.currentRank) {
    for (const [name, list] of state.current) state.higher.set(name, [...(state.higher.get(name) ?? []), ...list].slice(0, reservationsPerResource));
    state.current = new Map();
    state.currentRank = rank;
  }

  const blockers = new Map<string, Reservation>();
  for (const name of resourceNames) {
    if (candidate.resources[name] <= 0) continue;

    const sources = rank >= agedRank ? [state.higher.get(name), state.current.get(name)] : [state.higher.get(name)];
    for (const reservation of sources.flatMap((list) => list ?? [])) blockers.set(reservation.lease.leaseId, reservation);
  }

  return [...blockers.values()];
}
