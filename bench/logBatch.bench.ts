import { type ChildProcess, fork } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { createHub } from '../src/main/core/hub';
import { createSilentLogger } from '../src/main/core/logger';
import { openDatabase } from '../src/main/core/storage/database';
import { allMigrations } from '../src/main/core/storage/migrations';
import { type BenchModule, type BenchRow, formatNumber } from './harness';

const clientCount = 4;
const pointsPerBatch = 1000;
/** Batches each client sends; `BENCH_LOG_BATCHES` overrides it. 100 batches × 4 clients = 400,000 points. */
const batchesPerClient = Number(process.env['BENCH_LOG_BATCHES'] ?? 100);
const keysPerBatch = 10;
const targetPointsPerSecond = 150_000;
const targetRatio = 0.3;

const clientScript = path.join(path.dirname(fileURLToPath(import.meta.url)), 'clients', 'logBatchClient.mjs');

interface ClientMessage {
  type: 'ready' | 'done' | 'error';
  points?: number;
  failures?: number;
  message?: string;
}

/** Ingestion through a real hub: HTTP on 127.0.0.1, token check, MLflow router, store. */
async function measureHttpIngestion(home: string): Promise<{ pointsPerSecond: number; pointsPerCpuSecond: number; stored: number; failures: number }> {
  const hub = await createHub({ dataDir: home, log: createSilentLogger(), listen: { port: 0, staticDir: path.join(home, 'no-build') } });
  try {
    const experimentId = await createExperiment(hub.port!, hub.token);
    const clients = Array.from({ length: clientCount }, () => fork(clientScript, [], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] }));
    const config = { port: hub.port, token: hub.token, experimentId, batches: batchesPerClient, keys: keysPerBatch };

    await Promise.all(clients.map((client) => exchange(client, config, 'ready')));
    const start = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    const results = await Promise.all(clients.map((client) => exchange(client, 'go', 'done')));
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;
    const cpu = process.cpuUsage(cpuStart);
    clients.forEach((client) => client.connected && client.disconnect());

    const points = results.reduce((sum, result) => sum + (result.points ?? 0), 0);
    const failures = results.reduce((sum, result) => sum + (result.failures ?? 0), 0);
    // Only the bench's keys: the hub's hardware domain also logs system metrics to running runs.
    const stored = hub.db.prepare("SELECT COUNT(*) FROM metrics WHERE key LIKE 'metric!_%' ESCAPE '!'").pluck().get() as number;

    // Server CPU time (user + system, in microseconds) tells what one free core would sustain on a busy machine.
    return { pointsPerSecond: points / seconds, pointsPerCpuSecond: points / ((cpu.user + cpu.system) / 1e6), stored, failures };
  } finally {
    await hub.close();
  }
}

/** Sends `message` to a client and resolves with its next reply of type `expected`. */
function exchange(client: ChildProcess, message: unknown, expected: ClientMessage['type']): Promise<ClientMessage> {
  return new Promise((resolve, reject) => {
    client.once('message', (reply: ClientMessage) => {
      if (reply.type === expected) resolve(reply);
      else reject(new Error(`bench client failed: ${reply.message ?? reply.type}`));
    });
    client.once('exit', (code) => reject(new Error(`bench client exited with code ${code}`)));
    client.send(message as object);
  });
}

async function createExperiment(port: number, token: string): Promise<string> {
  const response = await fetch(`http://127.0.0.1:${port}/api/2.0/mlflow/experiments/create`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'bench' }),
  });

  return ((await response.json()) as { experiment_id: string }).experiment_id;
}

/**
 * Measures the same points written straight into the same metrics table with
 * better-sqlite3: one prepared INSERT, one transaction per 1,000 points, the
 * same database settings (WAL, synchronous=NORMAL). No HTTP, JSON or checks.
 */
function measureRawInsert(home: string): number {
  const db = openDatabase({ file: path.join(home, 'raw.db'), migrations: allMigrations, log: createSilentLogger() });
  try {
    const insert = db.prepare('INSERT INTO metrics (run_key, key, step, timestamp, value, is_nan) VALUES (?, ?, ?, ?, ?, 0)');
    const writeBatch = db.transaction((runKey: number, batch: number) => {
      const stepsPerBatch = pointsPerBatch / keysPerBatch;
      for (let k = 0; k < keysPerBatch; k++) {
        for (let s = 0; s < stepsPerBatch; s++) {
          const step = batch * stepsPerBatch + s;
          insert.run(runKey, `metric_${k}`, step, 1_700_000_000_000 + step, Math.sin(step / 50 + k));
        }
      }
    });

    const start = process.hrtime.bigint();
    for (let batch = 0; batch < batchesPerClient; batch++) {
      for (let runKey = 1; runKey <= clientCount; runKey++) writeBatch(runKey, batch);
    }
    const seconds = Number(process.hrtime.bigint() - start) / 1e9;

    return (clientCount * batchesPerClient * pointsPerBatch) / seconds;
  } finally {
    db.close();
  }
}

const bench: BenchModule = {
  title: 'log-batch ingestion',
  async run(): Promise<BenchRow[]> {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-bench-'));
    try {
      const http = await measureHttpIngestion(path.join(home, 'hub'));
      const raw = measureRawInsert(home);
      const ratio = http.pointsPerSecond / raw;
      const total = clientCount * batchesPerClient * pointsPerBatch;
      const method = `${clientCount} child-process clients × ${batchesPerClient} log-batch requests of ${pointsPerBatch} metrics over loopback HTTP with token; ${formatNumber(http.stored)} of ${formatNumber(total)} points stored, ${http.failures} failed requests`;

      return [
        { benchmark: 'log-batch over HTTP', result: `${formatNumber(http.pointsPerSecond)} points/s`, target: `≥ ${formatNumber(targetPointsPerSecond)} points/s`, status: http.pointsPerSecond >= targetPointsPerSecond && http.stored === total ? 'met' : 'missed', note: method },
        { benchmark: 'log-batch per server CPU second', result: `${formatNumber(http.pointsPerCpuSecond)} points/s`, target: '-', status: 'reference', note: `points divided by the hub process's CPU time (user + system) during the run; load average ${os.loadavg()[0]!.toFixed(1)} at the end` },
        { benchmark: 'raw better-sqlite3 insert', result: `${formatNumber(raw)} points/s`, target: '-', status: 'reference', note: `same ${formatNumber(total)} points, prepared INSERT, one transaction per ${pointsPerBatch}` },
        { benchmark: 'HTTP / raw ratio', result: formatNumber(ratio, 2), target: `≥ ${targetRatio}`, status: ratio >= targetRatio ? 'met' : 'missed', note: 'points/s over HTTP divided by raw points/s' },
      ];
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  },
};

export default bench;
