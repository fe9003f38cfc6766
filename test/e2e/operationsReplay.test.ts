import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { HardwareSample, ThermalPressure } from '../../src/common/methods/hardware';
import { countPathPoints, launchChromium, openLoopbackPage, saveScreenshot } from './browser';
import { callHub, callMlflow, ensureRendererBuilt, startHub, type TestHub } from './hubProcess';

const thermalLevels: ThermalPressure[] = ['nominal', 'nominal', 'nominal', 'moderate', 'moderate', 'heavy', 'heavy', 'heavy'];

/**
 * Writes a helper trace shaped like an Apple Silicon machine under a growing
 * load: power and temperatures rise while thermal pressure goes from nominal
 * to heavy. The figures are made up for the test, within M-series ranges.
 */
function writeTrace(file: string): void {
  const lines = thermalLevels.map((thermalPressure, index): HardwareSample => ({
    timestampMs: 1_700_000_000_000 + index * 1000,
    intervalMs: 1000,
    cpuClusters: [{ name: 'P', cores: 8, usageRatio: 0.4 + index * 0.05, freqMhz: 3200 }],
    cpuUsageRatio: 0.4 + index * 0.05,
    cpuPowerWatts: 6 + index,
    gpuPowerWatts: 3 + index * 1.5,
    anePowerWatts: index % 2 === 0 ? 0.5 : 0,
    gpuActiveRatio: 0.3 + index * 0.08,
    gpuFreqMhz: 1200,
    cpuTempCelsius: 48 + index * 3,
    gpuTempCelsius: 45 + index * 3,
    thermalPressure,
    memoryTotalBytes: 32 * 2 ** 30,
    memoryUsedBytes: (14 + index) * 2 ** 30,
    memoryCachedBytes: 6 * 2 ** 30,
    swapTotalBytes: 2 * 2 ** 30,
    swapUsedBytes: 0,
    memoryPressure: 'normal',
    memoryStallRatio: null,
  }));
  fs.writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n'));
}

describe('Hardware and Leases views replaying a trace', () => {
  let home: string;
  let hub: TestHub;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureRendererBuilt();
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    const trace = path.join(home, 'trace.jsonl');
    writeTrace(trace);
    hub = await startHub(home, { MLOPS_HUB_HW_REPLAY: trace });
    browser = await launchChromium();
    ({ page } = await openLoopbackPage(browser));
    await page.goto(hub.dashboardUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('says the samples are replayed', async () => {
    await page.getByTestId('nav-hardware').click();
    const notice = page.getByTestId('hardware-notice');
    await notice.waitFor({ timeout: 30_000 });

    expect(await notice.textContent()).toContain('not live readings');
    expect(await page.getByTestId('hardware-source').textContent()).toContain('replayed trace');
  });

  it('charts power, temperature and the rise to heavy pressure', async () => {
    // The replay sends one sample a second; the thermal chart needs the heavy ones, the 6th to 8th.
    await page.waitForFunction((count) => Number(document.querySelector('[data-testid="hardware-live"]')?.getAttribute('data-sample-count')) >= count, thermalLevels.length, { timeout: 60_000 });
    await page.locator('[data-testid="live-thermal"] path.recharts-line-curve').waitFor();
    await saveScreenshot(page, 'operations-hardware-replay');
    await page.getByTestId('live-thermal').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'operations-hardware-replay-thermal');

    expect(await page.locator('[data-testid="live-power"] path.recharts-line-curve').count()).toBe(3);
    expect(await page.locator('[data-testid="live-temperature"] path.recharts-line-curve').count()).toBe(2);
    expect(countPathPoints(await page.locator('[data-testid="live-thermal"] path.recharts-line-curve').getAttribute('d'))).toBeGreaterThanOrEqual(3);
    expect(await page.getByTestId('hardware-latest').textContent()).toMatch(/package \d+\.\d W/);
  });

  it('shows the arbiter holding back a low-priority lease under heavy pressure', async () => {
    const lease = await callHub<{ leaseId: string }>(hub, 'leases:request', { pid: process.pid, resources: { gpuShare: 0.5 }, priority: 'low', preemptible: true, label: 'low-priority-train', ttlMs: 120_000 });

    await page.getByTestId('nav-leases').click();
    await page.getByTestId('lease-thermal-events').getByText('heavy').waitFor({ timeout: 30_000 });
    const row = page.locator(`[data-lease-id="${lease.leaseId}"]`);
    await page.waitForFunction((leaseId) => /pause|thermal|heavy/i.test(document.querySelector(`[data-lease-id="${leaseId}"]`)?.textContent ?? ''), lease.leaseId, { timeout: 30_000 });
    await saveScreenshot(page, 'operations-leases-thermal');

    expect(await row.textContent()).toMatch(/pause|thermal|heavy/i);
  });

  it('shows the energy a run used in the runs table', async () => {
    const { run } = await callMlflow<{ run: { info: { run_id: string } } }>(hub, 'runs/create', { experiment_id: '0', run_name: 'energy-check', start_time: Date.now() });
    // The hub logs a system/ point per replayed sample (one a second) while the run is RUNNING.
    await new Promise((resolve) => setTimeout(resolve, 3000));
    await callMlflow(hub, 'runs/update', { run_id: run.info.run_id, status: 'FINISHED', end_time: Date.now() });

    await page.getByTestId('nav-runs').click();
    const header = page.locator('[data-testid="runs-column-header"][data-column="metrics.system/energy_joules"]');
    await header.waitFor();
    const cell = page.locator(`[data-testid="run-row"][data-run-id="${run.info.run_id}"] [data-column="metrics.system/energy_joules"]`);
    await cell.waitFor();
    await saveScreenshot(page, 'operations-runs-energy');

    expect(await header.textContent()).toContain('Energy (J)');
    expect(Number(await cell.textContent())).toBeGreaterThan(0);
  });
});
