import { afterEach, describe, expect, it, vi } from 'vitest';

import type { HubEvent } from '../../../../src/common/events';
import { HubError } from '../../../../src/common/errors';
import { Arbiter, type ArbiterOptions } from '../../../../src/main/core/arbiter/arbiter';
import type { ProcessProbe } from '../../../../src/main/core/arbiter/processProbe';
import type { ThermalSample, ThermalSource } from '../../../../src/main/core/arbiter/thermalPolicy';
import { EventBus } from '../../../../src/main/core/eventBus';
import { createSilentLogger } from '../../../../src/main/core/logger';

class FakeProbe implements ProcessProbe {
  readonly dead = new Set<number>();
  residentBytes = new Map<number, number>();

  isAlive(pid: number): boolean {
    return !this.dead.has(pid);
  }

  readStartTime(): string | null {
    return null;
  }

  readTreeResidentBytes(pids: readonly number[]): Promise<Map<number, number>> {
    return Promise.resolve(new Map(pids.map((pid) => [pid, this.residentBytes.get(pid) ?? 0])));
  }
}

class FakeThermal implements ThermalSource {
  private listener: ((sample: ThermalSample) => void) | null = null;

  onDidSample(listener: (sample: ThermalSample) => void): () => void {
    this.listener = listener;
    return () => {
      this.listener = null;
    };
  }

  send(sample: ThermalSample): void {
    this.listener?.(sample);
  }
}

const context = { transport: 'internal' } as const;
let arbiters: Arbiter[] = [];

function setup(options: Partial<ArbiterOptions> = {}) {
  const clock = { now: 1_000_000 };
  const probe = new FakeProbe();
  const log = createSilentLogger();
  const events = new EventBus(log);
  const emitted: HubEvent[] = [];
  events.onDidEmit((event) => emitted.push(event));
  const arbiter = new Arbiter({
    log,
    events,
    now: () => clock.now,
    capacity: { memoryGb: 32, cpuCores: 8 },
    probe,
    memoryCheckIntervalMs: 0,
    ...options,
  });
  arbiters.push(arbiter);

  return { arbiter, clock, probe, emitted };
}

function ask(memoryGb: number, extra: Record<string, unknown> = {}) {
  return {
    project: 'default',
    pid: 4242,
    resources: { memoryGb, gpuShare: 0, neuralEngine: false, cpuCores: 0 },
    preemptible: true,
    ttlMs: 30_000,
    label: '',
    ...extra,
  } as Parameters<Arbiter['request']>[0];
}

function catchHubError(action: () => unknown): HubError {
  try {
    action();
  } catch (error) {
    if (error instanceof HubError) return error;
    throw error;
  }
  throw new Error('expected a HubError');
}

afterEach(() => {
  for (const arbiter of arbiters) arbiter.close();
  arbiters = [];
});

describe('Arbiter', () => {
  it('grants a request that fits', () => {
    const { arbiter, emitted } = setup();
    const lease = arbiter.request(ask(8), context);

    expect(lease.state).toBe('granted');
    expect(lease.memoryLimitBytes).toBe(8 * 2 ** 30);
    expect(emitted).toContainEqual({ type: 'leases:didChange', leaseId: lease.leaseId, state: 'granted' });
  });

  it('queues with position and reason', () => {
    const { arbiter } = setup();
    const holder = arbiter.request(ask(24, { label: 'lora' }), context);
    const waiting = arbiter.request(ask(12, { pid: 4343 }), context);

    expect(waiting.state).toBe('queued');
    expect(waiting.queue?.position).toBe(1);
    expect(waiting.queue?.reasonKind).toBe('resources');
    expect(waiting.queue?.blockingLeaseIds).toEqual([holder.leaseId]);
    expect(waiting.queue?.message).toContain('12 GB of memory (8 GB of memory free)');
  });

  it('grants the next request on release', () => {
    const { arbiter } = setup();
    const holder = arbiter.request(ask(24), context);
    const waiting = arbiter.request(ask(12, { pid: 4343 }), context);

    expect(arbiter.release(holder.leaseId, 'default', undefined).state).toBe('released');
    expect(arbiter.list().leases.find((lease) => lease.leaseId === waiting.leaseId)?.state).toBe('granted');
  });

  it('rejects a request larger than the machine', () => {
    const { arbiter } = setup();
    const error = catchHubError(() => arbiter.request(ask(64), context));

    expect(error.code).toBe('INVALID_PARAMETER_VALUE');
    expect(error.message).toContain('can never fit: requests 64 GB of memory but the machine offers 32 GB of memory');
    expect(arbiter.list().leases).toHaveLength(0);
  });

  it('rejects a pid that is not running', () => {
    const { arbiter, probe } = setup();
    probe.dead.add(4242);

    expect(catchHubError(() => arbiter.request(ask(1), context)).message).toBe(
      'leases:request: pid 4242 is not a running process; pass the pid of the process that will use the lease',
    );
  });

  it('rejects a pid other than the declared one', () => {
    const { arbiter } = setup();

    expect(catchHubError(() => arbiter.request(ask(1), { transport: 'unix', declaredPid: 7 })).code).toBe('PERMISSION_DENIED');
  });

  it('rejects a pid outside the caller tree', async () => {
    // 4242 is a child of 4000; 5000 is the caller on another branch.
    const parents = new Map([[4242, 4000], [4000, 1], [5000, 1], [1, 0]]);
    const { arbiter } = setup({ readParentPid: (pid) => Promise.resolve(parents.get(pid) ?? null) });
    const holder = await arbiter.requestFromCaller(ask(4, { pid: 5000 }), { transport: 'unix', resolvePeerPid: () => Promise.resolve(5000) });

    await expect(arbiter.requestFromCaller(ask(1), { transport: 'unix', resolvePeerPid: () => Promise.resolve(5000) })).rejects.toThrow(
      '`pid` 4242 is not the calling process (pid 5000) or one of its children',
    );
    expect(arbiter.list().leases.map((lease) => [lease.leaseId, lease.state])).toEqual([[holder.leaseId, 'granted']]);
    expect((await arbiter.requestFromCaller(ask(1), { transport: 'unix', resolvePeerPid: () => Promise.resolve(4000) })).state).toBe('granted');
  });

  it('rejects an empty request', () => {
    const { arbiter } = setup();

    expect(catchHubError(() => arbiter.request(ask(0), context)).message).toContain('requests nothing');
  });

  it('rejects releasing another project’s lease', () => {
    const { arbiter } = setup({ lookupProject: (project) => (['a', 'b'].includes(project) ? { priority: 'normal', weight: 1 } : null) });
    const lease = arbiter.request(ask(4, { project: 'a' }), context);
    const error = catchHubError(() => arbiter.release(lease.leaseId, 'b', undefined));

    expect(error.code).toBe('PERMISSION_DENIED');
    expect(error.message).toContain('belongs to project a, not b');
    expect(arbiter.list().leases[0]?.state).toBe('granted');
  });

  it('rejects an unregistered project', () => {
    const { arbiter } = setup({ lookupProject: () => null });

    expect(catchHubError(() => arbiter.request(ask(1, { project: 'ghost' }), context)).code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(arbiter.request(ask(1), context).state).toBe('granted');
  });

  it('rejects heartbeats for unknown and ended leases', () => {
    const { arbiter } = setup();
    const lease = arbiter.request(ask(1), context);
    arbiter.release(lease.leaseId, undefined, undefined);

    expect(catchHubError(() => arbiter.heartbeat('no-such-lease', undefined)).code).toBe('RESOURCE_DOES_NOT_EXIST');
    const ended = catchHubError(() => arbiter.heartbeat(lease.leaseId, undefined));
    expect(ended.code).toBe('INVALID_STATE');
    expect(ended.message).toContain('is revoked (released by the user)');
  });

  it('expires a lease without heartbeats', () => {
    const { arbiter, clock } = setup();
    const lease = arbiter.request(ask(1), context);
    clock.now += 20_000;
    arbiter.heartbeat(lease.leaseId, 4242);
    clock.now += 29_000;
    arbiter.checkLeases();

    expect(arbiter.list().leases[0]?.state).toBe('granted');
    clock.now += 2_000;
    arbiter.checkLeases();
    expect(arbiter.list().leases[0]?.state).toBe('expired');
  });

  it('frees the lease of a dead process', () => {
    const { arbiter, probe } = setup();
    const lease = arbiter.request(ask(30), context);
    const waiting = arbiter.request(ask(30, { pid: 4343 }), context);
    probe.dead.add(4242);
    arbiter.checkLeases();

    const leases = arbiter.list().leases;
    expect(leases.find((view) => view.leaseId === lease.leaseId)?.endReason).toBe('process 4242 exited');
    expect(leases.find((view) => view.leaseId === waiting.leaseId)?.state).toBe('granted');
  });

  it('expires a request past its maximum wait', () => {
    const { arbiter, clock } = setup();
    arbiter.request(ask(30), context);
    const waiting = arbiter.request(ask(30, { pid: 4343, maxWaitMs: 5_000 }), context);
    clock.now += 6_000;
    arbiter.checkLeases();

    expect(arbiter.list().leases.find((view) => view.leaseId === waiting.leaseId)?.state).toBe('expired');
  });

  it('resolves a wait on the next change', async () => {
    const { arbiter } = setup();
    const holder = arbiter.request(ask(30), context);
    const waiting = arbiter.request(ask(30, { pid: 4343 }), context);
    const pending = arbiter.wait(waiting.leaseId, waiting.version, 60_000);
    arbiter.release(holder.leaseId, undefined, undefined);

    expect((await pending).state).toBe('granted');
  });

  it('resolves a wait at its timeout', async () => {
    const { arbiter } = setup();
    const lease = arbiter.request(ask(1), context);

    expect((await arbiter.wait(lease.leaseId, lease.version, 10)).version).toBe(lease.version);
  });

  it('pauses and resumes low leases with thermal pressure', () => {
    const thermal = new FakeThermal();
    const { arbiter, clock, emitted } = setup({ thermalSource: thermal, thermal: { holdMs: 10_000, throttledLevel: 'heavy' } });
    const low = arbiter.request(ask(4, { priority: 'low', resources: { memoryGb: 4, gpuShare: 0.5, neuralEngine: false, cpuCores: 0 } }), context);
    thermal.send({ thermalPressure: 'heavy', throttled: false });

    expect(arbiter.list().leases[0]?.pauseRequested).toBe(true);
    expect(emitted).toContainEqual({ type: 'leases:didChange', leaseId: low.leaseId, state: 'pause-requested' });
    expect(arbiter.reportPaused(low.leaseId, true, undefined).state).toBe('paused');

    clock.now += 1_000;
    thermal.send({ thermalPressure: 'nominal', throttled: false });
    expect(arbiter.list().leases[0]?.pauseRequested).toBe(true);
    clock.now += 10_000;
    thermal.send({ thermalPressure: 'nominal', throttled: false });
    expect(arbiter.list().leases[0]?.pauseRequested).toBe(false);
    expect(emitted).toContainEqual({ type: 'leases:didChange', leaseId: low.leaseId, state: 'resumed' });
  });

  it('pauses a low lease for a high request', () => {
    const { arbiter } = setup();
    const gpu = { memoryGb: 2, gpuShare: 1, neuralEngine: false, cpuCores: 0 };
    const low = arbiter.request(ask(2, { priority: 'low', resources: gpu }), context);
    const high = arbiter.request(ask(2, { pid: 4343, priority: 'high', resources: gpu }), context);

    expect(high.state).toBe('queued');
    expect(arbiter.list().leases.find((view) => view.leaseId === low.leaseId)?.pauseRequested).toBe(true);
    arbiter.reportPaused(low.leaseId, true, 4242);
    const after = arbiter.list().leases;
    expect(after.find((view) => view.leaseId === high.leaseId)?.state).toBe('granted');
    expect(after.find((view) => view.leaseId === low.leaseId)?.state).toBe('paused');

    arbiter.release(high.leaseId, undefined, 4343);
    expect(arbiter.list().leases.find((view) => view.leaseId === low.leaseId)?.pauseRequested).toBe(false);
  });

  it('warns when a holder exceeds its memory grant', async () => {
    const { arbiter, probe, emitted } = setup({ memoryCheckIntervalMs: 10 });
    const lease = arbiter.request(ask(1), context);
    probe.residentBytes.set(4242, 3 * 2 ** 30);

    await vi.waitFor(() => expect(emitted).toContainEqual({ type: 'leases:didChange', leaseId: lease.leaseId, state: 'memory-exceeded' }));
    expect(arbiter.list().leases[0]?.memoryUsedBytes).toBe(3 * 2 ** 30);
  });

  it('wakes a waiter when its position moves', async () => {
    const { arbiter } = setup();
    const holder = arbiter.request(ask(30), context);
    const first = arbiter.request(ask(30, { pid: 4343 }), context);
    const second = arbiter.request(ask(30, { pid: 4444 }), context);
    expect(second.queue?.position).toBe(2);
    const pending = arbiter.wait(second.leaseId, second.version, 60_000);
    arbiter.release(first.leaseId, undefined, undefined);

    const moved = await pending;
    expect(moved.state).toBe('queued');
    expect(moved.queue?.position).toBe(1);
    expect(moved.queue?.blockingLeaseIds).toEqual([holder.leaseId]);
  });

  it('notifies a grant after a long wait', () => {
    const { arbiter, clock, emitted } = setup({ notifyAfterWaitMs: 60_000 });
    const holder = arbiter.request(ask(30), context);
    arbiter.request(ask(30, { pid: 4343, label: 'lora' }), context);
    clock.now += 90_000;
    arbiter.heartbeat(holder.leaseId, undefined);
    arbiter.release(holder.leaseId, undefined, undefined);

    expect(emitted).toContainEqual({ type: 'notification', title: 'Lease granted to default', body: 'lora waited 90 s and may start.' });
  });

  it('rejects reportPaused on a queued lease', () => {
    const { arbiter } = setup();
    arbiter.request(ask(30), context);
    const waiting = arbiter.request(ask(30, { pid: 4343 }), context);

    expect(catchHubError(() => arbiter.reportPaused(waiting.leaseId, true, undefined)).code).toBe('INVALID_STATE');
    expect(arbiter.list().leases.find((view) => view.leaseId === waiting.leaseId)?.state).toBe('queued');
  });

  it('estimates waits from past run times', () => {
    const { arbiter, clock } = setup();
    const past = arbiter.request(ask(30), context);
    clock.now += 60_000;
    arbiter.release(past.leaseId, undefined, undefined);
    arbiter.request(ask(30), context);
    clock.now += 20_000;
    const waiting = arbiter.request(ask(30, { pid: 4343 }), context);

    expect(waiting.queue?.estimateMs).toBe(40_000);
  });

  it('prefers a declared duration for estimates', () => {
    const { arbiter } = setup();
    arbiter.request(ask(30, { expectedDurationMs: 5_000 }), context);

    expect(arbiter.request(ask(30, { pid: 4343 }), context).queue?.estimateMs).toBe(5_000);
  });

  it('gives no estimate without run times', () => {
    const { arbiter } = setup();
    arbiter.request(ask(30), context);

    expect(arbiter.request(ask(30, { pid: 4343 }), context).queue?.estimateMs).toBeNull();
  });

  it('applies mlops.yaml caps and weights', () => {
    const { arbiter } = setup({ lookupProject: (project) => (project === 'capped' ? { priority: 'low', weight: 2, resources: { memory_gb: 8, gpu: false } } : null) });
    const error = catchHubError(() => arbiter.request(ask(1, { project: 'capped', resources: { memoryGb: 1, gpuShare: 0.5, neuralEngine: false, cpuCores: 0 } }), context));
    const lease = arbiter.request(ask(6, { project: 'capped' }), context);

    expect(error.message).toContain("project capped's mlops.yaml resources cap");
    expect(lease.priority).toBe('low');
    expect(arbiter.request(ask(4, { project: 'capped', pid: 4343 }), context).queue?.reasonKind).toBe('cap');
  });
});
