import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import { HubError } from '../../../src/common/errors';
import { writeChildRecords } from '../../../src/main/core/services/childRecords';
import { serviceDefinitionSchema } from '../../../src/main/core/services/definition';
import { pickFreePort } from '../../../src/main/core/services/portCheck';
import { spawnGroup } from '../../../src/main/core/services/processGroup';
import { readStartTime } from '../../../src/main/core/services/processInfo';
import { probeHttp } from '../../../src/main/core/services/readiness';
import { createHarness, fixtureService, fixturesDir, isAlive, waitFor, type Harness } from './supervisorHarness';

let harness: Harness | null = null;
const extraChildren: ChildProcess[] = [];

afterEach(async () => {
  await harness?.close();
  harness = null;
  for (const child of extraChildren.splice(0)) child.kill('SIGKILL');
});

describe('Supervisor', () => {
  it('starts python3 -m http.server with HTTP readiness', async () => {
    const port = await pickFreePort();
    harness = await createHarness([
      {
        name: 'web',
        command: 'python3',
        args: ['-m', 'http.server', '{port}', '--bind', '127.0.0.1'],
        port,
        readiness: { type: 'http', url: 'http://127.0.0.1:{port}/' },
      },
    ]);

    await harness.supervisor.start('web');
    await harness.supervisor.waitUntilRunning('web');

    const info = harness.supervisor.get('web');
    expect(info.state).toBe('running');
    expect(info.url).toBe(`http://127.0.0.1:${port}/`);
    expect(info.memoryBytes).toBeGreaterThan(0);
    expect(await probeHttp(`http://127.0.0.1:${port}/`)).toBe(true);
    const records = JSON.parse(fs.readFileSync(path.join(harness.dataDir, 'children.json'), 'utf8')) as { pid: number }[];
    expect(records.map((record) => record.pid)).toEqual([info.pid]);

    await harness.supervisor.stop('web');
    expect(harness.supervisor.get('web').state).toBe('stopped');
    expect(isAlive(info.pid!)).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(harness.dataDir, 'children.json'), 'utf8'))).toEqual([]);
  });

  it('fails a service that exits at once', async () => {
    harness = await createHarness([fixtureService('quick', 'exitAtOnce.mjs', ['3'], { restart: 'never' })]);

    await harness.supervisor.start('quick');
    await waitFor(() => harness!.supervisor.get('quick').state === 'failed', 'failed state');

    const info = harness.supervisor.get('quick');
    expect(info.lastExitCode).toBe(3);
    expect(info.reason).toContain('exited with code 3');
    expect(info.restarts).toBe(0);
    expect(harness.supervisor.logs('quick', 10).crashLines).toContain('exiting now');
  });

  it('gives up on a crash loop and notifies', async () => {
    const backoff = { initialMs: 20, maxRestarts: 3, windowMs: 60_000 };
    harness = await createHarness([fixtureService('flaky', 'crashAfter.mjs', ['30'], { restart: 'on-failure', backoff })]);

    await harness.supervisor.start('flaky');
    await waitFor(() => harness!.supervisor.get('flaky').state === 'failed', 'crash-loop failure');

    const info = harness.supervisor.get('flaky');
    expect(info.restarts).toBe(3);
    expect(info.reason).toContain('crash loop');
    expect(harness.events.some((event) => event.type === 'services:didChange' && event.state === 'backoff')).toBe(true);
    expect(harness.events.some((event) => event.type === 'notification' && event.title.includes('flaky'))).toBe(true);
  });

  it('restarts a clean exit under always', async () => {
    harness = await createHarness([fixtureService('loop', 'exitAtOnce.mjs', ['0'], { restart: 'always', backoff: { initialMs: 10, maxRestarts: 100 } })]);

    await harness.supervisor.start('loop');
    await waitFor(() => harness!.supervisor.get('loop').restarts >= 2, 'two restarts');

    expect(harness.supervisor.get('loop').lastExitCode).toBe(0);
  });

  it('kills a service ignoring SIGTERM', async () => {
    const port = await pickFreePort();
    harness = await createHarness([fixtureService('stubborn', 'ignoreSigterm.mjs', ['{port}'], { port, readiness: { type: 'tcp' }, stopTimeoutMs: 300 })]);
    await harness.supervisor.start('stubborn');
    await harness.supervisor.waitUntilRunning('stubborn');
    const pid = harness.supervisor.get('stubborn').pid!;

    await harness.supervisor.stop('stubborn');

    expect(isAlive(pid)).toBe(false);
    expect(harness.supervisor.get('stubborn').state).toBe('stopped');
    expect(harness.supervisor.logs('stubborn', 20).lines.join('\n')).toContain('sent SIGKILL to the group');
  });

  it('stops grandchildren with the process group', async () => {
    const pidFile = path.join(fixturesDir, '..', `pids-${process.pid}.json`);
    harness = await createHarness([fixtureService('forker', 'forkGrandchildren.mjs', [pidFile], { stopTimeoutMs: 300 })]);
    await harness.supervisor.start('forker');
    await waitFor(() => fs.existsSync(pidFile), 'pid file');
    const pids = JSON.parse(fs.readFileSync(pidFile, 'utf8')) as { parent: number; grandchildren: number[] };
    fs.rmSync(pidFile);
    expect(pids.grandchildren.every(isAlive)).toBe(true);

    await harness.supervisor.stop('forker');

    expect(isAlive(pids.parent)).toBe(false);
    for (const pid of pids.grandchildren) expect(isAlive(pid)).toBe(false);
  });

  it('rotates the log of megabytes of output', async () => {
    harness = await createHarness([fixtureService('chatty', 'printMegabytes.mjs', ['3'])], { logMaxBytes: 1024 * 1024 });
    await harness.supervisor.start('chatty');
    await waitFor(() => harness!.supervisor.logs('chatty', 1).lines[0] === 'done printing', 'end of output');

    const logFile = path.join(harness.dataDir, 'logs', 'services', 'chatty.log');
    const files = [logFile, `${logFile}.1`, `${logFile}.2`].filter((file) => fs.existsSync(file));
    expect(files.length).toBe(3);
    expect(fs.existsSync(`${logFile}.4`)).toBe(false);
    for (const file of files) expect(fs.statSync(file).size).toBeLessThan(1024 * 1024 + 200 * 1024);
    expect(harness.supervisor.logs('chatty', 2).lines[0]).toMatch(/^line 0000031457 x+$/);
  });
});

describe('Supervisor logs', () => {
  it('keeps no crash excerpt after a clean exit', async () => {
    harness = await createHarness([fixtureService('clean', 'exitAtOnce.mjs', ['0'], { restart: 'never' })]);
    await harness.supervisor.start('clean');
    await waitFor(() => harness!.supervisor.get('clean').state === 'stopped', 'the clean exit');

    expect(harness.supervisor.logs('clean', 20).lines.join('\n')).toContain('exiting now');
    expect(harness.supervisor.logs('clean', 20).crashLines).toEqual([]);
  });

  it('suggests a fix for a missing program of a project', async () => {
    harness = await createHarness([]);
    await harness.supervisor.setDefinitions('shop', [serviceDefinitionSchema.parse({ name: 'shop.api', command: 'no-such-program-mlops-hub' })]);

    expect(harness.supervisor.get('shop.api').installCommand).toBe('install no-such-program-mlops-hub or fix `command` in mlops.yaml');
  });
});

describe('Supervisor readiness', () => {
  it('marks a frozen service unhealthy', async () => {
    const port = await pickFreePort();
    harness = await createHarness([
      {
        name: 'frozen',
        command: 'python3',
        args: ['-m', 'http.server', '{port}', '--bind', '127.0.0.1'],
        port,
        readiness: { type: 'http', url: 'http://127.0.0.1:{port}/' },
        healthIntervalMs: 500,
      },
    ]);
    await harness.supervisor.start('frozen');
    await harness.supervisor.waitUntilRunning('frozen');
    const pid = harness.supervisor.get('frozen').pid!;

    // A stopped process still completes TCP handshakes in the kernel, but sends no HTTP reply.
    process.kill(pid, 'SIGSTOP');
    await waitFor(() => harness!.supervisor.get('frozen').state === 'unhealthy', 'unhealthy state');
    expect(harness.supervisor.get('frozen').reason).toContain('health check failed');

    process.kill(pid, 'SIGCONT');
    await waitFor(() => harness!.supervisor.get('frozen').state === 'running', 'running state');
    expect(harness.supervisor.get('frozen').pid).toBe(pid);
  });

  it('fails a service not ready within the start timeout', async () => {
    const port = await pickFreePort();
    harness = await createHarness([fixtureService('silent', 'idle.mjs', [], { port, readiness: { type: 'tcp' }, startTimeoutMs: 300, restart: 'never', stopTimeoutMs: 500 })]);

    await harness.supervisor.start('silent');
    await waitFor(() => harness!.supervisor.get('silent').state === 'failed', 'failed state');

    expect(harness.supervisor.get('silent').reason).toBe(`not ready within 0.3 s: 127.0.0.1:${port} did not answer`);
  });
});

describe('Supervisor.recoverOrphans', () => {
  it('stops groups recorded by a dead hub', async () => {
    harness = await createHarness([fixtureService('forker', 'forkGrandchildren.mjs')]);
    const pidFile = path.join(harness.dataDir, 'pids.json');
    const script = path.join(fixturesDir, 'forkGrandchildren.mjs');
    const orphan = spawnGroup({ file: process.execPath, args: [script, pidFile], cwd: harness.dataDir, env: { PATH: process.env['PATH'] ?? '' } });
    await waitFor(() => fs.existsSync(pidFile) && fs.statSync(pidFile).size > 0, 'pid file');
    const pids = JSON.parse(fs.readFileSync(pidFile, 'utf8')) as { parent: number; grandchildren: number[] };
    const record = { service: 'forker', pid: pids.parent, pgid: pids.parent, startTime: readStartTime(pids.parent)!, command: [process.execPath, script, pidFile], stopSignal: 'SIGTERM', stopTimeoutMs: 300 };
    writeChildRecords(path.join(harness.dataDir, 'children.json'), [record]);

    const recovered = await harness.supervisor.recoverOrphans();
    await orphan;

    expect(recovered).toEqual(['forker']);
    for (const pid of [pids.parent, ...pids.grandchildren]) expect(isAlive(pid)).toBe(false);
    expect(JSON.parse(fs.readFileSync(path.join(harness.dataDir, 'children.json'), 'utf8'))).toEqual([]);
  });

  it('leaves a reused pid alone', async () => {
    harness = await createHarness([fixtureService('idle', 'idle.mjs')]);
    const stranger = spawn(process.execPath, [path.join(fixturesDir, 'idle.mjs')], { detached: true, stdio: 'ignore' });
    extraChildren.push(stranger);
    await waitFor(() => readStartTime(stranger.pid!) !== null, 'stranger process');
    const record = { service: 'idle', pid: stranger.pid!, pgid: stranger.pid!, startTime: '1', command: [process.execPath, path.join(fixturesDir, 'idle.mjs')], stopSignal: 'SIGTERM', stopTimeoutMs: 300 };
    writeChildRecords(path.join(harness.dataDir, 'children.json'), [record]);

    const recovered = await harness.supervisor.recoverOrphans();

    expect(recovered).toEqual([]);
    expect(isAlive(stranger.pid!)).toBe(true);
  });
});

describe('Supervisor bad input', () => {
  it('rejects a taken port and names the holder', async () => {
    const port = await pickFreePort();
    const holder = spawn(process.execPath, [path.join(fixturesDir, 'bindPort.mjs'), String(port)], { stdio: ['ignore', 'pipe', 'ignore'] });
    extraChildren.push(holder);
    await new Promise((resolve) => holder.stdout!.once('data', resolve));
    harness = await createHarness([fixtureService('idle', 'idle.mjs'), fixtureService('clash', 'idle.mjs', [], { port }), fixtureService('flexible', 'idle.mjs', [], { port, pickFreePort: true })]);
    await harness.supervisor.start('idle');
    await harness.supervisor.waitUntilRunning('idle');

    const error = await harness.supervisor.start('clash').catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).code).toBe('RESOURCE_CONFLICT');
    expect((error as HubError).message).toContain(`port ${port} is in use by pid ${holder.pid}`);
    expect(harness.supervisor.get('clash').state).toBe('failed');
    expect(harness.supervisor.get('idle').state).toBe('running');
    const flexible = await harness.supervisor.start('flexible');
    expect(flexible.port).not.toBe(port);
  });

  it('reports a missing program as not-installed', async () => {
    harness = await createHarness([{ name: 'ghost', command: 'mlops-hub-no-such-program', installCommand: 'pip install ghost' }]);

    expect(harness.supervisor.get('ghost').state).toBe('not-installed');
    expect(harness.supervisor.get('ghost').installCommand).toBe('pip install ghost');
    await expect(harness.supervisor.start('ghost')).rejects.toThrow(/program `mlops-hub-no-such-program` was not found .* Install it with `pip install ghost`/);
  });

  it('rejects a working folder that does not exist', async () => {
    harness = await createHarness([fixtureService('lost', 'idle.mjs', [], { cwd: '/nonexistent/mlops-hub-folder' })]);

    await expect(harness.supervisor.start('lost')).rejects.toThrow('working folder /nonexistent/mlops-hub-folder (`cwd`) does not exist');
  });

  it('rejects an unknown service name', async () => {
    harness = await createHarness([fixtureService('idle', 'idle.mjs')]);

    await expect(harness.supervisor.start('nope')).rejects.toThrow('Unknown service `nope`: use one of idle');
  });

  it('rejects circular depends_on and keeps running services', async () => {
    harness = await createHarness([fixtureService('idle', 'idle.mjs')]);
    await harness.supervisor.start('idle');
    await harness.supervisor.waitUntilRunning('idle');

    const cycle = [fixtureService('a', 'idle.mjs', [], { dependsOn: ['b'] }), fixtureService('b', 'idle.mjs', [], { dependsOn: ['a'] })].map((input) => ({ ...input, dependsOn: input.dependsOn ?? [] }));
    const { serviceDefinitionSchema } = await import('../../../src/main/core/services/definition');
    await expect(harness.supervisor.setDefinitions('project-x', cycle.map((input) => serviceDefinitionSchema.parse(input)))).rejects.toThrow('Circular depends_on: a -> b -> a');

    expect(harness.supervisor.get('idle').state).toBe('running');
  });
});

describe('Supervisor depends_on', () => {
  it('starts dependencies first and stops dependents first', async () => {
    harness = await createHarness([fixtureService('db', 'idle.mjs'), fixtureService('api', 'idle.mjs', [], { dependsOn: ['db'] })]);

    await harness.supervisor.start('api');
    const starts = harness.events.filter((event) => event.type === 'services:didChange' && event.state === 'starting').map((event) => (event as { name: string }).name);
    expect(starts).toEqual(['db', 'api']);
    expect(harness.supervisor.get('db').state).toBe('running');

    await harness.supervisor.stop('db');
    const stops = harness.events.filter((event) => event.type === 'services:didChange' && event.state === 'stopping').map((event) => (event as { name: string }).name);
    expect(stops).toEqual(['api', 'db']);
  });

  it('restarts the running dependents too', async () => {
    harness = await createHarness([fixtureService('db', 'idle.mjs'), fixtureService('api', 'idle.mjs', [], { dependsOn: ['db'] })]);
    await harness.supervisor.start('api');
    await harness.supervisor.waitUntilRunning('api');
    const apiPid = harness.supervisor.get('api').pid;

    await harness.supervisor.restart('db');

    expect(harness.supervisor.get('api').state).not.toBe('stopped');
    expect(harness.supervisor.get('api').pid).not.toBe(apiPid);
  });

  it('closes dependents before dependencies', async () => {
    harness = await createHarness([fixtureService('db', 'idle.mjs'), fixtureService('api', 'idle.mjs', [], { dependsOn: ['db'] }), fixtureService('cache', 'idle.mjs')]);
    await harness.supervisor.start('api');
    await harness.supervisor.start('cache');
    const pids = ['db', 'api', 'cache'].map((name) => harness!.supervisor.get(name).pid!);

    await harness.supervisor.close();

    const stopped = harness.events.filter((event) => event.type === 'services:didChange' && event.state === 'stopped').map((event) => (event as { name: string }).name);
    expect(stopped.indexOf('api')).toBeLessThan(stopped.indexOf('db'));
    expect(stopped).toContain('cache');
    for (const pid of pids) expect(isAlive(pid)).toBe(false);
  });
});
