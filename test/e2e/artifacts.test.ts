import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium, openLoopbackPage, saveScreenshot } from './browser';
import { callMlflow, ensureRendererBuilt, startHub, type TestHub } from './hubProcess';

describe('run artifacts', () => {
  let home: string;
  let hub: TestHub;
  let browser: Browser;
  let page: Page;
  let pageErrors: string[];
  let runId: string;

  async function upload(artifactFile: string, body: string): Promise<void> {
    const response = await fetch(`${hub.baseUrl}/api/2.0/mlflow-artifacts/artifacts/0/${runId}/artifacts/${artifactFile}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${hub.token}`, 'content-type': 'text/plain' },
      body,
    });
    if (!response.ok) throw new Error(`upload of ${artifactFile} failed with HTTP ${response.status}: ${await response.text()}`);
  }

  beforeAll(async () => {
    ensureRendererBuilt();
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    hub = await startHub(home);
    const created = await callMlflow<{ run: { info: { run_id: string } } }>(hub, 'runs/create', { experiment_id: '0', run_name: 'with-artifacts' });
    runId = created.run.info.run_id;
    await upload('summary.txt', 'accuracy 0.97\n');
    await upload('plots/loss.csv', 'step,loss\n0,1.5\n');
    browser = await launchChromium();
    ({ page, pageErrors } = await openLoopbackPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('lists folders and files with sizes', async () => {
    await page.goto(`${hub.dashboardUrl}#/run/${runId}`);
    await page.getByTestId('artifact-row').first().waitFor();
    await page.getByTestId('run-artifacts').scrollIntoViewIfNeeded();
    await saveScreenshot(page, 'run-artifacts');

    const rows = await page.getByTestId('artifact-row').allTextContents();
    expect(rows).toEqual(['plots/', 'summary.txt14 B']);
    expect(pageErrors).toEqual([]);
  });

  it('downloads a file with the token', async () => {
    await page.getByTestId('run-artifacts').getByText('plots/').click();
    await page.getByTestId('run-artifacts').getByText('loss.csv').waitFor();

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('run-artifacts').getByText('loss.csv').click()]);
    const savedPath = await download.path();

    expect(download.suggestedFilename()).toBe('loss.csv');
    expect(fs.readFileSync(savedPath, 'utf8')).toBe('step,loss\n0,1.5\n');
  });
});
