import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { LeaseView } from '../../src/common/methods/leases';
import { pickFreePort } from '../../src/main/core/services/portCheck';
import { launchChromium, openLoopbackPage, saveScreenshot } from './browser';
import { callHub, ensureRendererBuilt, runCli, startHub, type TestHub } from './hubProcess';

const project = 'ops-demo';
const serviceName = `${project}.web`;
const missingProgram = 'mlops-hub-test-no-such-program';

/** Writes a project whose `mlops.yaml` declares `python3 -m http.server` on `port`, a service whose program does not exist and one that crashes at once. */
function writeProject(projectDir: string, port: number): void {
  const yaml = [
    `name: ${project}`,
    'description: serves a folder over HTTP',
    'services:',
    '  web:',
    '    description: python3 -m http.server',
    '    command: python3',
    '    args: [-m, http.server, "{port}", --bind, 127.0.0.1]',
    `    port: ${port}`,
    '    readiness: { type: http, url: "http://127.0.0.1:{port}/" }',
    '  missing:',
    `    command: ${missingProgram}`,
    '  crasher:',
    '    command: python3',
    `    args: [-c, "import sys; print('loading model', flush=True); sys.exit(3)"]`,
    '    backoff: { max_restarts: 1 }',
    '',
  ];
  fs.writeFileSync(path.join(projectDir, 'mlops.yaml'), yaml.join('\n'));
}

describe('operations views', () => {
  let home: string;
  let projectDir: string;
  let port: number;
  let hub: TestHub;
  let browser: Browser;
  let page: Page;
  let blockedUrls: string[];

  beforeAll(async () => {
    ensureRendererBuilt();
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    projectDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    port = await pickFreePort();
    writeProject(projectDir, port);
    hub = await startHub(home);
    runCli(hub, ['projects', 'add', projectDir]);
    browser = await launchChromium();
    ({ page, blockedUrls } = await openLoopbackPage(browser));
    await page.goto(hub.dashboardUrl);
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    for (const dir of [home, projectDir]) if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('starts a project service and shows its process and log', async () => {
    await page.getByTestId('nav-services').click();
    const row = page.locator(`[data-testid="service-row"][data-service="${serviceName}"]`);
    await row.waitFor();
    expect(await row.getAttribute('data-state')).toBe('stopped');

    await row.getByTestId('service-start').click();
    await page.locator(`[data-testid="service-row"][data-service="${serviceName}"][data-state="running"]`).waitFor({ timeout: 30_000 });
    await row.getByTestId('service-logs-button').click();
    await page.getByTestId('service-log-lines').getByText('GET / HTTP').first().waitFor({ timeout: 15_000 });
    await row.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'operations-services');

    expect(Number(await row.getByTestId('service-pid').textContent())).toBeGreaterThan(1);
    expect(await row.getByTestId('service-link').getAttribute('href')).toContain(`:${port}`);
    expect(await row.getByTestId('service-memory').textContent()).toMatch(/\d+(\.\d)? [MG]iB/);
  });

  it('marks a service whose program is missing as not installed', async () => {
    const row = page.locator(`[data-testid="service-row"][data-service="${project}.missing"]`);
    const hint = page.locator(`[data-testid="service-row"][data-service="${project}.missing"] + tr [data-testid="service-install"]`);
    await hint.click();
    await hint.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'operations-services-not-installed');

    expect(await row.getAttribute('data-state')).toBe('not-installed');
    expect(await hint.textContent()).toContain(missingProgram);
    expect(await row.getByTestId('service-start').isDisabled()).toBe(true);
  });

  it('stops the service from its row', async () => {
    const row = page.locator(`[data-testid="service-row"][data-service="${serviceName}"]`);
    await row.getByTestId('service-stop').click();
    await page.locator(`[data-testid="service-row"][data-service="${serviceName}"][data-state="stopped"]`).waitFor({ timeout: 30_000 });

    expect(await row.getByTestId('service-pid').textContent()).toBe('–');
  });

  it('shows the lines a crash-looping service printed', async () => {
    const row = page.locator(`[data-testid="service-row"][data-service="${project}.crasher"]`);
    await row.getByTestId('service-start').click();
    await page.locator(`[data-testid="service-row"][data-service="${project}.crasher"][data-state="failed"]`).waitFor({ timeout: 30_000 });
    await row.getByTestId('service-logs-button').click();
    const crashLines = page.getByTestId('service-crash-lines');
    await crashLines.waitFor();
    await crashLines.scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'operations-services-crash');

    expect(await crashLines.textContent()).toContain('loading model');
    expect(await page.locator(`[data-testid="service-row"][data-service="${project}.crasher"] + tr`).textContent()).toContain('exit');
  });

  it('charts live hardware samples of this machine', async () => {
    await page.getByTestId('nav-hardware').click();
    await page.locator('[data-testid="hardware-live"]').waitFor({ timeout: 30_000 });
    // Samples arrive once a second; wait for a few pushed ones so that the charts draw lines.
    await page.waitForFunction(() => Number(document.querySelector('[data-testid="hardware-live"]')?.getAttribute('data-sample-count')) >= 4, undefined, { timeout: 30_000 });
    await page.locator('[data-testid="live-memory"] path.recharts-line-curve').first().waitFor();
    await saveScreenshot(page, 'operations-hardware');

    expect(await page.getByTestId('hardware-source').textContent()).toMatch(/native helper|fallback sampler/);
    expect(await page.getByTestId('hardware-chip').textContent()).not.toBe('');
    expect(await page.getByTestId('hardware-latest').textContent()).toContain('CPU');
    expect(await page.getByTestId('hardware-range').locator('button').count()).toBe(4);
  });

  it('shows a granted lease and a queued one with its reason', async () => {
    const granted = await callHub<LeaseView>(hub, 'leases:request', { project, pid: process.pid, resources: { gpuShare: 1 }, label: 'train-a', ttlMs: 120_000 });
    const queued = await callHub<LeaseView>(hub, 'leases:request', { project: 'default', pid: process.pid, resources: { gpuShare: 1 }, label: 'train-b', ttlMs: 120_000 });
    expect(granted.state).toBe('granted');
    expect(queued.state).toBe('queued');

    await page.getByTestId('nav-leases').click();
    const heldRow = page.locator(`[data-testid="held-lease-row"][data-lease-id="${granted.leaseId}"]`);
    await heldRow.waitFor();
    const queuedRow = page.locator(`[data-testid="queued-lease-row"][data-lease-id="${queued.leaseId}"]`);
    await queuedRow.waitFor();
    await saveScreenshot(page, 'operations-leases');

    expect(await heldRow.getAttribute('data-project')).toBe(project);
    expect(await heldRow.getByTestId('lease-resources').textContent()).toBe('GPU 100 %');
    expect(await queuedRow.getByTestId('queue-reason').textContent()).not.toBe('–');
    expect(await page.getByTestId('lease-queue-length').textContent()).toBe('1');
  });

  it('moves the queued lease up live when the holder releases', async () => {
    const overview = await callHub<{ leases: LeaseView[] }>(hub, 'leases:list', {});
    const holder = overview.leases.find((lease) => lease.label === 'train-a');
    await callHub(hub, 'leases:release', { leaseId: holder?.leaseId, project });

    await page.locator('[data-testid="held-lease-row"][data-project="default"]').waitFor();

    expect(await page.getByTestId('lease-queue-length').textContent()).toBe('0');
    expect(await page.getByTestId('lease-queue-empty').count()).toBe(1);
  });

  it('loads nothing beyond 127.0.0.1', () => {
    expect(blockedUrls).toEqual([]);
  });
});
