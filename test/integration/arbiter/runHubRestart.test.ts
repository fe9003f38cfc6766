import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

import type { LeaseOverview, LeaseView } from '../../../src/common/methods/leases';
import { callHub } from '../../../src/main/cli/hubClient';
import { resolveHubPaths } from '../../../src/main/core/paths';

const root = path.resolve(import.meta.dirname, '../../..');
const ttlSeconds = 2;

let home: string;
let socketPath: string;
let children: ChildProcess[] = [];

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  socketPath = resolveHubPaths(home).socketPath;
});

afterEach(async () => {
  // SIGTERM lets `run` forward the signal to its command and the hub shut down cleanly.
  for (const child of children.reverse()) {
    if (child.exitCode !== null || child.signalCode !== null) continue;
    child.kill('SIGTERM');
    await waitForExit(child);
  }
  children = [];
  fs.rmSync(home, { recursive: true, force: true });
});

function start(args: string[]): ChildProcess {
  const child = spawn(process.execPath, ['bin/mlops-hub.mjs', ...args], { cwd: root, env: { ...process.env, MLOPS_HUB_HOME: home }, stdio: 'ignore' });
  children.push(child);

  return child;
}

function waitForExit(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) resolve();
    else child.once('exit', () => resolve());
  });
}

async function startServingHub(): Promise<ChildProcess> {
  const hub = start(['serve', '--port', '0']);
  await vi.waitFor(() => callHub(socketPath, 'hub:status', {}), { timeout: 60_000, interval: 200 });

  return hub;
}

async function listLeases(): Promise<LeaseView[]> {
  return ((await callHub(socketPath, 'leases:list', {})) as LeaseOverview).leases;
}

function isLeaseSaved(leaseId: string): boolean {
  const db = new Database(resolveHubPaths(home).databaseFile, { readonly: true, fileMustExist: true });
  try {
    return db.prepare('SELECT 1 FROM active_leases WHERE lease_id = ?').get(leaseId) !== undefined;
  } finally {
    db.close();
  }
}

function deleteSavedLease(leaseId: string): void {
  const db = new Database(resolveHubPaths(home).databaseFile, { fileMustExist: true });
  try {
    db.prepare('DELETE FROM active_leases WHERE lease_id = ?').run(leaseId);
  } finally {
    db.close();
  }
}

async function waitForLeaseIn(state: LeaseView['state']): Promise<LeaseView> {
  return vi.waitFor(
    async () => {
      const lease = (await listLeases()).find((candidate) => candidate.state === state);
      expect(lease).toBeDefined();
      return lease as LeaseView;
    },
    { timeout: 30_000, interval: 100 },
  );
}

describe('mlops-hub run', () => {
  it('keeps renewing its lease after the hub restarts', async () => {
    const firstHub = await startServingHub();
    start(['run', '--cpu', '1', '--ttl', String(ttlSeconds), '--', 'sleep', '20']);
    const granted = await vi.waitFor(
      async () => {
        const lease = (await listLeases()).find((candidate) => candidate.state === 'granted');
        expect(lease).toBeDefined();
        return lease as LeaseView;
      },
      { timeout: 30_000, interval: 100 },
    );

    // The hub saves lease changes in batches, and only a saved lease survives SIGKILL.
    await vi.waitFor(() => expect(isLeaseSaved(granted.leaseId)).toBe(true), { timeout: 10_000, interval: 100 });
    firstHub.kill('SIGKILL');
    await waitForExit(firstHub);
    await startServingHub();
    const restartedAt = Date.now();

    // The re-adopted lease expires `ttlSeconds` after the restart unless a heartbeat renews it.
    await vi.waitFor(
      async () => {
        const lease = (await listLeases()).find((candidate) => candidate.leaseId === granted.leaseId);
        expect(lease?.state).toBe('granted');
        expect(lease?.expiresAt).toBeGreaterThan(restartedAt + ttlSeconds * 1000);
      },
      { timeout: 15_000, interval: 100 },
    );
    const lease = (await listLeases()).find((candidate) => candidate.leaseId === granted.leaseId);
    expect(lease?.state).toBe('granted');
  });

  it('keeps waiting in the queue across a hub restart', async () => {
    const leaseFile = path.join(home, 'lease-id.txt');
    const firstHub = await startServingHub();
    const holder = start(['run', '--gpu', '--ttl', String(ttlSeconds), '--', 'sleep', '60']);
    const heldLease = await waitForLeaseIn('granted');
    const waiter = start(['run', '--gpu', '--ttl', String(ttlSeconds), '--', 'sh', '-c', `echo "$MLOPS_HUB_LEASE_ID" > ${leaseFile}`]);
    const queued = await waitForLeaseIn('queued');

    // Only saved leases survive SIGKILL, and the hub saves lease changes in batches.
    await vi.waitFor(() => expect(isLeaseSaved(heldLease.leaseId) && isLeaseSaved(queued.leaseId)).toBe(true), { timeout: 10_000, interval: 100 });
    firstHub.kill('SIGKILL');
    await waitForExit(firstHub);
    await startServingHub();
    // Releasing the holder's re-adopted lease lets the restarted hub grant the waiting one.
    holder.kill('SIGTERM');
    await waitForExit(holder);
    await waitForExit(waiter);

    expect(waiter.exitCode).toBe(0);
    expect(fs.readFileSync(leaseFile, 'utf8').trim()).toBe(queued.leaseId);
  });

  it('requests the lease again when the restarted hub lost it', async () => {
    const leaseFile = path.join(home, 'lease-id.txt');
    const firstHub = await startServingHub();
    const holder = start(['run', '--gpu', '--ttl', String(ttlSeconds), '--', 'sleep', '60']);
    const heldLease = await waitForLeaseIn('granted');
    const waiter = spawn(process.execPath, ['bin/mlops-hub.mjs', 'run', '--gpu', '--ttl', String(ttlSeconds), '--', 'sh', '-c', `echo "$MLOPS_HUB_LEASE_ID" > ${leaseFile}`], {
      cwd: root,
      env: { ...process.env, MLOPS_HUB_HOME: home },
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    children.push(waiter);
    let stderr = '';
    waiter.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const queued = await waitForLeaseIn('queued');

    // Deleting the saved row simulates a hub killed before its batched save of the queued lease.
    await vi.waitFor(() => expect(isLeaseSaved(heldLease.leaseId) && isLeaseSaved(queued.leaseId)).toBe(true), { timeout: 10_000, interval: 100 });
    firstHub.kill('SIGKILL');
    await waitForExit(firstHub);
    deleteSavedLease(queued.leaseId);
    await startServingHub();
    await vi.waitFor(() => expect(stderr).toContain(`no longer had lease ${queued.leaseId}`), { timeout: 30_000, interval: 100 });
    holder.kill('SIGTERM');
    await waitForExit(holder);
    await waitForExit(waiter);

    expect(waiter.exitCode).toBe(0);
    expect(fs.readFileSync(leaseFile, 'utf8').trim()).not.toBe(queued.leaseId);
    expect(stderr.match(/no longer had lease/g)).toHaveLength(1);
  });
});
