import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../fakes/electron'));

import { Notification, resetElectronFake } from '../../fakes/electron';
import { Arbiter } from '../../../src/main/core/arbiter/arbiter';
import { createSilentLogger } from '../../../src/main/core/logger';
import { RunNotifier } from '../../../src/main/shell/notifications';
import { createStubHub, flushPromises } from './support';

function sample(thermalPressure: string | null) {
  return { type: 'hardware:didSample' as const, sample: { timestampMs: Date.now(), thermalPressure } };
}

describe('RunNotifier for operations', () => {
  let hub: ReturnType<typeof createStubHub>;
  let arbiter: Arbiter | null = null;

  beforeEach(() => {
    resetElectronFake();
    hub = createStubHub({});
    new RunNotifier({ hub, log: createSilentLogger(), showDashboard: vi.fn() }).start();
  });

  afterEach(() => arbiter?.close());

  it('notifies once when thermal pressure reaches heavy', async () => {
    for (const level of ['nominal', 'moderate', 'heavy', 'heavy', 'trapping']) hub.events.emit(sample(level));
    await flushPromises();

    expect(Notification.instances.map((notification) => notification.options.title)).toEqual(['Thermal pressure heavy']);
    expect(Notification.instances[0]?.shown).toBe(true);
  });

  it('shows the arbiter notice of a lease granted after waiting', async () => {
    let nowMs = 1_000_000;
    arbiter = new Arbiter({ log: createSilentLogger(), events: hub.events, now: () => nowMs, notifyAfterWaitMs: 60_000, pidCheckIntervalMs: 500, memoryCheckIntervalMs: 0 });
    const context = { transport: 'internal' as const };
    const request = { pid: process.pid, resources: { memoryGb: 0, gpuShare: 1, neuralEngine: false, cpuCores: 0 }, preemptible: true, ttlMs: 3_600_000, label: '' };
    const first = arbiter.request({ ...request, project: 'default', label: 'first' }, context);
    arbiter.request({ ...request, project: 'default', label: 'second' }, context);

    nowMs += 90_000;
    arbiter.release(first.leaseId, undefined, undefined);
    await flushPromises();

    expect(Notification.instances.map((notification) => notification.options)).toEqual([{ title: 'Lease granted to default', body: 'second waited 90 s and may start.' }]);
  });
});
