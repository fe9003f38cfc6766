import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { Arbiter } from '../../../../src/main/core/arbiter/arbiter';
import { LeaseStore, leasesMigrations } from '../../../../src/main/core/arbiter/leaseStore';
import type { ProcessProbe } from '../../../../src/main/core/arbiter/processProbe';
import { EventBus } from '../../../../src/main/core/eventBus';
import { createSilentLogger } from '../../../../src/main/core/logger';
import { openDatabase, type Db } from '../../../../src/main/core/storage/database';

const log = createSilentLogger();
const context = { transport: 'internal' } as const;
const dead = new Set<number>();
const probe: ProcessProbe = { isAlive: (pid) => !dead.has(pid), readStartTime: () => null, readTreeResidentBytes: async () => new Map() };

let home: string;
let db: Db;

beforeEach(() => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  db = openDatabase({ file: path.join(home, 'hub.db'), migrations: leasesMigrations, log });
  dead.clear();
});

afterEach(() => {
  db.close();
  fs.rmSync(home, { recursive: true, force: true });
});

function createArbiter(): Arbiter {
  return new Arbiter({ log, events: new EventBus(log), capacity: { memoryGb: 32, cpuCores: 8 }, probe, memoryCheckIntervalMs: 0, store: new LeaseStore(db, log) });
}

function ask(pid: number, memoryGb: number) {
  return { project: 'default', pid, resources: { memoryGb, gpuShare: 0, neuralEngine: false, cpuCores: 0 }, preemptible: true, ttlMs: 30_000, label: '' };
}

describe('LeaseStore', () => {
  it('re-adopts leases of running processes', () => {
    const first = createArbiter();
    const granted = first.request(ask(4242, 30), context);
    const queued = first.request(ask(4343, 30), context);
    const small = first.request(ask(4444, 1), context);
    first.close();
    dead.add(4343);

    const second = createArbiter();
    const leases = second.list().leases;
    second.close();

    expect(leases.map((lease) => lease.leaseId)).toEqual([granted.leaseId, small.leaseId]);
    expect(leases[0]?.state).toBe('granted');
    expect(leases.some((lease) => lease.leaseId === queued.leaseId)).toBe(false);
  });

  it('forgets released leases', () => {
    const first = createArbiter();
    const lease = first.request(ask(4242, 4), context);
    first.release(lease.leaseId, undefined, 4242);
    first.close();

    const second = createArbiter();
    expect(second.list().leases).toEqual([]);
    second.close();
  });

  it('drops an unreadable row', () => {
    db.prepare("INSERT INTO active_leases (lease_id, record_json, updated_at) VALUES ('broken', '{not json', 0)").run();

    expect(new LeaseStore(db, log).loadActive()).toEqual([]);
    expect(db.prepare('SELECT COUNT(*) FROM active_leases').pluck().get()).toBe(0);
  });
});
