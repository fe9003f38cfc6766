import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { LeaseOverview, LeaseView } from '../../../src/common/methods/leases';
import { callHub } from '../../../src/main/cli/hubClient';
import { createHub, type Hub } from '../../../src/main/core/hub';
import { createSilentLogger } from '../../../src/main/core/logger';

const root = path.resolve(import.meta.dirname, '../../..');
const leaseClient = path.join(import.meta.dirname, 'fixtures/leaseClient.mjs');
const memoryBudgetGb = 8;

let home: string;
let hub: Hub;
let children: ChildProcess[] = [];

beforeEach(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  process.env['MLOPS_HUB_HOME'] = home;
  process.env['MLOPS_HUB_LEASE_MEMORY_GB'] = String(memoryBudgetGb);
  hub = await createHub({ dataDir: home, log: createSilentLogger(), listen: { port: null } });
});

afterEach(async () => {
  for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  children = [];
  await hub.close();
  delete process.env['MLOPS_HUB_LEASE_MEMORY_GB'];
  fs.rmSync(home, { recursive: true, force: true });
});

function start(command: string, args: string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
  const child = spawn(command, args, { cwd: root, env: { ...process.env, MLOPS_HUB_HOME: home, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);

  return child;
}

/** Collects a child's output and resolves with the first line matching `pattern`. */
function waitForLine(child: ChildProcess, stream: 'stdout' | 'stderr', pattern: RegExp): Promise<RegExpExecArray> {
  return new Promise((resolve, reject) => {
    let text = '';
    child[stream]?.on('data', (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const match = pattern.exec(text);
      if (match) resolve(match);
    });
    child.once('exit', (code) => reject(new Error(`process exited with ${code} before printing ${pattern}; output: ${text}`)));
  });
}

function waitForExit(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) resolve(child.exitCode);
    else child.once('exit', (code) => resolve(code));
  });
}

function call<T>(name: string, input: unknown): Promise<T> {
  return callHub(hub.paths.socketPath, name, input) as Promise<T>;
}

async function leaseState(leaseId: string): Promise<LeaseView | undefined> {
  return (await call<LeaseOverview>('leases:list', {})).leases.find((lease) => lease.leaseId === leaseId);
}

function readMetrics(): Promise<string> {
  return new Promise((resolve, reject) => {
    const request = http.request({ socketPath: hub.paths.socketPath, path: '/metrics', method: 'GET' }, (response) => {
      let text = '';
      response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
      response.on('end', () => resolve(text));
    });
    request.on('error', reject);
    request.end();
  });
}

/** Process state letter from /proc/<pid>/stat: R running, S sleeping, T stopped. */
function processState(pid: number): string {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');

  return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[0] ?? '';
}

/** True when `pid` has exited: no /proc entry, or a zombie that its parent has not reaped yet. */
function isProcessGone(pid: number): boolean {
  try {
    return processState(pid) === 'Z';
  } catch {
    return true;
  }
}

describe('Arbiter over the Unix socket', () => {
  it('serves many client processes in turn', async () => {
    const clients = Array.from({ length: 8 }, () => start(process.execPath, [leaseClient, hub.paths.socketPath, String(memoryBudgetGb / 4), '300']));
    const codes = await Promise.all(clients.map(waitForExit));

    expect(codes).toEqual(Array(8).fill(0));
    const overview = await call<LeaseOverview>('leases:list', {});
    expect(overview.leases).toHaveLength(8);
    expect(overview.leases.every((lease) => lease.state === 'released')).toBe(true);
    expect(overview.used.memoryGb).toBe(0);
    const metrics = await readMetrics();
    expect(metrics).toContain('hub_leases{state="released"} 8');
    expect(metrics).toContain('hub_leases_queue_length 0');
    expect(metrics).toContain(`hub_leases_capacity{resource="memoryGb"} ${memoryBudgetGb}`);
  });

  it('frees the lease of a client killed with SIGKILL', async () => {
    const holder = start(process.execPath, [leaseClient, hub.paths.socketPath, String(memoryBudgetGb), '-1']);
    const [, leaseId] = await waitForLine(holder, 'stdout', /granted (\S+)/);
    const waiting = await call<LeaseView>('leases:request', { pid: process.pid, resources: { memoryGb: 1 } });
    expect(waiting.state).toBe('queued');

    holder.kill('SIGKILL');
    await waitForExit(holder);

    await vi.waitFor(async () => expect((await leaseState(leaseId ?? ''))?.state).toBe('expired'), { timeout: 10_000, interval: 100 });
    expect((await leaseState(leaseId ?? ''))?.endReason).toBe(`process ${holder.pid} exited`);
    expect((await leaseState(waiting.leaseId))?.state).toBe('granted');
  });

  it('stops and continues a command under mlops-hub run', async () => {
    const pidFile = path.join(home, 'busy.pid');
    const busy = `echo $$ > ${pidFile}; exec "${process.execPath}" -e "for (;;) {}"`;
    const run = start(process.execPath, ['bin/mlops-hub.mjs', 'run', '--gpu', '--priority', 'low', '--', 'sh', '-c', busy]);
    await vi.waitFor(() => expect(fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '').toBe(true), { timeout: 30_000, interval: 100 });
    const busyPid = Number(fs.readFileSync(pidFile, 'utf8'));
    const runLease = (await call<LeaseOverview>('leases:list', {})).leases.find((lease) => lease.state === 'granted');

    const urgent = await call<LeaseView>('leases:request', { pid: process.pid, resources: { gpuShare: 1 }, priority: 'high' });
    expect(urgent.state).toBe('queued');
    await vi.waitFor(() => expect(processState(busyPid)).toBe('T'), { timeout: 15_000, interval: 50 });
    await vi.waitFor(async () => expect((await leaseState(urgent.leaseId))?.state).toBe('granted'), { timeout: 15_000, interval: 50 });
    expect((await leaseState(runLease?.leaseId ?? ''))?.state).toBe('paused');

    await call<LeaseView>('leases:release', { leaseId: urgent.leaseId, pid: process.pid });
    await vi.waitFor(() => expect(['R', 'S']).toContain(processState(busyPid)), { timeout: 15_000, interval: 50 });
    await vi.waitFor(async () => expect((await leaseState(runLease?.leaseId ?? ''))?.state).toBe('granted'), { timeout: 15_000, interval: 50 });

    process.kill(busyPid, 'SIGTERM');
    expect(await waitForExit(run)).toBe(143);
    expect((await leaseState(runLease?.leaseId ?? ''))?.state).toBe('released');
  });

  it('ends the stopped command group when mlops-hub run is killed with SIGKILL', async () => {
    const pidFile = path.join(home, 'sleeper.pid');
    const run = start(process.execPath, ['bin/mlops-hub.mjs', 'run', '--gpu', '--', 'sh', '-c', `echo $$ > ${pidFile}; exec sleep 600`]);
    await vi.waitFor(() => expect(fs.existsSync(pidFile) && fs.readFileSync(pidFile, 'utf8').trim() !== '').toBe(true), { timeout: 30_000, interval: 100 });
    const commandPid = Number(fs.readFileSync(pidFile, 'utf8'));
    // Stops the group as a pause does, so the reaper must continue it before SIGTERM can end it.
    process.kill(-commandPid, 'SIGSTOP');
    await vi.waitFor(() => expect(processState(commandPid)).toBe('T'), { timeout: 15_000, interval: 50 });

    run.kill('SIGKILL');
    await waitForExit(run);

    await vi.waitFor(() => expect(isProcessGone(commandPid)).toBe(true), { timeout: 20_000, interval: 100 });
  });

  it('names the --cpu flag when too many cores never fit', async () => {
    const cores = os.availableParallelism() + 1;
    const run = start(process.execPath, ['bin/mlops-hub.mjs', 'run', '--cpu', String(cores), '--', 'true']);
    const [message] = await waitForLine(run, 'stderr', /.*can never fit.*\n/);

    expect(await waitForExit(run)).toBe(1);
    expect(message).toContain(`requests ${cores} CPU cores but the machine offers ${os.availableParallelism()} CPU cores`);
    expect(message).toContain(`set \`--cpu\` to at most ${os.availableParallelism()}`);
    expect(message).not.toContain('memory');
  });

  it('uses the project that contains the current folder', async () => {
    const folder = path.join(home, 'lora');
    fs.mkdirSync(path.join(folder, 'scripts'), { recursive: true });
    fs.writeFileSync(path.join(folder, 'mlops.yaml'), 'name: lora\n');
    await call('projects:add', { path: folder });
    const environment: NodeJS.ProcessEnv = { ...process.env, MLOPS_HUB_HOME: home };
    delete environment['MLOPS_HUB_PROJECT'];
    const run = spawn(process.execPath, [path.join(root, 'bin/mlops-hub.mjs'), 'run', '--cpu', '1', '--', 'sh', '-c', 'echo "$MLOPS_HUB_LEASE_ID"'], {
      cwd: path.join(folder, 'scripts'),
      env: environment,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    children.push(run);

    const [, leaseId] = await waitForLine(run, 'stdout', /(\S+)\n/);
    expect(await waitForExit(run)).toBe(0);
    expect((await leaseState(leaseId ?? ''))?.project).toBe('lora');
  });

  it('rejects pid 1 from curl as not the caller', async () => {
    const body = JSON.stringify({ pid: 1, resources: { cpuCores: 1 } });
    const curl = start('curl', ['-s', '--unix-socket', hub.paths.socketPath, '-H', 'Content-Type: application/json', '-d', body, 'http://localhost/api/hub/leases/request']);
    const [reply] = await waitForLine(curl, 'stdout', /\{.*\}/);

    expect(await waitForExit(curl)).toBe(0);
    expect(JSON.parse(reply ?? '{}')).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('`pid` 1 is not the calling process') as unknown });
    expect((await call<LeaseOverview>('leases:list', {})).leases).toHaveLength(0);
  });

  it('passes the lease id and memory limit to the command', async () => {
    const run = start(process.execPath, ['bin/mlops-hub.mjs', 'run', '--memory', '2G', '--', 'sh', '-c', 'echo "$MLOPS_HUB_LEASE_ID $MLOPS_HUB_MEMORY_LIMIT_BYTES"; exit 7']);
    const [, leaseId, limit] = await waitForLine(run, 'stdout', /(\S+) (\d+)\n/);

    expect(limit).toBe(String(2 * 2 ** 30));
    expect(await waitForExit(run)).toBe(7);
    expect((await leaseState(leaseId ?? ''))?.state).toBe('released');
  });

  it('stays quiet when the command ends its own lease', async () => {
    const run = start(process.execPath, ['bin/mlops-hub.mjs', 'run', '--memory', '1G', '--', 'sh', '-c', 'exit 3']);
    let stderr = '';
    run.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString('utf8');
    });

    expect(await waitForExit(run)).toBe(3);
    expect(stderr).not.toContain('stopping the command');
  });

  it('lists and releases leases from the CLI', async () => {
    const holder = await call<LeaseView>('leases:request', { pid: process.pid, resources: { memoryGb: memoryBudgetGb }, label: 'big job' });
    await call<LeaseView>('leases:request', { pid: process.pid, resources: { memoryGb: 2 } });

    const list = start(process.execPath, ['bin/mlops-hub.mjs', 'leases', 'list']);
    const [table] = await waitForLine(list, 'stdout', /[\s\S]*thermal nominal\n/);
    expect(table).toContain(`${holder.leaseId.slice(0, 8)}  default  granted`);
    expect(table).toContain('#1: waiting for 2 GB of memory (0 GB of memory free); held by default');
    expect(table).toContain(`memory ${memoryBudgetGb}/${memoryBudgetGb} GB, GPU 0/1, ANE 0/1`);
    expect(await waitForExit(list)).toBe(0);

    const release = start(process.execPath, ['bin/mlops-hub.mjs', 'leases', 'release', holder.leaseId.slice(0, 8)]);
    expect(await waitForExit(release)).toBe(0);
    expect((await leaseState(holder.leaseId))?.state).toBe('revoked');
    expect((await call<LeaseOverview>('leases:list', {})).queueLength).toBe(0);
  });

  it('unblocks a queued Python SDK lease when granted', async () => {
    const holder = await call<LeaseView>('leases:request', { pid: process.pid, resources: { memoryGb: memoryBudgetGb } });
    const script = 'import mlops_hub\nwith mlops_hub.Client().lease(memory_gb=2, timeout=60) as lease:\n    print("GRANTED", lease.state, flush=True)\n';
    const python = start('python3', ['-c', script], { PYTHONPATH: path.join(root, 'clients/python'), MLOPS_HUB_SOCKET: hub.paths.socketPath });

    await waitForLine(python, 'stderr', /queued at position 1: waiting for 2 GB of memory/);
    await call<LeaseView>('leases:release', { leaseId: holder.leaseId, pid: process.pid });
    await waitForLine(python, 'stdout', /GRANTED granted/);
    expect(await waitForExit(python)).toBe(0);
  });
});
