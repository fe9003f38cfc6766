import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium, openLoopbackPage, saveScreenshot } from './browser';
import { callMlflow, ensureRendererBuilt, startHub, type TestHub } from './hubProcess';

const runCount = 10_000;
/** Requests in flight at once while creating runs. */
const concurrency = 32;
/** The virtualized table renders the rows in view plus a small overscan; far fewer than this. */
const maxRenderedRows = 100;

function runName(index: number): string {
  return `bulk-${String(index).padStart(5, '0')}`;
}

/** Runs per `bucket` tag value, so that a filter on one bucket matches this many runs. */
const runsPerBucket = 5;

/**
 * Creates `runCount` finished runs in one experiment through the MLflow REST
 * API, each tagged with its bucket. Each run is ended right away because the
 * hub follows every RUNNING run (it logs system metrics for it).
 */
async function createRuns(hub: TestHub, experimentId: string): Promise<void> {
  const startTime = Date.now() - runCount * 1000;
  const bucketCount = runCount / runsPerBucket;

  for (let first = 0; first < runCount; first += concurrency) {
    const batch = Array.from({ length: Math.min(concurrency, runCount - first) }, (_, offset) => first + offset);
    await Promise.all(batch.map((index) => createFinishedRun(hub, experimentId, index, startTime + index * 1000, String(index % bucketCount))));
  }
}

async function createFinishedRun(hub: TestHub, experimentId: string, index: number, startTime: number, bucket: string): Promise<void> {
  const { run } = await callMlflow<{ run: { info: { run_id: string } } }>(hub, 'runs/create', {
    experiment_id: experimentId,
    run_name: runName(index),
    start_time: startTime,
    tags: [{ key: 'bucket', value: bucket }],
  });
  await callMlflow(hub, 'runs/update', { run_id: run.info.run_id, status: 'FINISHED', end_time: startTime + 500 });
}

function countRenderedRows(page: Page): Promise<number> {
  return page.getByTestId('run-row').count();
}

describe('RunsTable', () => {
  let home: string;
  let hub: TestHub;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    ensureRendererBuilt();
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    hub = await startHub(home);
    const { experiment_id: experimentId } = await callMlflow<{ experiment_id: string }>(hub, 'experiments/create', { name: 'bulk-runs' });
    await createRuns(hub, experimentId);
    browser = await launchChromium();
    ({ page } = await openLoopbackPage(browser));
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await hub?.stop();
    if (home) fs.rmSync(home, { recursive: true, force: true });
  });

  it('tells a new user how to add a project', async () => {
    await page.goto(hub.dashboardUrl);
    const emptyState = page.getByTestId('empty-state');
    await emptyState.waitFor();
    await saveScreenshot(page, 'dashboard-no-projects');

    expect(await emptyState.textContent()).toContain('mlops-hub init');
  });

  it('renders only the visible rows of 10,000 runs', async () => {
    await page.getByTestId('nav-experiments').click();
    await page.getByTestId('experiment-row').filter({ hasText: 'bulk-runs' }).click();
    await page.getByText(`${runCount} runs`).waitFor();
    await saveScreenshot(page, 'runs-table-10000-top');

    expect(await page.getByTestId('runs-table').getAttribute('data-row-count')).toBe(String(runCount));
    expect(await countRenderedRows(page)).toBeLessThan(maxRenderedRows);
    expect(await page.locator('[data-testid="run-row"]').first().getAttribute('data-run-name')).toBe(runName(runCount - 1));
  });

  it('renders the last rows after scrolling to the bottom', async () => {
    await page.getByTestId('runs-table').evaluate((element) => element.scrollTo({ top: element.scrollHeight }));
    const oldest = page.locator(`[data-testid="run-row"][data-run-name="${runName(0)}"]`);
    await oldest.waitFor();
    await saveScreenshot(page, 'runs-table-10000-bottom');

    expect(await oldest.isVisible()).toBe(true);
    expect(await countRenderedRows(page)).toBeLessThan(maxRenderedRows);
  });

  it('sorts all 10,000 runs by name', async () => {
    await page.getByTestId('runs-table').evaluate((element) => element.scrollTo({ top: 0 }));
    await page.locator('[data-testid="runs-column-header"][data-column="attributes.run_name"]').click();
    const firstRow = page.locator('[data-testid="run-row"]').first();
    await expect.poll(() => firstRow.getAttribute('data-run-name')).toBe(runName(0));

    expect(await countRenderedRows(page)).toBeLessThan(maxRenderedRows);
  });

  it('filters with an MLflow search filter', async () => {
    await page.getByTestId('runs-filter').fill("tags.bucket = '7'");
    await page.getByTestId('runs-filter').press('Enter');
    await page.getByText(`${runsPerBucket} runs`).waitFor();

    expect(await countRenderedRows(page)).toBe(runsPerBucket);
  });

  it('shows the hub error for an invalid filter', async () => {
    await page.getByTestId('runs-filter').fill('tags.bucket >>> 1');
    await page.getByTestId('runs-filter').press('Enter');
    const notice = page.getByTestId('error-notice');
    await notice.waitFor();
    await saveScreenshot(page, 'runs-table-invalid-filter');

    expect(await notice.textContent()).toContain('>>>');
    expect(await countRenderedRows(page)).toBe(0);
  });
});
