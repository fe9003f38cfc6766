import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const root = path.resolve(import.meta.dirname, '../../..');

/**
 * Stands in for `npm start`: starts start.mjs, prints its pid, and stays
 * alive, never forwarding a signal, as npm's `sh -c` does.
 */
const parentScript = `
const { spawn } = require('node:child_process');
const child = spawn(process.execPath, [process.argv[1], '--', '--port', '0'], { stdio: ['ignore', 'inherit', 'inherit'] });
console.log('start pid ' + child.pid);
setInterval(() => {}, 60000);
`;

/** True while `pid` names a live process; an exited process not yet reaped (a zombie) counts as exited. */
function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }

  const statFile = `/proc/${pid}/stat`;
  if (!fs.existsSync(statFile)) return true;
  const state = fs.readFileSync(statFile, 'utf8').replace(/^.*\) /s, '')[0];

  return state !== 'Z' && state !== 'X';
}

/** Resolves once `pid` has exited, checking every 100 ms; the test's own timeout bounds the wait. */
async function waitUntilExited(pid: number): Promise<void> {
  while (isRunning(pid)) await new Promise((resolve) => setTimeout(resolve, 100));
}

/** Pids of the direct children of `pid`. */
function childPids(pid: number): number[] {
  const result = spawnSync('pgrep', ['-P', String(pid)], { encoding: 'utf8' });

  return result.stdout.split('\n').filter(Boolean).map(Number);
}

describe('scripts/start.mjs', () => {
  let home: string;
  let parent: ChildProcess | null;
  const started: number[] = [];

  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    parent = null;
    started.length = 0;
  });

  afterEach(() => {
    if (parent && parent.exitCode === null && parent.signalCode === null) parent.kill('SIGKILL');
    for (const pid of started) if (isRunning(pid)) process.kill(pid, 'SIGKILL');
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('stops the hub when its parent is killed', { timeout: 180_000 }, async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, MLOPS_HUB_HOME: home, MLOPS_HUB_HEADLESS: '1' };
    parent = spawn(process.execPath, ['-e', parentScript, path.join(root, 'scripts/start.mjs')], { cwd: root, env, stdio: ['ignore', 'pipe', 'inherit'] });
    const lines = readline.createInterface({ input: parent.stdout! });
    let startPid = 0;
    const dashboardUrl = await new Promise<string>((resolve, reject) => {
      lines.on('line', (line) => {
        const match = /^start pid (\d+)$/.exec(line);
        if (match) startPid = Number(match[1]);
        else if (line.startsWith('http://')) resolve(line);
      });
      parent!.once('exit', (code) => reject(new Error(`the parent exited with ${code} before the hub printed its URL`)));
    });
    const [hubPid] = childPids(startPid);
    started.push(startPid, ...(hubPid === undefined ? [] : [hubPid]));

    expect(dashboardUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    expect(hubPid).toBeGreaterThan(0);
    expect(isRunning(hubPid!)).toBe(true);

    parent.kill('SIGKILL');
    await waitUntilExited(hubPid!);
    await waitUntilExited(startPid);

    expect(isRunning(hubPid!)).toBe(false);
    expect(isRunning(startPid)).toBe(false);
    await expect(fetch(dashboardUrl)).rejects.toThrow();
    expect(fs.existsSync(path.join(home, 'run', 'hub.sock'))).toBe(false);
  });
});
