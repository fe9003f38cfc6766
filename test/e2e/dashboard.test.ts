import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { countPathPoints, launchChromium, openLoopbackPage, saveScreenshot } from './browser';
import { ensureRendererBuilt, repoRoot, runCli, startHub, type TestHub } from './hubProcess';

const exampleDir = path.join(repoRoot, 'examples/digits-classifier');
const epochs = 20;

/** One line of train.py's output: `setting=1 run_id=<id> final_val_accuracy=0.9444`. */
interface TrainedRun {
  setting: number;
  runId: string;
  finalValAccuracy: string;
}

function trainExample(hub: TestHub, extraArgs: string[] = []): TrainedRun[] {
  const result = spawnSync('/usr/bin/python3', ['train.py', '--epochs', String(epochs), ...extraArgs], {
    cwd: exampleDir,
    env: { ...hub.env, MLOPS_HUB_URL: hub.baseUrl, MLOPS_HUB_TOKEN: hub.token },
    encoding: 'utf8',
    timeout: 120_000,
  });
  if (result.status !== 0) throw new Error(`train.py failed with code ${result.status}:\n${result.stdout}\n${result.stderr}`);

  return [...result.stdout.matchAll(/^setting=(\d+) run_id=(\S+) final_val_accuracy=([\d.]+)$/gm)].map((match) => ({
    setting: Number(match[1]),
    runId: match[2] ?? '',
    finalValAccuracy: match[3] ?? '',
  }));
}

describe('dashboard', () => {
  let home: string;
  let hub: TestHub;
  let browser: Browser;
  let page: Page;
  let blockedUrls: string[];
  let cspViolations: string[];
  let pageErrors: string[];
  let trained: TrainedRun[];

  beforeAll(async () => {
    ensureRendererBuilt();
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    hub = await startHub(home);
    runCli(hub, ['projects', 'add', exampleDir]);
    trained = trainExample(hub);
    browser = await launchChromium();
    ({ page, blockedUrls, cspViolations, pageErrors } = await openLoopbackPage(browser));
  });

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('lists the registered project with its runs', async () => {
    await page.goto(hub.dashboardUrl);
    const row = page.locator('[data-testid="project-row"][data-project="digits-classifier"]');
    await row.waitFor();
    await saveScreenshot(page, 'dashboard-projects');

    expect(trained).toHaveLength(3);
    expect(await row.getByTestId('project-run-count').textContent()).toBe('3');
    expect(page.url()).not.toContain('token=');
  });

  it('filters experiments by project', async () => {
    await page.getByTestId('nav-experiments').click();
    await page.getByTestId('experiment-row').filter({ hasText: 'digits-classifier' }).first().waitFor();
    const allCount = await page.getByTestId('experiment-row').count();
    await page.getByTestId('experiments-project-filter').selectOption('digits-classifier');
    await saveScreenshot(page, 'dashboard-experiments');

    expect(allCount).toBeGreaterThan(1);
    expect(await page.getByTestId('experiment-row').count()).toBe(1);
    expect(await page.getByTestId('experiment-run-count').first().textContent()).toBe('3');
  });

  it('shows each printed validation accuracy', async () => {
    await page.getByTestId('nav-projects').click();
    await page.locator('[data-testid="project-row"][data-project="digits-classifier"]').click();
    await page.getByTestId('run-row').nth(2).waitFor();
    await saveScreenshot(page, 'dashboard-runs');

    expect(await page.getByTestId('run-row').count()).toBe(3);
    for (const run of trained) {
      const cell = page.locator(`[data-testid="run-row"][data-run-id="${run.runId}"] [data-column="metrics.val_accuracy"]`);
      expect(Number(await cell.textContent()).toFixed(4), `setting ${run.setting}`).toBe(run.finalValAccuracy);
    }
  });

  it('draws every logged point of a run chart', async () => {
    const first = trained[0];
    await page.locator(`[data-testid="run-row"][data-run-id="${first?.runId}"]`).click();
    const curve = page.locator('[data-testid="metric-chart"][data-metric-key="val_accuracy"] path.recharts-line-curve');
    await curve.waitFor();
    await saveScreenshot(page, 'dashboard-run-detail');

    expect(countPathPoints(await curve.getAttribute('d'))).toBe(epochs);
    expect(await page.locator('[data-testid="metric-chart"][data-metric-key="val_accuracy"] .recharts-line-dot').count()).toBe(epochs);
    expect(await page.getByTestId('run-params').textContent()).toContain('log_loss');

    await page.getByTestId('axis-toggle').getByText('Time').click();
    await page.locator('[data-testid="metric-chart"][data-metric-key="val_accuracy"][data-x-axis="time"]').waitFor();
    await saveScreenshot(page, 'dashboard-run-detail-time');

    expect(countPathPoints(await curve.getAttribute('d'))).toBe(epochs);
    await page.getByTestId('axis-toggle').getByText('Step').click();
  });

  it('keeps the open run across a reload', async () => {
    await page.reload();
    await page.getByTestId('run-title').waitFor();

    expect(await page.getByTestId('run-title').textContent()).toBe('setting-1-log_loss');
    expect(page.url()).toContain(`#/run/${trained[0]?.runId}`);
  });

  it('overlays both curves when comparing two runs', async () => {
    await page.getByTestId('nav-runs').click();
    for (const run of trained.slice(0, 2)) await page.locator(`[data-testid="run-row"][data-run-id="${run.runId}"] [data-testid="compare-checkbox"]`).check();
    await page.getByTestId('compare-button').click();
    const curves = page.locator('[data-testid="metric-chart"][data-metric-key="val_accuracy"] path.recharts-line-curve');
    await curves.nth(1).waitFor();
    await saveScreenshot(page, 'dashboard-compare');

    expect(await curves.count()).toBe(2);
    for (const index of [0, 1]) expect(countPathPoints(await curves.nth(index).getAttribute('d'))).toBe(epochs);
    const lossRow = page.locator('[data-testid="param-diff-row"]', { hasText: 'loss' }).first();
    expect(await lossRow.getAttribute('data-differs')).toBe('true');
  });

  it('adds a new run to the open table live', async () => {
    await page.getByTestId('nav-runs').click();
    await page.getByTestId('run-row').nth(2).waitFor();

    const [extra] = trainExample(hub, ['--setting', '3']);
    const row = page.locator(`[data-testid="run-row"][data-run-id="${extra?.runId}"]`);
    await row.waitFor();
    await saveScreenshot(page, 'dashboard-live-run');

    expect(await page.getByTestId('run-row').count()).toBe(4);
    expect(Number(await row.locator('[data-column="metrics.val_accuracy"]').textContent()).toFixed(4)).toBe(extra?.finalValAccuracy);
  });

  it('shows a bad project path inline', async () => {
    const missing = path.join(home, 'no-such-folder');
    await page.getByTestId('nav-projects').click();
    await page.getByTestId('add-project-path').fill(missing);
    await page.getByTestId('add-project-submit').click();
    const error = page.getByTestId('add-project-error');
    await error.waitFor();
    await saveScreenshot(page, 'dashboard-add-project-error');

    expect(await error.textContent()).toContain(missing);
    expect(await page.getByTestId('project-row').count()).toBe(2);
  });

  it('explains a missing or wrong token', async () => {
    const { page: other } = await openLoopbackPage(browser);
    await other.goto(`${hub.baseUrl}/`);
    await other.getByTestId('token-screen').waitFor();
    await saveScreenshot(other, 'dashboard-no-token');

    expect(await other.getByTestId('token-screen').textContent()).toContain('mlops-hub status');

    await other.goto(`${hub.baseUrl}/?token=not-the-token`);
    await other.getByText('no longer valid').waitFor();

    expect(await other.getByTestId('token-screen').textContent()).toContain('mlops-hub serve');
    await other.close();
  });

  it('stays on loopback without page errors', () => {
    expect(blockedUrls).toEqual([]);
    expect(cspViolations).toEqual([]);
    expect(pageErrors).toEqual([]);
  });
});
