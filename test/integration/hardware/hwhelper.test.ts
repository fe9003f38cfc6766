import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';

import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { type HardwareSample, hardwareInfoSchema, hardwareSampleSchema } from '../../../src/common/methods/hardware';
import { buildNativeHelper, createTempHome, helperPath as helper, nativeDir } from './nativeHelper';

let dir: string;

beforeAll(() => {
  buildNativeHelper();
});

beforeEach(() => {
  dir = createTempHome();
});

afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

function run(args: readonly string[], env: NodeJS.ProcessEnv = process.env): { status: number | null; stdout: string; stderr: string } {
  // stdin from /dev/null: the helper watches only pipes, sockets and terminals for end of file.
  const result = spawnSync(helper, args, { encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });

  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function parseLines(stdout: string): HardwareSample[] {
  return stdout
    .trim()
    .split('\n')
    .map((line) => hardwareSampleSchema.parse(JSON.parse(line)));
}

/** Spawns `stream` with a stdin pipe and resolves with the child once its first line arrives. */
async function startStream(args: readonly string[]): Promise<{ child: ReturnType<typeof spawn>; lines: string[] }> {
  const child = spawn(helper, ['stream', ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
  const lines: string[] = [];
  const reader = readline.createInterface({ input: child.stdout });
  await new Promise<void>((resolve) => {
    reader.on('line', (line) => {
      lines.push(line);
      if (lines.length === 1) resolve();
    });
  });

  return { child, lines };
}

function waitForExit(child: ReturnType<typeof spawn>): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

describe('hwhelper', () => {
  it('prints info that matches the schema', () => {
    const result = run(['info']);
    const info = hardwareInfoSchema.parse(JSON.parse(result.stdout));

    expect(result.status).toBe(0);
    expect(info.osName).toBe(os.type());
    expect(info.memoryBytes).toBeGreaterThan(os.totalmem() * 0.9);
    expect(info.memoryBytes).toBeLessThan(os.totalmem() * 1.1);
    expect(info.performanceCores).toBe(os.availableParallelism());
    expect(info.neuralEngine).toBeNull();
  });

  it('streams samples with plausible values', () => {
    const result = run(['stream', '--interval-ms', '100', '--count', '3']);
    const samples = parseLines(result.stdout);

    expect(result.status).toBe(0);
    expect(samples).toHaveLength(3);
    for (const sample of samples) {
      expect(sample.cpuUsageRatio).toBeGreaterThanOrEqual(0);
      expect(sample.cpuUsageRatio).toBeLessThanOrEqual(1);
      expect(sample.cpuClusters.reduce((sum, cluster) => sum + cluster.cores, 0)).toBe(os.cpus().length);
      expect(sample.memoryUsedBytes).toBeGreaterThan(0);
      expect(sample.memoryUsedBytes).toBeLessThanOrEqual(sample.memoryTotalBytes ?? 0);
      expect(sample.intervalMs).toBeGreaterThan(0);
      expect(sample.thermalPressure).toBeNull();
      expect(sample.anePowerWatts).toBeNull();
      expect(Math.abs(sample.timestampMs - Date.now())).toBeLessThan(60_000);
    }
  });

  it('exits cleanly on SIGTERM', async () => {
    const { child } = await startStream(['--interval-ms', '100']);
    const exited = waitForExit(child);
    child.kill('SIGTERM');

    expect(await exited).toEqual({ code: 0, signal: null });
  });

  it('exits cleanly when stdin closes', async () => {
    const { child } = await startStream(['--interval-ms', '100']);
    const exited = waitForExit(child);
    child.stdin?.end();

    expect(await exited).toEqual({ code: 0, signal: null });
  });

  it('exits with code 4 when the reader goes away', async () => {
    const { child } = await startStream(['--interval-ms', '100']);
    const exited = waitForExit(child);
    child.stdout?.destroy();

    expect(await exited).toEqual({ code: 4, signal: null });
  });

  it('rejects unknown flags and bad intervals with exit code 2', () => {
    const cases: [string[], RegExp][] = [
      [['stream', '--bogus'], /unknown option '--bogus'/],
      [['stream', '--interval-ms', '99'], /invalid --interval-ms '99': expected an integer in 100\.\.60000/],
      [['stream', '--interval-ms', '60001'], /invalid --interval-ms '60001'/],
      [['stream', '--interval-ms', '1e3'], /invalid --interval-ms '1e3'/],
      [['stream', '--interval-ms'], /--interval-ms needs a value/],
      [['info', '--interval-ms', '100'], /unknown option '--interval-ms' for 'info'/],
      [['sample'], /unknown or missing command 'sample'/],
      [[], /unknown or missing command/],
    ];

    for (const [args, message] of cases) {
      const result = run(args);
      expect(result.status, args.join(' ')).toBe(2);
      expect(result.stderr).toMatch(message);
      expect(result.stdout).toBe('');
    }
  });

  it('writes debug readings to stderr only', () => {
    const result = run(['stream', '--interval-ms', '100', '--count', '1', '--debug']);

    expect(result.stderr).toMatch(/^debug: \/proc\/stat cpu0 busy=/m);
    expect(parseLines(result.stdout)).toHaveLength(1);
  });

  it('keeps lines whole while the CPU is busy', async () => {
    const burners = Array.from({ length: 2 }, () => spawn(process.execPath, ['-e', 'const end = Date.now() + 3000; while (Date.now() < end);']));
    const result = spawnSync(helper, ['stream', '--interval-ms', '100', '--count', '20'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    await Promise.all(burners.map((burner) => (burner.exitCode === null ? waitForExit(burner) : Promise.resolve())));

    const samples = parseLines(result.stdout);
    expect(samples).toHaveLength(20);
    expect(Math.max(...samples.map((sample) => sample.cpuUsageRatio ?? 0))).toBeGreaterThan(0.3);
  });

  it('reads powercap, hwmon, PSI and cluster topology from a fake sysroot', () => {
    const root = makeFakeSysroot(dir);
    const result = run(['stream', '--interval-ms', '100', '--count', '2'], { ...process.env, HWHELPER_SYSROOT: root });
    const [, sample] = parseLines(result.stdout);

    expect(sample?.cpuClusters.map((cluster) => cluster.name)).toEqual(['cluster0', 'cluster1']);
    expect(sample?.cpuClusters[0]?.freqMhz).toBe(2400);
    expect(sample?.cpuTempCelsius).toBe(50);
    expect(sample?.gpuTempCelsius).toBe(70);
    expect(sample?.cpuPowerWatts).toBe(0);
    expect(sample?.memoryTotalBytes).toBe(8_000_000 * 1024);
    expect(sample?.memoryUsedBytes).toBe(6_000_000 * 1024);
    expect(sample?.memoryCachedBytes).toBe(1_500_000 * 1024);
    expect(sample?.swapUsedBytes).toBe(250_000 * 1024);
    expect(sample?.memoryStallRatio).toBeCloseTo(0.125, 9);
    expect(sample?.memoryPressure).toBe('warning');
  });
});

describe('hwhelper with out-of-range system files', () => {
  it('replaces invalid UTF-8 in the chip name with U+FFFD', () => {
    const root = makeFakeSysroot(dir);
    // "Intel(R) Xeon" with the Latin-1 byte 0xAE for the registered sign, as some firmware writes it.
    fs.writeFileSync(path.join(root, 'proc/cpuinfo'), Buffer.concat([Buffer.from('model name\t: Intel'), Buffer.from([0xae]), Buffer.from(' Xeon\n')]));
    const result = spawnSync(helper, ['info'], { env: { ...process.env, HWHELPER_SYSROOT: root }, stdio: ['ignore', 'pipe', 'pipe'], timeout: 30_000 });

    expect(result.status).toBe(0);
    expect(result.stdout.includes(0xae)).toBe(false);
    expect(result.stdout.toString('utf8')).toContain('"chip":"Intel\\ufffd Xeon"');
    expect(hardwareInfoSchema.parse(JSON.parse(result.stdout.toString('utf8'))).chip).toBe('Intel\ufffd Xeon');
  });

  it('reports unknown memory and a clamped stall ratio for impossible values', () => {
    const root = makeFakeSysroot(dir);
    fs.writeFileSync(path.join(root, 'proc/meminfo'), 'MemTotal: 1000 kB\nMemAvailable: 2000 kB\nBuffers: 0 kB\nCached: 0 kB\nSwapTotal: 100 kB\nSwapFree: 300 kB\n');
    fs.writeFileSync(path.join(root, 'proc/pressure/memory'), 'some avg10=150.00 avg60=0.00 avg300=0.00 total=1\n');
    const result = run(['stream', '--interval-ms', '100', '--count', '1'], { ...process.env, HWHELPER_SYSROOT: root });
    const [sample] = parseLines(result.stdout);

    expect(sample?.memoryUsedBytes).toBeNull();
    expect(sample?.swapUsedBytes).toBeNull();
    expect(sample?.memoryStallRatio).toBe(1);
  });
});

describe('native Makefile', () => {
  it('keeps the required flags when CFLAGS is given', () => {
    const result = spawnSync('make', ['-C', nativeDir, '-n', '-B', 'CFLAGS=-g', 'build/hwhelper'], { encoding: 'utf8' });

    expect(result.status).toBe(0);
    expect(result.stdout).toMatch(/-std=c11 .*-g /);
  });
});

/** Creates a /proc and /sys tree with two one-CPU clusters, a RAPL counter, a coretemp and an amdgpu sensor. */
function makeFakeSysroot(base: string): string {
  const root = path.join(base, 'root');
  const files: Record<string, string> = {
    'proc/stat': 'cpu  10 0 10 100 0 0 0 0 0 0\ncpu0 5 0 5 50 0 0 0 0 0 0\ncpu1 5 0 5 50 0 0 0 0 0 0\n',
    'proc/meminfo': 'MemTotal: 8000000 kB\nMemFree: 1000000 kB\nMemAvailable: 2000000 kB\nBuffers: 500000 kB\nCached: 1000000 kB\nSwapTotal: 1000000 kB\nSwapFree: 750000 kB\n',
    'proc/pressure/memory': 'some avg10=12.50 avg60=3.00 avg300=1.00 total=123\nfull avg10=1.00 avg60=0.00 avg300=0.00 total=12\n',
    'sys/devices/system/cpu/cpu0/topology/cluster_id': '0\n',
    'sys/devices/system/cpu/cpu1/topology/cluster_id': '1\n',
    'sys/devices/system/cpu/cpu0/cpufreq/scaling_cur_freq': '2400000\n',
    'sys/class/powercap/intel-rapl:0/energy_uj': '123456789\n',
    'sys/class/powercap/intel-rapl:0/max_energy_range_uj': '262143328850\n',
    'sys/class/hwmon/hwmon0/name': 'coretemp\n',
    'sys/class/hwmon/hwmon0/temp1_input': '55000\n',
    'sys/class/hwmon/hwmon1/name': 'amdgpu\n',
    'sys/class/hwmon/hwmon1/temp1_input': '70000\n',
    'sys/class/thermal/thermal_zone0/type': 'x86_pkg_temp\n',
    'sys/class/thermal/thermal_zone0/temp': '45000\n',
    'sys/class/thermal/thermal_zone1/type': 'acpitz\n',
    'sys/class/thermal/thermal_zone1/temp': '5000\n',
  };
  for (const [file, content] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(root, file)), { recursive: true });
    fs.writeFileSync(path.join(root, file), content);
  }

  return root;
}
