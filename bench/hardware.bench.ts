import { execFileSync, spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { EventBus } from '../src/main/core/eventBus';
import { HardwareMonitor } from '../src/main/core/hardware/hardwareMonitor';
import { NodeSampler } from '../src/main/core/hardware/nodeSampler';
import { parseSampleLine } from '../src/main/core/hardware/sampleLine';
import { createSilentLogger } from '../src/main/core/logger';
import { openDatabase } from '../src/main/core/storage/database';
import { allMigrations } from '../src/main/core/storage/migrations';
import { Tracking } from '../src/main/core/tracking/tracking';
import { type BenchModule, type BenchRow, formatNumber, median, timeRepeated } from './harness';

const nativeDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'native');
const helper = path.join(nativeDir, 'build', 'hwhelper');
/** Seconds each helper runs (`BENCH_HW_SECONDS`, default 20); CPU time is extrapolated to one minute. */
const helperSeconds = Number(process.env['BENCH_HW_SECONDS'] ?? 20);
const sampleCount = 5000;

/**
 * CPU seconds of a process: /proc/<pid>/schedstat (time on CPU in ns) when the
 * kernel keeps it, else utime + stime of /proc/<pid>/stat (fields 14 and 15, in clock ticks).
 */
function readCpuSeconds(pid: number, ticksPerSecond: number): number {
  const schedstat = Number(fs.readFileSync(`/proc/${pid}/schedstat`, 'utf8').split(' ')[0]);
  if (Number.isFinite(schedstat) && schedstat > 0) return schedstat / 1e9;

  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');

  return (Number(fields[11]) + Number(fields[12])) / ticksPerSecond;
}

/** Runs the command for `seconds` and returns its CPU seconds, read just before it is stopped. */
async function measureProcessCpu(command: string, args: readonly string[], seconds: number, ticksPerSecond: number): Promise<number> {
  const child = spawn(command, args, { stdio: ['pipe', 'ignore', 'ignore'] });
  await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
  const cpuSeconds = readCpuSeconds(child.pid ?? 0, ticksPerSecond);
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;

  return cpuSeconds;
}

async function measureHelper(): Promise<BenchRow[]> {
  const build = spawnSync('make', ['-C', nativeDir], { encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`make -C native failed: ${build.stderr}`);
  const ticksPerSecond = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());
  const tickPercent = (1 / ticksPerSecond / helperSeconds) * 100;

  // The three processes run side by side, so the whole measurement takes `helperSeconds`.
  const [oneHz, tenHz, sleeper] = await Promise.all([
    measureProcessCpu(helper, ['stream', '--interval-ms', '1000'], helperSeconds, ticksPerSecond),
    measureProcessCpu(helper, ['stream', '--interval-ms', '100'], helperSeconds, ticksPerSecond),
    measureProcessCpu('sleep', [String(helperSeconds + 5)], helperSeconds, ticksPerSecond),
  ]);
  const percent = (cpuSeconds: number): number => (cpuSeconds / helperSeconds) * 100;
  const how = `/proc/<pid>/schedstat CPU time (ns) over ${helperSeconds} s, extrapolated to 1 min; where schedstat is 0, utime+stime with ${formatNumber(tickPercent, 3)} % resolution`;

  return [
    { benchmark: 'hwhelper CPU at 1 Hz (Linux backend)', result: `${formatNumber(percent(oneHz), 3)} % of one core (${formatNumber(oneHz * (60 / helperSeconds), 2)} s per min)`, target: '< 0.1 %', status: percent(oneHz) < 0.1 ? 'met' : 'missed', note: how },
    { benchmark: 'hwhelper CPU at 10 Hz (Linux backend)', result: `${formatNumber(percent(tenHz), 3)} % of one core (${formatNumber(tenHz * (60 / helperSeconds), 2)} s per min)`, target: '< 1 %', status: percent(tenHz) < 1 ? 'met' : 'missed', note: how },
    { benchmark: 'baseline: sleep process', result: `${formatNumber(percent(sleeper), 3)} % of one core`, target: '-', status: 'reference', note: 'same method, a process that only sleeps' },
  ];
}

function measureNodeSampler(): BenchRow {
  const sampler = new NodeSampler(1000, () => undefined);
  sampler.start();
  sampler.stop();
  const perSampleMs = median(timeRepeated(() => sampler.sample(), 2000));

  return {
    benchmark: 'baseline: Node-only sampler, one sample',
    result: `${formatNumber(perSampleMs * 1000, 1)} µs (${formatNumber(perSampleMs / 10, 4)} % of one core at 1 Hz)`,
    target: '-',
    status: 'reference',
    note: 'median of 2,000 in-process os.cpus() + os.freemem() readings',
  };
}

/** Helper lines as the monitor receives them, one second apart, so minute aggregates are flushed every 60 samples. */
function makeLines(count: number): string[] {
  const line = execFileSync(helper, ['stream', '--interval-ms', '100', '--count', '1'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  const sample = JSON.parse(line) as { timestampMs: number };

  return Array.from({ length: count }, (_, index) => JSON.stringify({ ...sample, timestampMs: sample.timestampMs + index * 1000, cpuPowerWatts: 5 + (index % 7) }));
}

function measureParseAndStore(home: string): BenchRow[] {
  const lines = makeLines(sampleCount);
  const log = createSilentLogger();
  const db = openDatabase({ file: path.join(home, 'hub.db'), migrations: allMigrations, log });
  const events = new EventBus(log);
  const tracking = new Tracking({ db, log, events });
  const plain = new HardwareMonitor({ db, log, helperPath: helper });
  const withRun = new HardwareMonitor({ db, log, helperPath: helper, tracking, events, runMetricsIntervalMs: 0 });
  const experiment = tracking.createExperiment('bench-hardware', undefined, []);
  tracking.createRun({ experimentId: String(experiment.experiment_id), tags: [] });
  // The run was created after withRun started following runs, so announce it as the hub would.
  events.emit({ type: 'runs:didChange', runId: tracking.searchRuns({ experimentIds: [String(experiment.experiment_id)], viewType: 'ACTIVE_ONLY', maxResults: 1, orderBy: [] }).runs[0]?.row.run_id ?? '', experimentId: String(experiment.experiment_id), status: 'RUNNING' });

  const perSample = (work: (line: string) => void): number => {
    const start = process.hrtime.bigint();
    for (const line of lines) work(line);

    return Number(process.hrtime.bigint() - start) / 1e3 / lines.length;
  };
  const jsonOnly = perSample((line) => JSON.parse(line));
  const parseOnly = perSample((line) => parseSampleLine(line));
  const stored = perSample((line) => {
    const result = parseSampleLine(line);
    if (result.ok) plain.acceptSample(result.sample);
  });
  const logged = perSample((line) => {
    const result = parseSampleLine(line);
    if (result.ok) withRun.acceptSample(result.sample);
  });
  db.close();
  const how = `${formatNumber(sampleCount)} real helper lines, mean per line, file database in WAL mode`;

  return [
    { benchmark: 'hub: JSON.parse of one helper line', result: `${formatNumber(jsonOnly, 1)} µs`, target: '-', status: 'reference', note: how },
    { benchmark: 'hub: parse + validate one sample', result: `${formatNumber(parseOnly, 1)} µs`, target: '-', status: 'reference', note: 'JSON.parse + zod schema' },
    { benchmark: 'hub: parse + store one sample', result: `${formatNumber(stored, 1)} µs`, target: '-', status: 'reference', note: 'adds the live buffer, throttle check and per-minute aggregates' },
    { benchmark: 'hub: parse + store + log to 1 running run', result: `${formatNumber(logged, 1)} µs`, target: '-', status: 'reference', note: 'adds one log-batch of 13 system/ metrics per sample' },
  ];
}

const hardwareBench: BenchModule = {
  title: 'hardware helper and monitor',
  async run() {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-bench-'));
    try {
      const helperRows = await measureHelper();
      return [...helperRows, measureNodeSampler(), ...measureParseAndStore(home)];
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  },
};

export default hardwareBench;
