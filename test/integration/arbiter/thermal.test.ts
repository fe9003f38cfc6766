import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { ThermalPressure } from '../../../src/common/methods/hardware';
import type { LeaseOverview, LeaseView } from '../../../src/common/methods/leases';
import { createHub, type Hub } from '../../../src/main/core/hub';
import { createSilentLogger } from '../../../src/main/core/logger';
import { makeSample } from '../../unit/core/hardware/sampleFactory';

const context = { transport: 'internal' } as const;

/** One helper sample line (the hardware helper's JSON format) at the given thermal pressure. */
function sampleLine(thermalPressure: ThermalPressure): string {
  return JSON.stringify(makeSample({ timestampMs: Date.now(), intervalMs: 100, cpuUsageRatio: 0.5, thermalPressure }));
}

let home: string;
let hub: Hub;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  process.env['MLOPS_HUB_HOME'] = home;
});

afterEach(async () => {
  await hub.close();
  fs.rmSync(home, { recursive: true, force: true });
});

describe('Arbiter with the hardware monitor', () => {
  it('pauses low leases from replayed heavy pressure', async () => {
    const trace = path.join(home, 'heavy.jsonl');
    fs.writeFileSync(trace, `${sampleLine('heavy')}\n`);
    hub = await createHub({ dataDir: home, log: createSilentLogger(), listen: { port: null }, hardware: { intervalMs: 100, replayFile: trace } });

    const low = (await hub.call('leases:request', { pid: process.pid, resources: { gpuShare: 0.5 }, priority: 'low' }, context)) as LeaseView;
    await vi.waitFor(async () => expect(((await hub.call('leases:list', {}, context)) as LeaseOverview).thermalLevel).toBe('heavy'), { timeout: 10_000, interval: 50 });

    const overview = (await hub.call('leases:list', {}, context)) as LeaseOverview;
    const paused = overview.leases.find((lease) => lease.leaseId === low.leaseId);
    expect(paused?.pauseRequested).toBe(true);
    expect(paused?.pauseReason).toBe('thermal pressure is heavy: low-priority preemptible leases pause');

    const waiting = (await hub.call('leases:request', { pid: process.pid, resources: { cpuCores: 1 }, priority: 'low' }, context)) as LeaseView;
    expect(waiting.state).toBe('queued');
    expect(waiting.queue?.reasonKind).toBe('thermal');
    const normal = (await hub.call('leases:request', { pid: process.pid, resources: { cpuCores: 1 } }, context)) as LeaseView;
    expect(normal.state).toBe('granted');
  });
});

describe('Arbiter with moderate pressure', () => {
  it('holds low grants without pausing', async () => {
    const trace = path.join(home, 'moderate.jsonl');
    fs.writeFileSync(trace, `${sampleLine('moderate')}\n`);
    hub = await createHub({ dataDir: home, log: createSilentLogger(), listen: { port: null }, hardware: { intervalMs: 100, replayFile: trace } });

    const low = (await hub.call('leases:request', { pid: process.pid, resources: { gpuShare: 0.5 }, priority: 'low' }, context)) as LeaseView;
    await vi.waitFor(async () => expect(((await hub.call('leases:list', {}, context)) as LeaseOverview).thermalLevel).not.toBe('nominal'), { timeout: 10_000, interval: 50 });

    const overview = (await hub.call('leases:list', {}, context)) as LeaseOverview;
    expect(overview.thermalLevel).toBe('moderate');
    expect(overview.leases.find((lease) => lease.leaseId === low.leaseId)?.pauseRequested).toBe(false);
    const waiting = (await hub.call('leases:request', { pid: process.pid, resources: { cpuCores: 1 }, priority: 'low' }, context)) as LeaseView;
    expect(waiting.queue?.reasonKind).toBe('thermal');
  });
});
