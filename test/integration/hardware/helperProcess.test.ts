import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { type HardwareSample } from '../../../src/common/methods/hardware';
import { HardwareMonitor } from '../../../src/main/core/hardware/hardwareMonitor';
import { HelperProcess, type HelperState } from '../../../src/main/core/hardware/helperProcess';
import { createLogger, createSilentLogger } from '../../../src/main/core/logger';
import { openDatabase } from '../../../src/main/core/storage/database';
import { allMigrations } from '../../../src/main/core/storage/migrations';
import { buildNativeHelper, createTempHome, helperPath as realHelper } from './nativeHelper';

const quickBackoff = { initialMs: 50, maxMs: 200, stableMs: 60_000 };
let dir: string;

beforeAll(() => {
  buildNativeHelper();
});

beforeEach(() => {
  dir = createTempHome();
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

  it('reports a missing binary and looks again later', async () => {
    const states: HelperState[] = [];
    const details: string[] = [];
    const samples: HardwareSample[] = [];
    const helperPath = path.join(dir, 'restored');
    const helper = new HelperProcess({
      helperPath,
      intervalMs: 100,
      log: createSilentLogger(),
      missingRecheckMs: 50,
      onSample: (sample) => samples.push(sample),
      onStateChange: (state, detail) => {
        states.push(state);
        details.push(detail);
      },
    });

    helper.start();
    expect(states).toEqual(['missing']);
    expect(details[0]).toMatch(/not found at .*restored/);
    expect(helper.pid).toBeNull();

    fakeHelper('restored', `setInterval(() => console.log(${sampleLine}), 50);`);
    await waitUntil(() => samples.length >= 1);
    await helper.stop();

    expect(states).toContain('running');
  });

  it('says a file without the execute bit is not executable', async () => {
    const helperPath = path.join(dir, 'plain');
    fs.writeFileSync(helperPath, '#!/bin/sh\n', { mode: 0o644 });
    const details: string[] = [];
    const helper = new HelperProcess({ helperPath, intervalMs: 100, log: createSilentLogger(), onSample: () => undefined, onStateChange: (_state, detail) => details.push(detail) });

    helper.start();
    await helper.stop();

    expect(details[0]).toBe(`hardware helper at ${helperPath} is not executable (chmod +x ${helperPath})`);
  });

  it('reports failing with the last stderr line after repeated failed starts', async () => {
    const script = fakeHelper('broken', `console.error('hwhelper: cannot open /proc/stat'); process.exit(3);`);
    const failing: string[] = [];
    const helper = new HelperProcess({
      helperPath: script,
      intervalMs: 100,
      log: createSilentLogger(),
      backoff: { initialMs: 10, maxMs: 20, stableMs: 60_000 },
      maxFailedStarts: 3,
      onSample: () => undefined,
      onStateChange: (state, detail) => {
        if (state === 'failing') failing.push(detail);
      },
    });

    helper.start();
    await waitUntil(() => failing.length >= 1 && helper.restarts >= 3);
    await helper.stop();

    expect(failing[0]).toMatch(/^hardware helper failed 3 starts in a row, last exited \(code 3: hwhelper: cannot open \/proc\/stat\); retrying in/);
  });

  it('kills and restarts a helper that stops printing', async () => {
    const script = fakeHelper('hung', `console.log(${sampleLine}); setInterval(() => {}, 1000);`);
    const states: HelperState[] = [];
    const pids: number[] = [];
    const helper = new HelperProcess({
      helperPath: script,
      intervalMs: 100,
      log: createSilentLogger(),
      backoff: quickBackoff,
      staleAfterMs: 300,
      onSample: () => pids.push(helper.pid ?? 0),
      onStateChange: (state) => states.push(state),
    });

    helper.start();
    await waitUntil(() => new Set(pids).size >= 2);
    await helper.stop();

    expect(states).toContain('stale');
    expect(isAlive(pids[0] ?? 0)).toBe(false);
  });

  it('logs bad lines with control bytes escaped', async () => {
    const logFile = path.join(dir, 'hub.log');
    const script = fakeHelper('noisy', `process.stdout.write('\\x1b[31mred\\x07 ' + 'x'.repeat(500) + '\\n'); setInterval(() => {}, 1000);`);
    const helper = new HelperProcess({ helperPath: script, intervalMs: 100, log: createLogger({ file: logFile }), onSample: () => undefined });

    helper.start();
    await waitUntil(() => helper.badLines >= 1);
    await helper.stop();
    const logged = fs.readFileSync(logFile, 'utf8');

    expect(logged).toContain('line="\\u001b[31mred\\u0007 xxx');
    const controlBytes = [...logged].filter((char) => (char < ' ' && char !== '\n' && char !== '\t') || char === '\x7f');
    expect(controlBytes).toEqual([]);
    expect(logged).not.toContain('x'.repeat(250));
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

  it('switches back to a helper that is restored', async () => {
    const db = openDatabase({ file: path.join(dir, 'hub.db'), migrations: allMigrations, log: createSilentLogger() });
    const helperPath = path.join(dir, 'hwhelper');
    const monitor = new HardwareMonitor({ db, log: createSilentLogger(), helperPath, intervalMs: 100, helperLimits: { missingRecheckMs: 50 } });

    await monitor.start();
    const fallback = monitor.status();
    fs.copyFileSync(realHelper, helperPath);
    fs.chmodSync(helperPath, 0o755);
    await waitUntil(() => monitor.status().source === 'helper');
    await monitor.stop();
    const restored = monitor.status();
    db.close();

    expect(fallback.source).toBe('node');
    expect(fallback.notice).toMatch(/not found/);
    expect(restored.notice).toBeNull();
  });

  it('falls back to Node after repeated failed starts and names the error', async () => {
    const db = openDatabase({ file: path.join(dir, 'hub.db'), migrations: allMigrations, log: createSilentLogger() });
    const script = fakeHelper('broken', `console.error('cannot open /proc/stat'); process.exit(3);`);
    const monitor = new HardwareMonitor({ db, log: createSilentLogger(), helperPath: script, intervalMs: 100, backoff: { initialMs: 10, maxMs: 20, stableMs: 60_000 } });

    await monitor.start();
    await waitUntil(() => monitor.status().source === 'node' && monitor.live(1).length === 1);
    const restartsAtFallback = monitor.status().restarts;
    await waitUntil(() => monitor.status().restarts > restartsAtFallback);
    await monitor.stop();
    const status = monitor.status();
    db.close();

    expect(status.notice).toMatch(/failed \d+ starts in a row, last exited \(code 3: cannot open \/proc\/stat\).*Node only/);
  });
});
