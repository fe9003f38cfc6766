import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

/** Resolves with the first stdout line of `child`; rejects if it exits first. */
function readFirstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    if (!child.stdout) throw new Error('the child has no stdout pipe');

    readline.createInterface({ input: child.stdout }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`start.mjs exited with status ${code} before printing a line`)));
  });
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null) return Promise.resolve(child.exitCode);

  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}

describe('npm start', () => {
  let home: string;
  let child: ChildProcess | null;
  let stderr: string;

  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    stderr = '';
    child = null;
  });

  afterEach(async () => {
    if (child && child.exitCode === null) {
      child.kill('SIGTERM');
      await waitForExit(child);
    }
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('starts the headless hub on Linux', { timeout: 180_000 }, async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, MLOPS_HUB_HOME: home };
    delete env['DISPLAY'];
    delete env['WAYLAND_DISPLAY'];
    delete env['MLOPS_HUB_HEADLESS'];
    child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs'), '--port', '0'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

    const firstLine = await readFirstLine(child);
    const url = new URL(firstLine);
    const page = await fetch(new URL('/', url));
    const body = await page.text();

    expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    expect(stderr).toContain('start: starting the headless hub because');
    expect(page.status).toBe(200);
    expect(body).toContain('<div id="root">');

    child.kill('SIGTERM');
    const status = await waitForExit(child);

    expect(status).toBe(0);
    await expect(fetch(new URL('/', url))).rejects.toThrow();
  });

  it('falls back to headless when the app build fails', { timeout: 180_000 }, async () => {
    // electron's index.js returns ELECTRON_OVERRIDE_DIST_PATH/electron without checking its download,
    // so this fake binary makes start.mjs choose the app. Without Electron headers configured,
    // the native rebuild in `npm run build:app` fails before anything is launched.
    const fakeDist = path.join(home, 'electron-dist');
    fs.mkdirSync(fakeDist);
    fs.writeFileSync(path.join(fakeDist, 'electron'), '#!/bin/sh\necho "fake electron must not run" >&2\nexit 3\n', { mode: 0o755 });
    const env: NodeJS.ProcessEnv = { ...process.env, MLOPS_HUB_HOME: home, DISPLAY: ':99', ELECTRON_OVERRIDE_DIST_PATH: fakeDist };
    delete env['ELECTRON_HEADERS_DIR'];
    delete env['ELECTRON_HEADERS_URL'];
    delete env['MLOPS_HUB_HEADLESS'];
    child = spawn(process.execPath, [path.join(root, 'scripts/start.mjs'), '--port', '0'], { cwd: root, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

    const firstLine = await readFirstLine(child);

    expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    expect(stderr).toContain('rebuildElectronNative: no source for Electron headers');
    expect(stderr).toContain('start: starting the headless hub because `npm run build:app` failed');
    expect(stderr).not.toContain('fake electron must not run');
  });
});
