import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

import type { HubEvent } from '../src/common/events';
import { EventBus } from '../src/main/core/eventBus';
import { createSilentLogger } from '../src/main/core/logger';
import { resolveHubPaths } from '../src/main/core/paths';
import { serviceDefinitionSchema, servicesSettingsSchema } from '../src/main/core/services/definition';
import { Supervisor } from '../src/main/core/services/supervisor';
import { type BenchModule, type BenchRow, formatNumber, median } from './harness';

const run = promisify(execFile);
const benchDir = path.dirname(fileURLToPath(import.meta.url));
const fixturesDir = path.join(benchDir, '..', 'test', 'integration', 'services', 'fixtures');

/** Crashes measured; `BENCH_SERVICES_CRASHES` overrides it. */
const crashes = Number(process.env['BENCH_SERVICES_CRASHES'] ?? 20);
/** CPU measurement window in milliseconds; `BENCH_SERVICES_WINDOW_MS` overrides it. */
const windowMs = Number(process.env['BENCH_SERVICES_WINDOW_MS'] ?? 30_000);
const idleServices = 20;

function percentile(values: readonly number[], fraction: number): number {
  const sorted = [...values].sort((a, b) => a - b);

  return sorted[Math.min(sorted.length - 1, Math.floor(fraction * sorted.length))] ?? Number.NaN;
}

/**
 * Time from a child's exit (the fixture prints `crashing at=<ms>` just before
 * `process.exit(1)`) to the supervisor's `starting` event for the new process.
 * Each run lasts longer than `resetAfterMs`, so every restart is the immediate first one.
 */
async function measureRestartLatency(): Promise<BenchRow[]> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-bench-'));
  const paths = resolveHubPaths(dataDir);
  const log = createSilentLogger();
  const events = new EventBus(log);
  const startingAt: number[] = [];
  events.onDidEmit((event: HubEvent) => {
    if (event.type === 'services:didChange' && event.state === 'starting') startingAt.push(Date.now());
  });
  const supervisor = new Supervisor({ dataDir, logsDir: paths.logsDir, childrenFile: paths.childrenFile, log, events, settings: servicesSettingsSchema.parse({}), hubAddress: () => ({ url: null, socketPath: paths.socketPath, tokenFile: paths.tokenFile }) });
  const definition = serviceDefinitionSchema.parse({
    name: 'crasher',
    command: process.execPath,
    args: [path.join(fixturesDir, 'crashAfter.mjs'), '150'],
    restart: 'on-failure',
    readiness: { type: 'alive', forMs: 10 },
    backoff: { resetAfterMs: 100, maxRestarts: 1000 },
  });
  await supervisor.setDefinitions('builtin', [definition]);

  await supervisor.start('crasher');
  while (startingAt.length < crashes + 1) await new Promise((resolve) => setTimeout(resolve, 20));
  const crashTimes = supervisor.logs('crasher', 5000).lines.flatMap((line) => /^crashing at=(\d+)$/.exec(line)?.[1] ?? []).map(Number);
  await supervisor.close();

  const latencies = crashTimes.slice(0, crashes).map((crashAt, index) => startingAt[index + 1]! - crashAt);
  const p50 = median(latencies);

  return [
    {
      benchmark: 'service crash to restart start (p50)',
      result: `${formatNumber(p50, 1)} ms`,
      target: '< 100 ms',
      status: p50 < 100 ? 'met' : 'missed',
      note: `${latencies.length} crashes of a Node fixture, first restart (no backoff); p95 ${formatNumber(percentile(latencies, 0.95), 1)} ms`,
    },
  ];
}

/** CPU of a supervising process over the window, beside an empty Node process over the same window. */
async function measureIdleCpu(): Promise<BenchRow[]> {
  const tsnode = path.join(benchDir, '..', 'bin', 'tsnode.mjs');
  const hubRun = run(process.execPath, [tsnode, path.join(benchDir, 'servicesIdleHub.ts'), String(idleServices), String(windowMs), path.join(fixturesDir, 'bindPort.mjs')], { maxBuffer: 1024 * 1024 });
  const baselineScript = `const b = process.cpuUsage(); setTimeout(() => { const u = process.cpuUsage(b); console.log(JSON.stringify({ cpuMicros: u.user + u.system })); }, ${windowMs});`;
  const baselineRun = run(process.execPath, ['-e', baselineScript]);
  const [hub, baseline] = await Promise.all([hubRun, baselineRun]);

  const share = (stdout: string): number => (JSON.parse(stdout.trim().split('\n').pop()!) as { cpuMicros: number }).cpuMicros / 1000 / windowMs;
  const hubShare = share(hub.stdout);
  const baselineShare = share(baseline.stdout);

  return [
    {
      benchmark: `hub CPU supervising ${idleServices} idle services`,
      result: `${formatNumber(hubShare * 100, 2)} % of a core`,
      target: '< 1 % of a core',
      status: hubShare < 0.01 ? 'met' : 'missed',
      note: `process.cpuUsage over ${windowMs / 1000} s after all were ready; TCP health check every 10 s each`,
    },
    {
      benchmark: 'empty Node process CPU (baseline)',
      result: `${formatNumber(baselineShare * 100, 2)} % of a core`,
      target: '-',
      status: 'reference',
      note: `same ${windowMs / 1000} s window, run alongside`,
    },
  ];
}

const servicesBench: BenchModule = {
  title: 'managed services',
  run: async () => [...(await measureRestartLatency()), ...(await measureIdleCpu())],
};

export default servicesBench;
