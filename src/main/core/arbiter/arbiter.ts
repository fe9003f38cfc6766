import { randomUUID } from 'node:crypto';

import type { CallContext, MethodParsedInput } from '../../../common/contract';
import { HubError } from '../../../common/errors';
import type { LeaseOverview, LeaseView, leasesMethods } from '../../../common/methods/leases';
import type { EventBus } from '../eventBus';
import type { Logger } from '../logger';
import { checkPeerProcess, readSystemParentPid, type ReadParentPid } from './callerCheck';
import { resolveCapacity, type CapacityOptions } from './capacity';
import { computeProjectShares } from './fairShare';
import { findNeverFitReason } from './leaseQueue';
import { checkCaller, checkOwner, requireActive, requireLease } from './leaseChecks';
import { DurationHistory } from './leaseEstimates';
import { LeaseSaver, type LeaseStore } from './leaseStore';
import { LeaseWatch } from './leaseWatch';
import { isActive, isHolding, toLeaseResources, toLeaseView, toResources, type LeaseRecord } from './leaseRecord';
import type { Priority } from './priorities';
import { systemProcessProbe, type ProcessProbe } from './processProbe';
import { cacheProjectLookup, resolvePolicy, type ProjectLookup } from './projectPolicy';
import { addResources, emptyResources, heldWhilePaused, resourceNames, type Resources } from './resources';
import { runSchedule, type LeaseChange } from './scheduler';
import { defaultThermalPolicyOptions, ThermalPolicy, type ThermalPolicyOptions, type ThermalSource } from './thermalPolicy';

type RequestInput = MethodParsedInput<(typeof leasesMethods)['leases:request']>;

export interface ArbiterOptions {
  log: Logger;
  events: EventBus;
  /** Clock in milliseconds since the Unix epoch. */
  now?: () => number;
  capacity?: CapacityOptions;
  /** Project weight, priority and caps from mlops.yaml; projects it does not find are rejected. */
  lookupProject?: ProjectLookup;
  /** Wait after which a request rises one priority class, in milliseconds (default 10 minutes). */
  agingMs?: number;
  thermal?: ThermalPolicyOptions;
  thermalSource?: ThermalSource;
  probe?: ProcessProbe;
  /** Interval of the pid and heartbeat check, in milliseconds (at most 500 so a dead client frees its lease within 2 s). */
  pidCheckIntervalMs?: number;
  /** Interval of the resident-memory check of holders, in milliseconds; 0 turns it off. */
  memoryCheckIntervalMs?: number;
  /** A wait longer than this before a grant sends a notification, in milliseconds. */
  notifyAfterWaitMs?: number;
  /** Saves active leases so that a restarted hub re-adopts those whose process still runs. */
  store?: LeaseStore;
  /** Parent pid lookup for the check that a request's pid descends from the calling process. */
  readParentPid?: ReadParentPid;
}

/** Ended leases kept for `leases:list`, newest first. */
const endedRetention = 100;


/**
 * The resource arbiter: leases of memory, GPU, Neural Engine and CPU between
 * projects' processes, with a queue ordered by priority, aging and weighted
 * DRF, thermal pauses, heartbeats and pid watching.
 */
export class Arbiter {
  readonly capacity: Resources;
  private readonly leases = new Map<string, LeaseRecord>();
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly thermal: ThermalPolicy;
  private readonly watch: LeaseWatch;
  private readonly now: () => number;
  private readonly log: Logger;
  private readonly agingMs: number;
  private readonly lookupProject: ProjectLookup | undefined;
  private readonly durations = new DurationHistory();
  private nextSequence = 0;
  private readonly saver: LeaseSaver | null;
  private readonly unsubscribers: (() => void)[] = [];

  constructor(private readonly options: ArbiterOptions) {
    this.log = options.log;
    this.now = options.now ?? Date.now;
    this.capacity = resolveCapacity(options.capacity);
    this.agingMs = options.agingMs ?? 10 * 60_000;
    this.thermal = new ThermalPolicy(options.thermal ?? defaultThermalPolicyOptions);
    this.watch = new LeaseWatch({
      log: this.log,
      probe: options.probe ?? systemProcessProbe,
      pidCheckIntervalMs: Math.min(500, options.pidCheckIntervalMs ?? 500),
      memoryCheckIntervalMs: options.memoryCheckIntervalMs ?? 2_000,
      leases: () => [...this.leases.values()].filter(isActive),
      onTick: () => this.checkLeases(),
      onMemory: (lease, bytes) => this.recordMemory(lease, bytes),
    });
    this.lookupProject = options.lookupProject ? cacheProjectLookup(options.lookupProject, options.events, this.unsubscribers) : undefined;
    if (options.thermalSource) this.unsubscribers.push(options.thermalSource.onDidSample((sample) => this.observeThermal(sample)));
    this.log.info(`start(): capacity memoryGb=${this.capacity.memoryGb} cpuCores=${this.capacity.cpuCores} agingMs=${this.agingMs}`);
    this.saver = options.store ? new LeaseSaver(options.store, this.log, this.now) : null;
    this.readoptLeases();
  }

  /** Checks the request's pid against the connection's peer process, then requests the lease. */
  async requestFromCaller(input: RequestInput, context: CallContext): Promise<LeaseView> {
    await checkPeerProcess(input.pid, context, this.options.readParentPid ?? readSystemParentPid, this.log);

    return this.request(input, context);
  }

  request(input: RequestInput, context: CallContext): LeaseView {
    checkCaller(input.pid, context, (pid) => this.watch.isPidAlive(pid));
    const policy = resolvePolicy(this.lookupProject, input.project);
    const resources = toResources(input.resources);
    if (resourceNames.every((name) => resources[name] === 0)) {
      throw new HubError('INVALID_PARAMETER_VALUE', 'leases:request: `resources` requests nothing; set at least one of memoryGb, gpuShare, neuralEngine or cpuCores');
    }

    const neverFit = findNeverFitReason(resources, this.capacity, input.project, policy.cap);
    if (neverFit !== null) {
      this.log.warn(`request(): rejected project=${input.project} pid=${input.pid}: ${neverFit}`);
      throw new HubError('INVALID_PARAMETER_VALUE', `leases:request: the request can never fit: ${neverFit}`);
    }

    const lease = this.createRecord(input, resources, input.priority ?? policy.priority);
    this.leases.set(lease.leaseId, lease);
    this.log.info(`request(): leaseId=${lease.leaseId} project=${lease.project} pid=${lease.pid} priority=${lease.priority} resources=${JSON.stringify(toLeaseResources(resources))}`);
    this.notify([{ lease, change: 'queued' }]);
    this.schedule();

    return toLeaseView(lease);
  }

  /** Resolves with the lease once its version passes `afterVersion`, or at `timeoutMs`; renews the heartbeat. */
  wait(leaseId: string, afterVersion: number, timeoutMs: number): Promise<LeaseView> {
    const lease = requireLease(this.leases, leaseId);
    if (isActive(lease)) lease.expiresAt = Math.max(lease.expiresAt, this.now() + lease.ttlMs);
    if (lease.version > afterVersion || !isActive(lease) || timeoutMs === 0) return Promise.resolve(toLeaseView(lease));

    return new Promise((resolve) => {
      const waiters = this.waiters.get(leaseId) ?? new Set<() => void>();
      const finish = (): void => {
        clearTimeout(timer);
        waiters.delete(finish);
        resolve(toLeaseView(lease));
      };
      const timer = setTimeout(finish, timeoutMs);
      waiters.add(finish);
      this.waiters.set(leaseId, waiters);
    });
  }

  heartbeat(leaseId: string, pid: number | undefined): LeaseView {
    const lease = requireLease(this.leases, leaseId);
    checkOwner(lease, pid, undefined, 'heartbeat');
    requireActive(lease, 'heartbeat');

    if (!this.watch.isLeaseProcessAlive(lease)) {
      this.end(lease, 'expired', `process ${lease.pid} exited`);
      this.schedule();
      return toLeaseView(lease);
    }
    lease.expiresAt = this.now() + lease.ttlMs;

    return toLeaseView(lease);
  }

  release(leaseId: string, project: string | undefined, pid: number | undefined): LeaseView {
    const lease = requireLease(this.leases, leaseId);
    checkOwner(lease, pid, project, 'release');
    if (!isActive(lease)) return toLeaseView(lease);

    const byOwner = project !== undefined || pid !== undefined;
    this.end(lease, byOwner ? 'released' : 'revoked', byOwner ? 'released by its holder' : 'released by the user');
    this.schedule();

    return toLeaseView(lease);
  }

  reportPaused(leaseId: string, paused: boolean, pid: number | undefined): LeaseView {
    const lease = requireLease(this.leases, leaseId);
    checkOwner(lease, pid, undefined, 'reportPaused');
    if (!isHolding(lease)) {
      throw new HubError('INVALID_STATE', `leases:reportPaused: lease ${leaseId} is ${lease.state}, not granted; only a granted lease can pause or resume`);
    }

    const next = paused ? 'paused' : 'granted';
    if (lease.state !== next) {
      Object.assign(lease, { state: next, waitingSince: this.now() });
      this.log.info(`reportPaused(): leaseId=${leaseId} state=${next}`);
      this.notify([{ lease, change: next }]);
      this.schedule();
    }

    return toLeaseView(lease);
  }

  list(): LeaseOverview {
    const all = [...this.leases.values()];
    const holdings = this.projectHoldings();
    const used = [...holdings.values()].reduce(addResources, emptyResources());
    const shares = computeProjectShares(holdings, this.capacity, (project) => this.weightOf(project));

    return {
      leases: all.sort((a, b) => a.requestedAt - b.requestedAt).map(toLeaseView),
      capacity: { ...this.capacity },
      used,
      thermalLevel: this.thermal.level,
      queueLength: all.filter((lease) => lease.state === 'queued').length,
      shares: shares.map(({ project, weight, dominantShare }) => ({ project, weight, dominantShare })),
    };
  }

  /** Resources held per project; a lease paused on request holds only its memory. */
  projectHoldings(): Map<string, Resources> {
    const holdings = new Map<string, Resources>();
    for (const lease of this.leases.values()) {
      if (!isHolding(lease)) continue;

      const held = lease.state === 'paused' && lease.pauseRequested ? heldWhilePaused(lease.resources) : lease.resources;
      holdings.set(lease.project, addResources(holdings.get(lease.project) ?? emptyResources(), held));
    }

    return holdings;
  }

  close(): void {
    this.saver?.flush();
    this.watch.close();
    for (const unsubscribe of this.unsubscribers) unsubscribe();
    for (const waiters of this.waiters.values()) for (const finish of [...waiters]) finish();
    this.log.info(`close(): stopped active=${[...this.leases.values()].filter(isActive).length}`);
  }

  private createRecord(input: RequestInput, resources: Resources, priority: Priority): LeaseRecord {
    const now = this.now();

    return {
      leaseId: randomUUID(),
      project: input.project,
      pid: input.pid,
      pidStartTime: this.watch.readStartTime(input.pid),
      label: input.label,
      priority,
      preemptible: input.preemptible,
      resources,
      state: 'queued',
      pauseRequested: false,
      pauseReason: null,
      queue: null,
      requestedAt: now,
      sequence: this.nextSequence++,
      waitingSince: now,
      grantedAt: null,
      endedAt: null,
      endReason: null,
      ttlMs: input.ttlMs,
      expiresAt: now + input.ttlMs,
      maxWaitMs: input.maxWaitMs ?? null,
      expectedDurationMs: input.expectedDurationMs ?? null,
      memoryUsedBytes: null,
      overMemory: false,
      version: 0,
    };
  }

  private schedule(): void {
    const context = {
      now: this.now(),
      capacity: this.capacity,
      weightOf: (project: string) => this.weightOf(project),
      capOf: (project: string) => resolvePolicy(this.lookupProject, project, true).cap,
      agingMs: this.agingMs,
      thermalLevel: this.thermal.level,
      thermalRules: this.thermal.rules,
      expectedEndOf: (lease: LeaseRecord) => this.durations.expectedEndOf(lease, this.now()),
    };
    this.notify(runSchedule([...this.leases.values()].filter(isActive), context));
  }

  private weightOf(project: string): number {
    return resolvePolicy(this.lookupProject, project, true).weight;
  }

  private end(lease: LeaseRecord, state: 'released' | 'expired' | 'revoked', reason: string): void {
    Object.assign(lease, { state, endedAt: this.now(), endReason: reason, queue: null, pauseRequested: false });
    this.durations.record(lease);
    this.log.info(`end(): leaseId=${lease.leaseId} project=${lease.project} pid=${lease.pid} state=${state} reason=${reason}`);
    this.notify([{ lease, change: state }]);
    this.pruneEnded();
  }

  private notify(changes: readonly LeaseChange[]): void {
    for (const { lease, change } of changes) {
      lease.version += 1;
      this.saver?.queue(lease);
      if (change !== 'queue-changed') this.options.events.emit({ type: 'leases:didChange', leaseId: lease.leaseId, state: change });
      this.sendNotification(lease, change);
      for (const finish of [...(this.waiters.get(lease.leaseId) ?? [])]) finish();
    }
  }

  /** Re-adopts saved leases whose process still runs (same pid and start time) and drops the rest. */
  private readoptLeases(): void {
    const saved = this.options.store?.loadActive() ?? [];
    if (saved.length === 0) return;

    const now = this.now();
    const dropped: string[] = [];
    for (const lease of saved) {
      if (!this.watch.isLeaseProcessAlive(lease)) {
        dropped.push(lease.leaseId);
        continue;
      }
      Object.assign(lease, { queue: null, expiresAt: now + lease.ttlMs, version: lease.version + 1 });
      this.nextSequence = Math.max(this.nextSequence, lease.sequence + 1);
      this.leases.set(lease.leaseId, lease);
    }

    this.options.store?.remove(dropped);
    this.log.info(`readoptLeases(): re-adopted ${saved.length - dropped.length} leases, dropped ${dropped.length} whose process exited`);
    this.schedule();
  }

  private sendNotification(lease: LeaseRecord, change: string): void {
    const waitedMs = (lease.grantedAt ?? 0) - lease.requestedAt;
    if (change === 'granted' && waitedMs >= (this.options.notifyAfterWaitMs ?? 60_000)) {
      this.options.events.emit({ type: 'notification', title: `Lease granted to ${lease.project}`, body: `${lease.label || `pid ${lease.pid}`} waited ${Math.round(waitedMs / 1000)} s and may start.` });
    } else if (change === 'pause-requested') {
      this.options.events.emit({ type: 'notification', title: `Pausing ${lease.project}`, body: lease.pauseReason ?? 'The arbiter asked this lease to pause.' });
    }
  }

  /** Expires leases whose heartbeat, maximum wait or process ended, then reschedules; the watch runs it on every tick. */
  checkLeases(): void {
    const now = this.now();
    let changed = this.thermal.tick(now);
    for (const lease of [...this.leases.values()].filter(isActive)) {
      const reason = this.findExpiry(lease, now);
      if (reason === null) continue;

      this.end(lease, 'expired', reason);
      changed = true;
    }

    if (changed) this.schedule();
  }

  private findExpiry(lease: LeaseRecord, now: number): string | null {
    if (!this.watch.isLeaseProcessAlive(lease)) return `process ${lease.pid} exited`;
    if (now > lease.expiresAt) return `no heartbeat for ${lease.ttlMs} ms`;
    if (lease.state === 'queued' && lease.maxWaitMs !== null && now - lease.requestedAt > lease.maxWaitMs) return `waited longer than the maximum of ${lease.maxWaitMs} ms`;

    return null;
  }

  private recordMemory(lease: LeaseRecord, bytes: number): void {
    lease.memoryUsedBytes = bytes;
    const limit = lease.resources.memoryGb * 2 ** 30;
    const over = limit > 0 && bytes > limit;
    if (over === lease.overMemory) return;

    lease.overMemory = over;
    if (over) {
      this.log.warn(`recordMemory(): leaseId=${lease.leaseId} project=${lease.project} pid=${lease.pid} uses ${bytes} bytes, over its grant of ${limit} bytes`);
      this.notify([{ lease, change: 'memory-exceeded' }]);
    }
  }

  private observeThermal(sample: Parameters<ThermalPolicy['observe']>[0]): void {
    if (!this.thermal.observe(sample, this.now())) return;

    this.log.info(`observeThermal(): level=${this.thermal.level} pressure=${sample.thermalPressure} throttled=${sample.throttled}`);
    this.schedule();
  }

  private pruneEnded(): void {
    const ended = [...this.leases.values()].filter((lease) => !isActive(lease)).sort((a, b) => (b.endedAt ?? 0) - (a.endedAt ?? 0));
    for (const lease of ended.slice(endedRetention)) {
      this.leases.delete(lease.leaseId);
      this.waiters.delete(lease.leaseId);
    }
  }
}
