import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import { type HubEvent } from '../../../../src/common/events';
import { type HardwareSample } from '../../../../src/common/methods/hardware';
import { EventBus } from '../../../../src/main/core/eventBus';
import { collectHardwareMetrics } from '../../../../src/main/core/hardware/handlers';
import { HardwareMonitor } from '../../../../src/main/core/hardware/hardwareMonitor';
import { createSilentLogger } from '../../../../src/main/core/logger';
import { type Db } from '../../../../src/main/core/storage/database';
import { migrationsOf, openMemoryDb } from './dbFixture';
import { makeSample } from './sampleFactory';

let dir: string;
let db: Db;

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  process.env['MLOPS_HUB_HOME'] = dir;
  db = openMemoryDb(migrationsOf('hardware'));
});

afterEach(() => {
  vi.useRealTimers();
  db.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

function writeTrace(samples: readonly HardwareSample[]): string {
  const file = path.join(dir, 'trace.jsonl');
  fs.writeFileSync(file, samples.map((sample) => JSON.stringify(sample)).join('\n'));

  return file;
}

describe('HardwareMonitor', () => {
  it('replays a trace in a loop with a visible notice', async () => {
    vi.useFakeTimers();
    const file = writeTrace([makeSample({ cpuPowerWatts: 1 }), makeSample({ cpuPowerWatts: 2 })]);
    const monitor = new HardwareMonitor({ db, log: createSilentLogger(), helperPath: path.join(dir, 'absent'), replayFile: file, intervalMs: 100, now: () => 42 });
    const seen: number[] = [];
    monitor.onDidSample((sample) => seen.push(sample.cpuPowerWatts ?? -1));

    await monitor.start();
    await vi.advanceTimersByTimeAsync(350);
    await monitor.stop();

    expect(seen).toEqual([1, 2, 1]);
    expect(monitor.status().source).toBe('replay');
    expect(monitor.status().notice).toMatch(/replaying 2 recorded samples \(helper\)/);
    expect(monitor.live(10).map((sample) => sample.timestampMs)).toEqual([42, 42, 42]);
  });

  it('keeps the replay failure visible after falling back', async () => {
    vi.useFakeTimers();
    const file = path.join(dir, 'bad.jsonl');
    fs.writeFileSync(file, 'garbage\n');
    const monitor = new HardwareMonitor({ db, log: createSilentLogger(), helperPath: path.join(dir, 'absent'), replayFile: file, intervalMs: 100 });

    await monitor.start();
    await vi.advanceTimersByTimeAsync(250);
    await monitor.stop();

    expect(monitor.status().source).toBe('node');
    expect(monitor.status().notice).toMatch(/^Replay file .*bad\.jsonl is unusable: invalid trace file .*line 1: invalid JSON/);
    expect(monitor.status().notice).toMatch(/hardware helper not found/);
    expect(monitor.status().sourceDetail).toMatch(/replay file .*bad\.jsonl unusable; sampling this machine instead/);
    expect(monitor.live(10).length).toBe(2);
  });

  it('keeps the replay failure when the helper reports running', () => {
    const file = path.join(dir, 'empty.jsonl');
    fs.writeFileSync(file, '');
    const monitor = new HardwareMonitor({ db, log: createSilentLogger(), helperPath: path.join(dir, 'absent'), replayFile: file, intervalMs: 100 });

    // Drives the private state handler the way a helper that starts and prints a sample does.
    const internals = monitor as unknown as { startReplay(file: string): boolean; handleHelperState(state: string, detail: string): void };
    internals.startReplay(file);
    internals.handleHelperState('running', 'hardware helper running');

    expect(monitor.status().notice).toMatch(/empty\.jsonl is unusable: trace file .* contains no samples/);
  });

  it('uses the Node-only sampler when the helper is missing', async () => {
    vi.useFakeTimers();
    const monitor = new HardwareMonitor({ db, log: createSilentLogger(), helperPath: path.join(dir, 'absent'), intervalMs: 100 });

    await monitor.start();
    await vi.advanceTimersByTimeAsync(150);
    await monitor.stop();

    const [sample] = monitor.live(1);
    expect(monitor.status().notice).toMatch(/Showing CPU and memory from Node only/);
    expect(sample?.memoryTotalBytes).toBe(os.totalmem());
    expect(sample?.cpuPowerWatts).toBeNull();
    expect(monitor.status().info?.memoryBytes).toBe(os.totalmem());
  });

  it('emits hardware:didSample and feeds the throttle detector', () => {
    const events = new EventBus(createSilentLogger());
    const seen: HubEvent[] = [];
    events.onDidEmit((event) => seen.push(event));
    const monitor = new HardwareMonitor({ db, log: createSilentLogger(), helperPath: 'unused', events });

    monitor.acceptSample(makeSample({ thermalPressure: 'trapping' }));

    expect(seen.map((event) => event.type)).toEqual(['hardware:didSample']);
    expect(monitor.status().throttle.signal).toBe('thermal_pressure');
  });

  it('gives the arbiter nominal for an unknown level', () => {
    const monitor = new HardwareMonitor({ db, log: createSilentLogger(), helperPath: 'unused' });
    const readings: unknown[] = [];
    const unsubscribe = monitor.thermalSource().onDidSample((reading) => readings.push(reading));

    monitor.acceptSample(makeSample({ thermalPressure: null }));
    monitor.acceptSample(makeSample({ thermalPressure: 'heavy' }));
    unsubscribe();
    monitor.acceptSample(makeSample({ thermalPressure: 'heavy' }));

    expect(readings).toEqual([
      { thermalPressure: 'nominal', throttled: false },
      { thermalPressure: 'heavy', throttled: false },
    ]);
  });

  it('keeps delivering when a listener throws', () => {
    const monitor = new HardwareMonitor({ db, log: createSilentLogger(), helperPath: 'unused' });
    const seen: number[] = [];
    monitor.onDidSample(() => {
      throw new Error('listener bug');
    });
    monitor.onDidSample((sample) => seen.push(sample.timestampMs));

    monitor.acceptSample(makeSample());

    expect(seen).toHaveLength(1);
  });

  it('rejects an interval outside 100..60000 ms', () => {
    expect(() => new HardwareMonitor({ db, log: createSilentLogger(), helperPath: 'unused', intervalMs: 50 })).toThrow(/`intervalMs` to be an integer in 100\.\.60000, got `50`/);
  });

  it('exposes gauges only for known quantities', () => {
    const monitor = new HardwareMonitor({ db, log: createSilentLogger(), helperPath: 'unused' });
    monitor.acceptSample(makeSample({ cpuPowerWatts: 3, cpuClusters: [{ name: 'E-Cluster', cores: 4, usageRatio: 0.5, freqMhz: 1000 }, { name: 'P-Cluster', cores: 4, usageRatio: 0.25, freqMhz: 3000 }] }));

    const families = collectHardwareMetrics(monitor);
    const names = families.map((family) => family.name);

    expect(names).toContain('hub_hardware_cpu_power_watts');
    expect(names).not.toContain('hub_hardware_gpu_power_watts');
    expect(families.find((family) => family.name === 'hub_hardware_cluster_usage_ratio')?.samples).toHaveLength(2);
  });
});
