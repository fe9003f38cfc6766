import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { type HardwareSample } from '../../../src/common/methods/hardware';
import { HardwareMonitor } from '../../../src/main/core/hardware/hardwareMonitor';
import { HelperProcess, type HelperState } from '../../../src/main/core/hardware/helperProcess';
import { createSilentLogger } from '../../../src/main/core/logger';
import { openDatabase } from '../../../src/main/core/storage/database';
import { allMigrations } from '../../../src/main/core/storage/migrations';

const nativeDir = path.resolve(import.meta.dirname, '../../../native');
const realHelper = path.join(nativeDir, 'build', 'hwhelper');
const quickBackoff = { initialMs: 50, maxMs: 200, stableMs: 60_000 };
let dir: string;

beforeAll(() => {
  const build = spawnSync('make', ['-C', nativeDir], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`make -C native failed: ${build.stderr}`);
});

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  process.env['MLOPS_HUB_HOME'] = dir;
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Writes an executable Node script that replaces the helper in a test. */
function fakeHelper(name: string, body: string): string {
  const file = path.join(dir, name);
  fs.writeFileSync(file, `#!${process.execPath}\n${body}\n`, { mode: 0o755 });

  return file;
}

const sampleLine = `JSON.stringify({ timestampMs: Date.now(), intervalMs: 100, cpuClusters: [], cpuUsageRatio: 0.5, cpuPowerWatts: null, gpuPowerWatts: null, anePowerWatts: null, gpuActiveRatio: null, gpuFreqMhz: null, cpuTempCelsius: null, gpuTempCelsius: null, thermalPressure: null, memoryTotalBytes: null, memoryUsedBytes: null, memoryCachedBytes: null, swapTotalBytes: null, swapUsedBytes: null, memoryPressure: null, memoryStallRatio: null })`;

/** Resolves once `predicate` holds, checking every 20 ms. */
async function waitUntil(predicate: () => boolean): Promise<void> {
  while (!predicate()) await new Promise((resolve) => setTimeout(resolve, 20));
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('HelperProcess', () => {
  it('counts and skips garbage lines', async () => {
    const script = fakeHelper('garbage', `console.log(${sampleLine}); console.log('{not json'); console.log('[1,2]'); console.log(${sampleLine}); setInterval(() => {}, 1000);`);
    const samples: HardwareSample[] = [];
    const helper = new HelperProcess({ helperPath: script, intervalMs: 100, log: createSilentLogger(), onSample: (sample) => samples.push(sample) });

    helper.start();
    await waitUntil(() => samples.length === 2 && helper.badLines === 2);
    await helper.stop();

    expect(samples.map((sample) => sample.cpuUsageRatio)).toEqual([0.5, 0.5]);
    expect(helper.badLines).toBe(2);
    expect(helper.restarts).toBe(0);
  });

  it('restarts a helper that crashes', async () => {
    const script = fakeHelper('crash', `console.log(${sampleLine}); process.exit(3);`);
    const samples: HardwareSample[] = [];
    const states: HelperState[] = [];
    const helper = new HelperProcess({
      helperPath: script,
      intervalMs: 100,
      log: createSilentLogger(),
      backoff: quickBackoff,
      onSample: (sample) => samples.push(sample),
      onStateChange: (state) => states.push(state),
    });

    helper.start();
    await waitUntil(() => samples.length >= 3);
    await helper.stop();

    expect(helper.restarts).toBeGreaterThanOrEqual(2);
    expect(states).toContain('backoff');
    expect(states[states.length - 1]).toBe('stopped');
  });

  it('reports a missing binary without retrying', () => {
    const states: HelperState[] = [];
    const helper = new HelperProcess({ helperPath: path.join(dir, 'absent'), intervalMs: 100, log: createSilentLogger(), onSample: () => undefined, onStateChange: (state) => states.push(state) });

    helper.start();

    expect(states).toEqual(['missing']);
    expect(helper.pid).toBeNull();
  });

  it('stops the real helper with SIGTERM', async () => {
    const samples: HardwareSample[] = [];
    const helper = new HelperProcess({ helperPath: realHelper, intervalMs: 100, log: createSilentLogger(), onSample: (sample) => samples.push(sample) });

    helper.start();
    const pid = helper.pid ?? 0;
    await waitUntil(() => samples.length >= 2);
    await helper.stop();

    expect(pid).toBeGreaterThan(0);
    expect(isAlive(pid)).toBe(false);
    expect(helper.badLines).toBe(0);
  });
});

describe('HardwareMonitor with the real helper', () => {
  it('reads info and live samples, then stops', async () => {
    const db = openDatabase({ file: path.join(dir, 'hub.db'), migrations: allMigrations, log: createSilentLogger() });
    const monitor = new HardwareMonitor({ db, log: createSilentLogger(), helperPath: realHelper, intervalMs: 100 });

    await monitor.start();
    await waitUntil(() => monitor.live(10).length >= 3);
    await monitor.stop();
    const status = monitor.status();
    db.close();

    expect(status.source).toBe('helper');
    expect(status.notice).toBeNull();
    expect(status.info?.osName).toBe(os.type());
    expect(status.latest?.memoryTotalBytes).toBeGreaterThan(0);
  });
});
