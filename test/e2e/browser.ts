import fs from 'node:fs';
import path from 'node:path';

import { chromium, type Browser, type Page } from 'playwright-core';

import { repoRoot } from './hubProcess';

export const screenshotDir = path.join(repoRoot, 'test-results');

/** Launches Debian's Chromium headless, with everything that would reach beyond this machine turned off. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
}

/** A page with what went wrong in it so far. */
export interface WatchedPage {
  page: Page;
  /** Requests to anything but 127.0.0.1, which were aborted. */
  blockedUrls: string[];
  cspViolations: string[];
  /** Uncaught exceptions and console errors, except failed HTTP requests (a 400 reply is an expected test case). */
  pageErrors: string[];
}

/**
 * Opens a page that may load only 127.0.0.1 addresses: any other request is
 * aborted and recorded, and so are CSP violations and script errors.
 */
export async function openLoopbackPage(browser: Browser): Promise<WatchedPage> {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  const blockedUrls: string[] = [];
  const cspViolations: string[] = [];
  const pageErrors: string[] = [];

  await page.route('**/*', (route) => {
    const url = new URL(route.request().url());
    if (url.protocol === 'data:' || url.hostname === '127.0.0.1') return route.continue();

    blockedUrls.push(url.href);
    return route.abort();
  });
  page.on('console', (message) => {
    const text = message.text();
    if (text.includes('Content Security Policy')) cspViolations.push(text);
    else if (message.type() === 'error' && !text.startsWith('Failed to load resource')) pageErrors.push(text);
  });
  page.on('pageerror', (error) => pageErrors.push(error.message));

  return { page, blockedUrls, cspViolations, pageErrors };
}

export async function saveScreenshot(page: Page, name: string): Promise<void> {
  fs.mkdirSync(screenshotDir, { recursive: true });
  await page.screenshot({ path: path.join(screenshotDir, `${name}.png`), fullPage: false });
}

/** Number of points in an SVG path drawn by recharts' linear curve: one `M` or `L` command per point. */
export function countPathPoints(d: string | null): number {
  return (d ?? '').match(/[ML]/g)?.length ?? 0;
}
