import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

const bin = path.resolve(__dirname, '../../../bin/mlops-hub.mjs');

describe('mlops-hub CLI', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  let server: ChildProcess | undefined;

  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    env = { ...process.env, MLOPS_HUB_HOME: home };
  });

  afterEach(() => {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    server = undefined;
  });

  function runCommand(args: string[], cwd = home): { status: number | null; stdout: string; stderr: string } {
    const result = spawnSync(process.execPath, [bin, ...args], { cwd, env, encoding: 'utf8', timeout: 60_000 });

    return { status: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  /** Starts `serve --port 0` and resolves with its first stdout line. */
  function startServer(): Promise<string> {
    server = spawn(process.execPath, [bin, 'serve', '--port', '0'], { cwd: home, env, stdio: ['ignore', 'pipe', 'pipe'] });
    const lines = readline.createInterface({ input: server.stdout! });

    return new Promise((resolve, reject) => {
      lines.once('line', resolve);
      server!.once('exit', (code) => reject(new Error(`serve exited with ${code} before printing its URL`)));
    });
  }

  function waitForExit(child: ChildProcess): Promise<number | null> {
    return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
  }

  it.each(['SIGTERM', 'SIGINT'] as const)('serve prints the URL first and stops on %s', async (signal) => {
    const firstLine = await startServer();
    const token = fs.readFileSync(path.join(home, 'token'), 'utf8').trim();

    expect(firstLine).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/\?token=[0-9a-f]{64}$/);
    expect(firstLine.endsWith(`?token=${token}`)).toBe(true);

    const status = runCommand(['status', '--json']);
    expect(status.status).toBe(0);
    expect(JSON.parse(status.stdout)).toMatchObject({ dataDir: home, dashboardUrl: firstLine });
    const text = runCommand(['status']);
    expect(text.stdout).toContain(`dashboard:   ${firstLine}\n`);

    const exit = waitForExit(server!);
    server!.kill(signal);
    expect(await exit).toBe(0);
    expect(fs.existsSync(path.join(home, 'run', 'hub.sock'))).toBe(false);
    const logText = fs.readFileSync(path.join(home, 'logs', 'hub.log'), 'utf8');
    expect(logText).toContain(`serve(): stopping on ${signal}`);
    expect(logText).not.toContain(token);
  });

  it('projects commands go through the running hub', async () => {
    await startServer();
    fs.mkdirSync(path.join(home, 'digits'));

    const added = runCommand(['projects', 'add', 'digits']);
    const listed = runCommand(['projects', 'list']);
    const renamed = runCommand(['projects', 'rename', 'digits', 'digits-v2']);
    const removed = runCommand(['projects', 'remove', 'digits-v2']);

    expect(added.status).toBe(0);
    expect(added.stderr).not.toContain('no hub is running');
    expect(listed.stdout).toMatch(/^digits\s+normal/m);
    expect(renamed.stdout).toBe('Renamed project digits to digits-v2\n');
    expect(removed.stdout).toBe('Removed project digits-v2; its runs are kept\n');
  });

  it('a second serve on the same home fails clearly', async () => {
    await startServer();
    const second = runCommand(['serve', '--port', '0']);

    expect(second.status).toBe(1);
    expect(second.stdout).toBe('');
    expect(second.stderr).toContain('another MLOps Hub is already running');
  });

  it('projects add of a missing path exits 1 with one line', () => {
    const result = runCommand(['projects', 'add', '/nonexistent-mlops-folder']);

    expect(result.status).toBe(1);
    expect(result.stderr.trim().split('\n').at(-1)).toBe('mlops-hub: projects add: path /nonexistent-mlops-folder does not exist; pass an existing project folder');
  });

  it('projects add of a file exits 1', () => {
    fs.writeFileSync(path.join(home, 'train.py'), '');
    const result = runCommand(['projects', 'add', 'train.py']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('is not a folder');
  });

  it('status exits 1 when no hub runs', () => {
    const result = runCommand(['status']);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('the hub is not running');
  });

  it.each(['70000', '-1', 'abc'])('serve rejects --port %s', (port) => {
    const result = runCommand(['serve', '--port', port]);

    expect(result.status).toBe(1);
    expect(result.stderr).toContain('`--port` must be an integer from 0 to 65535');
  });

  it('init writes mlops.yaml and registers the folder', () => {
    const folder = path.join(home, 'My Model');
    fs.mkdirSync(folder);
    const result = runCommand(['init'], folder);

    expect(result.status).toBe(0);
    expect(fs.readFileSync(path.join(folder, 'mlops.yaml'), 'utf8')).toContain('name: my-model');
    expect(runCommand(['projects', 'list']).stdout).toMatch(/^my-model\s/m);
    expect(runCommand(['init'], folder).status).toBe(1);
  });

  it.each(['', 'serve', 'status', 'init', 'projects', 'projects add', 'projects list', 'projects rename', 'projects remove', 'runs list'])('prints help for "%s"', (command) => {
    const result = runCommand([...command.split(' ').filter(Boolean), '--help']);

    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Usage: mlops-hub');
  });
});
