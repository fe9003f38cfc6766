import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import type { LeaseView } from '../src/common/methods/leases';
import { Arbiter } from '../src/main/core/arbiter/arbiter';
import { planLeases, type PlanRequest } from '../src/main/core/arbiter/leaseQueue';
import type { Priority } from '../src/main/core/arbiter/priorities';
import type { ProcessProbe } from '../src/main/core/arbiter/processProbe';
import { rulesFor } from '../src/main/core/arbiter/thermalPolicy';
import { EventBus } from '../src/main/core/eventBus';
import { createHub } from '../src/main/core/hub';
import { createSilentLogger } from '../src/main/core/logger';
import { type BenchModule, type BenchRow, formatNumber } from './harness';

/** Round trips per kind; `BENCH_LEASE_ROUNDS` overrides it. */
const rounds = Number(process.env['BENCH_LEASE_ROUNDS'] ?? 2000);
const queuedRequests = 1000;
const priorities: Priority[] = ['high', 'normal', 'low'];

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);

  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

/** One hub call over the Unix socket on a keep-alive connection; returns the parsed reply and the round trip in ms. */
function post(socketPath: string, agent: http.Agent, name: string, input: unknown): Promise<{ body: unknown; ms: number }> {
  const body = JSON.stringify(input);
  const start = process.hrtime.bigint();

  return new Promise((resolve, reject) => {
    const request = http.request(
      { socketPath, agent, path: `/api/hub/${name.replace(':', '/')}`, method: 'POST', headers: { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(body) } },
      (response) => {
        let text = '';
        response.on('data', (chunk: Buffer) => (text += chunk.toString('utf8')));
        response.on('end', () => {
          const ms = Number(process.hrtime.bigint() - start) / 1e6;
          if (response.statusCode === 200) resolve({ body: JSON.parse(text) as unknown, ms });
          else reject(new Error(`${name}: HTTP ${response.statusCode} ${text}`));
        });
      },
    );
    request.on('error', reject);
    request.end(body);
  });
}

/** Grant latency (`leases:request` granted at once) beside `hub:status`, interleaved on one socket and connection. */
async function measureGrantLatency(): Promise<BenchRow[]> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-bench-'));
  const hub = await createHub({ dataDir: home, log: createSilentLogger(), listen: { port: null } });
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const bare: number[] = [];
  const grant: number[] = [];
  try {
    for (let i = 0; i < rounds + 100; i++) {
      const status = await post(hub.paths.socketPath, agent, 'hub:status', {});
      const requested = await post(hub.paths.socketPath, agent, 'leases:request', { pid: process.pid, resources: { memoryGb: 1, cpuCores: 1 } });
      const lease = requested.body as LeaseView;
      if (lease.state !== 'granted') throw new Error(`lease ${lease.leaseId} was ${lease.state}, expected granted`);
      await post(hub.paths.socketPath, agent, 'leases:release', { leaseId: lease.leaseId, pid: process.pid });

      // The first 100 rounds warm up the JIT and the connection.
      if (i < 100) continue;
      bare.push(status.ms);
      grant.push(requested.ms);
    }
  } finally {
    agent.destroy();
    await hub.close();
    fs.rmSync(home, { recursive: true, force: true });
  }

  const [bareP50, grantP50, grantP99] = [percentile(bare, 0.5), percentile(grant, 0.5), percentile(grant, 0.99)];
  const load = formatNumber(os.loadavg()[0] ?? 0, 1);
  const note = `${formatNumber(rounds)} interleaved calls each, one keep-alive connection, client in the hub's process; p90 ${formatNumber(percentile(bare, 0.9), 3)} ms bare, ${formatNumber(percentile(grant, 0.9), 3)} ms grant; load average ${load}`;

  return [
    { benchmark: 'bare hub round trip (hub:status), p50 / p99', result: `${formatNumber(bareP50, 3)} / ${formatNumber(percentile(bare, 0.99), 3)} ms`, target: '-', status: 'reference', note },
    { benchmark: 'lease grant (leases:request), p50', result: `${formatNumber(grantP50, 3)} ms (${formatNumber(grantP50 / bareP50, 2)}x bare)`, target: '<= 2x bare', status: grantP50 <= 2 * bareP50 ? 'met' : 'missed', note },
    { benchmark: 'lease grant (leases:request), p99', result: `${formatNumber(grantP99, 3)} ms`, target: '< 5 ms', status: grantP99 < 5 ? 'met' : 'missed', note },
  ];
}

const alwaysAlive: ProcessProbe = { isAlive: () => true, readStartTime: () => null, readTreeResidentBytes: async () => new Map() };

/** Scheduling rounds over 1,000 queued requests from 10 projects, pure planner and through the Arbiter. */
function measureDecisions(): BenchRow[] {
  const queue: PlanRequest[] = Array.from({ length: queuedRequests }, (_, index) => ({
    leaseId: `q${index}`,
    project: `project-${index % 10}`,
    pid: 1000 + index,
    priority: priorities[index % 3] ?? 'normal',
    resources: { memoryGb: 1 + (index % 8), gpuShare: index % 4 === 0 ? 0.5 : 0, neuralEngine: 0, cpuCores: 1 },
    waitingSince: index,
    sequence: index,
  }));
  const capacity = { memoryGb: 64, gpuShare: 1, neuralEngine: 1, cpuCores: 12 };
  const holder = { leaseId: 'h', project: 'holder', pid: 1, priority: 'normal' as const, preemptible: false, paused: false, grantedAt: 0, expectedEndAt: null, resources: capacity };
  const input = { now: 60_000, capacity, holders: [holder], queue, weightOf: () => 1, capOf: () => ({ memoryGb: Infinity, gpuShare: Infinity, neuralEngine: Infinity, cpuCores: Infinity }), agingMs: 600_000, thermalLevel: 'nominal' as const, thermalRules: rulesFor('nominal') };

  const planRounds = 200;
  planLeases(input);
  const start = process.hrtime.bigint();
  for (let i = 0; i < planRounds; i++) planLeases(input);
  const planSeconds = Number(process.hrtime.bigint() - start) / 1e9;
  const decisionsPerSecond = (planRounds * queuedRequests) / planSeconds;

  return [
    {
      benchmark: 'queue decisions with 1,000 queued requests',
      result: `${formatNumber(decisionsPerSecond)} decisions/s (${formatNumber((planSeconds / planRounds) * 1000, 2)} ms per round)`,
      target: '-',
      status: 'reference',
      note: `planLeases over 1,000 requests of 10 projects and 3 classes, all blocked; ${planRounds} rounds`,
    },
    measureGrantsUnderLoad(),
  ];
}

/** Release-and-grant cycles in the Arbiter while 1,000 requests wait: each release reschedules the whole queue. */
function measureGrantsUnderLoad(): BenchRow {
  const log = createSilentLogger();
  const arbiter = new Arbiter({ log, events: new EventBus(log), capacity: { memoryGb: 64, cpuCores: 12 }, probe: alwaysAlive, memoryCheckIntervalMs: 0 });
  const context = { transport: 'internal' } as const;
  const base = { preemptible: true, ttlMs: 3_600_000, label: '' };
  try {
    for (let index = 0; index < queuedRequests; index++) {
      const project = 'default';
      arbiter.request({ ...base, project, pid: 1000 + index, priority: priorities[index % 3], resources: { memoryGb: 64, gpuShare: 0, neuralEngine: false, cpuCores: 0 } }, context);
    }

    const cycles = 200;
    const start = process.hrtime.bigint();
    for (let i = 0; i < cycles; i++) {
      const granted = arbiter.list().leases.find((lease) => lease.state === 'granted');
      if (!granted) throw new Error('no granted lease to release');
      arbiter.release(granted.leaseId, undefined, undefined);
      arbiter.request({ ...base, project: 'default', pid: 5000 + i, priority: 'low', resources: { memoryGb: 64, gpuShare: 0, neuralEngine: false, cpuCores: 0 } }, context);
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;

    return {
      benchmark: 'release and re-grant with 1,000 queued',
      result: `${formatNumber(cycles / seconds)} grants/s (${formatNumber((seconds / cycles) * 1000, 2)} ms each)`,
      target: '-',
      status: 'reference',
      note: 'Arbiter in process: release the holder, grant the head of the queue, enqueue a new request',
    };
  } finally {
    arbiter.close();
  }
}

/** `Arbiter.request` without HTTP: the arbiter's own share of the grant latency. */
function measureInProcessGrant(): BenchRow {
  const log = createSilentLogger();
  const arbiter = new Arbiter({ log, events: new EventBus(log), capacity: { memoryGb: 64, cpuCores: 12 }, memoryCheckIntervalMs: 0 });
  const input = { project: 'default', pid: process.pid, resources: { memoryGb: 1, gpuShare: 0, neuralEngine: false, cpuCores: 1 }, preemptible: true, ttlMs: 30_000, label: '' };
  const durations: number[] = [];
  try {
    for (let i = 0; i < rounds + 100; i++) {
      const start = process.hrtime.bigint();
      const lease = arbiter.request(input, { transport: 'internal' });
      if (i >= 100) durations.push(Number(process.hrtime.bigint() - start) / 1e6);
      arbiter.release(lease.leaseId, undefined, process.pid);
    }
  } finally {
    arbiter.close();
  }

  return {
    benchmark: 'lease grant in process (Arbiter.request), p50 / p99',
    result: `${formatNumber(percentile(durations, 0.5), 3)} / ${formatNumber(percentile(durations, 0.99), 3)} ms`,
    target: '-',
    status: 'reference',
    note: `${formatNumber(rounds)} requests granted at once and released, real pid checks through /proc`,
  };
}

const benchmark: BenchModule = {
  title: 'lease arbiter',
  async run() {
    return [...(await measureGrantLatency()), measureInProcessGrant(), ...measureDecisions()];
  },
};

export default benchmark;
