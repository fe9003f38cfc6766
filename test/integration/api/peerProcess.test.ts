import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import type { LeaseOverview, LeaseView } from '../../../src/common/methods/leases';
import { callHub } from '../../../src/main/cli/hubClient';
import { createHub, type Hub } from '../../../src/main/core/hub';
import { PeerProcessLookup } from '../../../src/main/core/api/peerProcess';
import { createSilentLogger } from '../../../src/main/core/logger';

const client = path.join(import.meta.dirname, 'fixtures/peerLeaseClient.mjs');

/** Checks that `ss -xp` (iproute2) runs here, because the Unix socket lookup on Linux needs it. */
function hasSs(): boolean {
  try {
    execFileSync('ss', ['-xp'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

interface ClientResult {
  clientPid: number;
  status: number;
  body: LeaseView & { error_code?: string; message?: string };
}

let home: string;
let hub: Hub;
let unrelated: ChildProcess;

beforeEach(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  process.env['MLOPS_HUB_HOME'] = home;
  hub = await createHub({ dataDir: home, log: createSilentLogger(), listen: { port: 0 } });
  // Started by the test runner, so it is no descendant of any client process.
  unrelated = spawn('sleep', ['30'], { stdio: 'ignore' });
});

afterEach(async () => {
  unrelated.kill('SIGKILL');
  await hub.close();
  fs.rmSync(home, { recursive: true, force: true });
});

/** Runs the client fixture over `transport`, declaring `pid`, and returns its printed result. */
function runClient(transport: 'tcp' | 'unix', pid: string): Promise<ClientResult> {
  const address = transport === 'tcp' ? String(hub.port) : hub.paths.socketPath;
  const child = spawn(process.execPath, [client, transport, address, transport === 'tcp' ? hub.token : '-', pid], { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));

  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      if (code === 0) resolve({ ...(JSON.parse(output) as ClientResult), clientPid: child.pid ?? 0 });
      else reject(new Error(`client exited with ${code}: ${output}`));
    });
  });
}

function listLeases(): Promise<LeaseOverview> {
  return callHub(hub.paths.socketPath, 'leases:list', {}) as Promise<LeaseOverview>;
}

const transports = hasSs() || process.platform === 'darwin' ? (['tcp', 'unix'] as const) : (['tcp'] as const);

describe.each(transports)('PeerProcessLookup over %s', (transport) => {
  it('grants a lease for the caller itself', async () => {
    const result = await runClient(transport, 'self');

    expect(result.status).toBe(200);
    expect(result.body.state).toBe('granted');
  });

  it('grants a lease for a child of the caller', async () => {
    const result = await runClient(transport, 'child');

    expect(result.status).toBe(200);
    expect(result.body.state).toBe('granted');
  });

  it('rejects an unrelated pid and keeps other leases', async () => {
    const holder = (await callHub(hub.paths.socketPath, 'leases:request', { pid: process.pid, resources: { cpuCores: 1 }, label: 'holder' })) as LeaseView;
    const before = await listLeases();

    const result = await runClient(transport, String(unrelated.pid));

    expect(result.status).toBe(400);
    expect(result.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    expect(result.body.message).toContain(`\`pid\` ${unrelated.pid} is not the calling process (pid ${result.clientPid}) or one of its children; pass os.getpid()`);
    const after = await listLeases();
    expect(after.leases).toEqual(before.leases);
    expect(after.leases.find((lease) => lease.leaseId === holder.leaseId)?.state).toBe('granted');
  });
});

describe('PeerProcessLookup', () => {
  /** Serves one request over `transport` from this process and returns the two lookups the handler made for it. */
  async function resolveOwnRequest(transport: 'tcp' | 'unix'): Promise<{ first: number | null; sameConnection: boolean }> {
    const socketPath = path.join(home, 'peer.sock');
    const lookup = new PeerProcessLookup({ socketPath, log: createSilentLogger() });
    const server = http.createServer((request, response) => {
      const first = lookup.resolve(request.socket, transport);
      const second = lookup.resolve(request.socket, transport);
      void first.then((pid) => response.end(JSON.stringify({ first: pid, sameConnection: first === second })));
    });
    await new Promise<void>((resolve) => (transport === 'tcp' ? server.listen(0, '127.0.0.1', resolve) : server.listen(socketPath, resolve)));
    const target = transport === 'tcp' ? { host: '127.0.0.1', port: (server.address() as AddressInfo).port } : { socketPath };

    try {
      return await new Promise((resolve, reject) => {
        http
          .get({ ...target, path: '/', agent: false }, (response) => {
            let text = '';
            response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
            response.on('end', () => resolve(JSON.parse(text) as { first: number | null; sameConnection: boolean }));
          })
          .on('error', reject);
      });
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  }

  it.each(transports)('finds this process as the %s client', async (transport) => {
    const result = await resolveOwnRequest(transport);

    expect(result.first).toBe(process.pid);
    expect(result.sameConnection).toBe(true);
  });
});
