import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { ServiceInfo } from '../../../src/common/methods/services';
import { pickFreePort } from '../../../src/main/core/services/portCheck';
import { fixturesDir, isAlive, waitFor } from './supervisorHarness';

const repoRoot = path.resolve(fixturesDir, '..', '..', '..', '..');
const running: ChildProcess[] = [];

afterEach(() => {
  for (const child of running.splice(0)) if (child.exitCode === null) child.kill('SIGKILL');
});

interface HubProcess {
  child: ChildProcess;
  services: ServiceInfo[];
}

/** Starts the fixture hub and resolves with the services it prints once they all run. */
function startHub(dataDir: string, projectDir: string, first: boolean): Promise<HubProcess> {
  const args = [path.join(repoRoot, 'bin', 'tsnode.mjs'), path.join(fixturesDir, 'hubWithServices.ts'), projectDir, ...(first ? ['--first'] : [])];
  const child = spawn(process.execPath, args, { cwd: repoRoot, env: { ...process.env, MLOPS_HUB_HOME: dataDir }, stdio: ['ignore', 'pipe', 'inherit'] });
  running.push(child);

  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('\n')) resolve({ child, services: JSON.parse(output.split('\n')[0]!) as ServiceInfo[] });
    });
    child.once('exit', (code) => reject(new Error(`hub exited with code ${code} before its services ran`)));
  });
}

function writeProject(projectDir: string, pidFile: string, port: number): void {
  const yaml = [
    'services:',
    '  worker:',
    `    command: ${JSON.stringify(process.execPath)}`,
    `    args: [${JSON.stringify(path.join(fixturesDir, 'forkGrandchildren.mjs'))}, ${JSON.stringify(pidFile)}]`,
    '    autostart: true',
    '    stop_timeout_ms: 500',
    '  web:',
    '    command: python3',
    '    args: [-m, http.server, "{port}", --bind, 127.0.0.1]',
    `    port: ${port}`,
    '    readiness: { type: http, url: "http://127.0.0.1:{port}/" }',
    '    autostart: true',
    '',
  ];
  fs.writeFileSync(path.join(projectDir, 'mlops.yaml'), yaml.join('\n'));
}

describe('Supervisor after a hub crash', () => {
  it('recovers services after a SIGKILLed hub', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    const projectDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    const pidFile = path.join(projectDir, 'pids.json');
    writeProject(projectDir, pidFile, await pickFreePort());

    const first = await startHub(dataDir, projectDir, true);
    await waitFor(() => fs.existsSync(pidFile), 'pid file of the first worker');
    const firstGroup = JSON.parse(fs.readFileSync(pidFile, 'utf8')) as { parent: number; grandchildren: number[] };
    const firstPids = [...first.services.map((service) => service.pid!), ...firstGroup.grandchildren];
    fs.rmSync(pidFile);
    first.child.kill('SIGKILL');
    await new Promise((resolve) => first.child.once('exit', resolve));

    // The reaper notices the dead hub and stops its groups: SIGTERM, then SIGKILL for the grandchildren after 2 s.
    await waitFor(() => !firstPids.some(isAlive), 'the old services to stop');
    const second = await startHub(dataDir, projectDir, false);

    expect(second.services.map((service) => [service.name, service.state])).toEqual([
      ['crashproj.worker', 'running'],
      ['crashproj.web', 'running'],
    ]);
    await waitFor(() => fs.existsSync(pidFile), 'pid file of the second worker');
    const secondGroup = JSON.parse(fs.readFileSync(pidFile, 'utf8')) as { parent: number; grandchildren: number[] };
    const secondPids = [...second.services.map((service) => service.pid!), ...secondGroup.grandchildren];

    second.child.kill('SIGTERM');
    await new Promise((resolve) => second.child.once('exit', resolve));
    for (const pid of secondPids) expect(isAlive(pid)).toBe(false);
  });
});
