import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ServiceInfo } from '../../src/common/methods/services';
import { launchChromium, openLoopbackPage, saveScreenshot } from './browser';
import { callHub, callMlflow, ensureRendererBuilt, startHub, type TestHub } from './hubProcess';

/**
 * The dashboard's hub prefers the managed MLflow server. Its `mlflow` service is
 * an idle Node process, and `trackingServerUrl` points the managed target at a
 * second hub, which serves the MLflow REST API and contains one run.
 */
describe('tracking source label', () => {
  const homes: string[] = [];
  let server: TestHub;
  let hub: TestHub;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureRendererBuilt();
    for (let index = 0; index < 2; index += 1) homes.push(fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-')));
    const [serverHome, hubHome] = homes as [string, string];

    server = await startHub(serverHome);
    await callMlflow(server, 'runs/create', { experiment_id: '0', run_name: 'from-managed-server', start_time: Date.now() });

    const idleService = { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1 << 30)'], port: null, readiness: { type: 'alive', forMs: 0 } };
    const settings = { trackingTarget: 'managed', trackingServerUrl: server.baseUrl, trackingServerTokenFile: path.join(serverHome, 'token'), overrides: { mlflow: idleService } };
    fs.writeFileSync(path.join(hubHome, 'services.json'), JSON.stringify(settings));
    hub = await startHub(hubHome);
    browser = await launchChromium();
    ({ page } = await openLoopbackPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    await server?.stop();
    for (const home of homes) fs.rmSync(home, { recursive: true, force: true });
  });

  it('names the embedded store while mlflow is stopped', async () => {
    await page.goto(hub.dashboardUrl);
    await page.getByTestId('nav-runs').click();
    const label = page.getByTestId('tracking-source');
    await label.waitFor();

    expect(await label.textContent()).toBe('Tracking: embedded store');
    expect(await page.getByText('from-managed-server').count()).toBe(0);
  });

  it('shows runs of the managed server while it runs', async () => {
    await callHub(hub, 'services:start', { name: 'mlflow' });
    for (let attempt = 0; attempt < 200; attempt += 1) {
      const services = await callHub<ServiceInfo[]>(hub, 'services:list', {});
      if (services.some((service) => service.name === 'mlflow' && service.state === 'running')) break;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }

    await page.goto(hub.dashboardUrl);
    await page.getByTestId('nav-runs').click();
    await page.getByText('from-managed-server').first().waitFor({ timeout: 15_000 });
    await saveScreenshot(page, 'tracking-target-managed');

    expect(await page.getByTestId('tracking-source').textContent()).toBe(`Tracking: MLflow server at ${server.baseUrl}`);
  });

  it('labels the Experiments view too', async () => {
    await page.getByTestId('nav-experiments').click();

    expect(await page.getByTestId('tracking-source').textContent()).toBe(`Tracking: MLflow server at ${server.baseUrl}`);
  });
});
