import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { type HardwareSample, type HardwareStatus } from '../../../src/common/methods/hardware';
import { createHub, type Hub } from '../../../src/main/core/hub';
import { createSilentLogger } from '../../../src/main/core/logger';
import { postMethod, sendRequest } from '../api/httpClient';

const internal = { transport: 'internal' } as const;
let home: string;
let hub: Hub;

/** A replayed sample: 10 W CPU, 5 W GPU, 1 W Neural Engine over a 100 ms window. */
const recorded: HardwareSample = {
  timestampMs: 1_700_000_000_000,
  intervalMs: 100,
  cpuClusters: [{ name: 'P-Cluster', cores: 4, usageRatio: 0.5, freqMhz: 3000 }],
  cpuUsageRatio: 0.5,
  cpuPowerWatts: 10,
  gpuPowerWatts: 5,
  anePowerWatts: 1,
  gpuActiveRatio: 0.9,
  gpuFreqMhz: 1398,
  cpuTempCelsius: 62,
  gpuTempCelsius: 58,
  thermalPressure: 'nominal',
  memoryTotalBytes: 32e9,
  memoryUsedBytes: 16e9,
  memoryCachedBytes: 4e9,
  swapTotalBytes: 0,
  swapUsedBytes: 0,
  memoryPressure: 'normal',
  memoryStallRatio: null,
};

beforeEach(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  process.env['MLOPS_HUB_HOME'] = home;
  const trace = path.join(home, 'trace.jsonl');
  fs.writeFileSync(trace, `${JSON.stringify(recorded)}\n`);
  hub = await createHub({
    dataDir: home,
    log: createSilentLogger(),
    listen: { port: 0, staticDir: path.join(home, 'no-build') },
    hardware: { intervalMs: 100, replayFile: trace, helperPath: path.join(home, 'absent') },
  });
});

afterEach(async () => {
  await hub.close();
  fs.rmSync(home, { recursive: true, force: true });
});

async function mlflow(endpoint: string, body: unknown, method = 'POST'): Promise<Record<string, unknown>> {
  const query = method === 'GET' ? `?${new URLSearchParams(body as Record<string, string>).toString()}` : '';
  const response = await sendRequest(
    { socketPath: hub.paths.socketPath },
    { method, path: `/api/2.0/mlflow/${endpoint}${query}`, headers: { 'Content-Type': 'application/json' }, body: method === 'GET' ? undefined : JSON.stringify(body) },
  );
  if (response.status !== 200) throw new Error(`${endpoint} returned ${response.status}: ${response.text}`);

  return response.json() as Record<string, unknown>;
}

async function runData(runId: string): Promise<{ metrics: Record<string, number>; tags: Record<string, string> }> {
  const { run } = (await mlflow('runs/get', { run_id: runId }, 'GET')) as { run: { data: { metrics?: { key: string; value: number }[]; tags?: { key: string; value: string }[] } } };

  return {
    metrics: Object.fromEntries((run.data.metrics ?? []).map((metric) => [metric.key, metric.value])),
    tags: Object.fromEntries((run.data.tags ?? []).map((tag) => [tag.key, tag.value])),
  };
}

async function waitUntil(predicate: () => Promise<boolean> | boolean): Promise<void> {
  while (!(await predicate())) await new Promise((resolve) => setTimeout(resolve, 50));
}

describe('hardware in a serving hub', () => {
  it('logs system metrics and energy to a running run', async () => {
    const { experiment_id: experimentId } = (await mlflow('experiments/create', { name: 'energy' })) as { experiment_id: string };
    const { run } = (await mlflow('runs/create', { experiment_id: experimentId })) as { run: { info: { run_id: string } } };
    const runId = run.info.run_id;

    await waitUntil(async () => (await runData(runId)).metrics['system/cpu_power_watts'] !== undefined);
    await new Promise((resolve) => setTimeout(resolve, 300));
    await mlflow('runs/update', { run_id: runId, status: 'FINISHED', end_time: Date.now() });
    const { metrics, tags } = await runData(runId);

    expect(metrics['system/cpu_power_watts']).toBe(10);
    expect(metrics['system/gpu_0_power_usage_watts']).toBe(5);
    expect(metrics['system/ane_power_watts']).toBe(1);
    expect(metrics['system/cpu_utilization_percentage']).toBe(50);
    expect(metrics['system/system_memory_usage_megabytes']).toBe(16_000);
    expect(metrics['system/cpu_temperature_celsius']).toBe(62);
    // 16 W counted only between start_time and end_time, so never more than 16 W times the run's duration.
    const { run: finished } = (await mlflow('runs/get', { run_id: runId }, 'GET')) as { run: { info: { start_time: number | string; end_time: number | string } } };
    const durationSeconds = (Number(finished.info.end_time) - Number(finished.info.start_time)) / 1000;
    expect(metrics['system/energy_joules']).toBeGreaterThanOrEqual(16 * 0.2);
    expect(metrics['system/energy_joules']).toBeLessThanOrEqual(16 * durationSeconds + 1e-9);
    expect(tags['mlops_hub.hardware.os']).toBeDefined();
  });

  it('finds runs by energy in search', async () => {
    const { experiment_id: experimentId } = (await mlflow('experiments/create', { name: 'search' })) as { experiment_id: string };
    const { run } = (await mlflow('runs/create', { experiment_id: experimentId })) as { run: { info: { run_id: string } } };
    await waitUntil(async () => ((await runData(run.info.run_id)).metrics['system/energy_joules'] ?? 0) > 0);

    const found = (await mlflow('runs/search', { experiment_ids: [experimentId], filter: 'metrics.`system/energy_joules` > 0', order_by: ['metrics.`system/energy_joules` DESC'] })) as { runs?: unknown[] };

    expect(found.runs).toHaveLength(1);
  });

  it('serves hardware methods and gauges', async () => {
    await waitUntil(async () => ((await hub.call('hardware:live', { count: 5 }, internal)) as HardwareSample[]).length >= 2);

    const status = (await hub.call('hardware:info', {}, internal)) as HardwareStatus;
    const history = await postMethod({ socketPath: hub.paths.socketPath }, 'hardware:history', { fromMs: 0, toMs: Date.now() + 60_000 });
    const badRange = await postMethod({ socketPath: hub.paths.socketPath }, 'hardware:history', { fromMs: 10, toMs: 5 });
    const scrape = await sendRequest({ port: hub.port ?? 0 }, { path: '/metrics', headers: { Authorization: `Bearer ${hub.token}` } });

    expect(status.source).toBe('replay');
    expect(status.notice).toMatch(/replaying 1 recorded samples/);
    expect(history.status).toBe(200);
    expect((history.json() as { values: Record<string, unknown> }[])[0]?.values['cpuPowerWatts']).toMatchObject({ min: 10, max: 10 });
    expect(badRange.status).toBe(400);
    expect(scrape.text).toMatch(/^hub_hardware_cpu_power_watts 10$/m);
    expect(scrape.text).toMatch(/^hub_hardware_thermal_pressure\{level="nominal"\} 1$/m);
  });
});
