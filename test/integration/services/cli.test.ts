import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

import { afterEach, describe, expect, it } from 'vitest';

import { createHub, type Hub } from '../../../src/main/core/hub';
import { createSilentLogger } from '../../../src/main/core/logger';
import { fixturesDir } from './supervisorHarness';

const run = promisify(execFile);
const repoRoot = path.resolve(fixturesDir, '..', '..', '..', '..');
let hub: Hub | null = null;

afterEach(async () => {
  await hub?.close();
  hub = null;
});

/** Runs `mlops-hub ARGS` against the hub of `dataDir`; resolves with the exit code and output. */
async function cli(dataDir: string, args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [path.join(repoRoot, 'bin', 'mlops-hub.mjs'), ...args], { cwd: repoRoot, env: { ...process.env, MLOPS_HUB_HOME: dataDir } });

    return { code: 0, stdout, stderr };
  } catch (error) {
    const failure = error as { code: number; stdout: string; stderr: string };

    return { code: failure.code, stdout: failure.stdout, stderr: failure.stderr };
  }
}

describe('mlops-hub services', () => {
  it('lists, starts, shows logs and stops a service', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    const projectDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    process.env['MLOPS_HUB_HOME'] = dataDir;
    const script = path.join(fixturesDir, 'crashAfter.mjs');
    fs.writeFileSync(path.join(projectDir, 'mlops.yaml'), `services:\n  echo:\n    command: ${JSON.stringify(process.execPath)}\n    args: [${JSON.stringify(script)}, "600000"]\n`);
    hub = await createHub({ dataDir, log: createSilentLogger(), listen: { port: 0 } });
    await hub.call('projects:add', { path: projectDir, name: 'clip' }, { transport: 'internal' });

    const started = await cli(dataDir, ['services', 'start', 'clip.echo']);
    const listed = await cli(dataDir, ['services', 'list']);
    const logs = await cli(dataDir, ['services', 'logs', 'clip.echo', '--lines', '5']);
    const stopped = await cli(dataDir, ['services', 'stop', 'clip.echo']);

    expect(started.stdout).toMatch(/^clip\.echo: starting \(pid \d+\)/);
    expect(listed.stdout).toMatch(/clip\.echo\s+(starting|running)\s+\d+/);
    expect(listed.stdout).toContain('mlflow');
    expect(logs.stdout).toMatch(/started pid=\d+/);
    expect(stopped.stdout).toContain('clip.echo: stopped');
  });

  it('rejects an unknown service name', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    process.env['MLOPS_HUB_HOME'] = dataDir;
    hub = await createHub({ dataDir, log: createSilentLogger(), listen: { port: 0 } });

    const result = await cli(dataDir, ['services', 'start', 'nope']);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('mlops-hub: services start: Unknown service `nope`: use one of mlflow');
  });
});
