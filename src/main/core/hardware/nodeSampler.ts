import os from 'node:os';

import { emptySample, type HardwareSample } from '../../../common/methods/hardware';

interface CpuTimes {
  busy: number;
  total: number;
}

/**
 * Samples CPU use and memory from Node's `os` module, for machines without
 * the native helper. Every field `os` cannot provide (power, GPU,
 * temperatures, pressure, swap) is null.
 */
export class NodeSampler {
  private timer: NodeJS.Timeout | null = null;
  private previous: CpuTimes[] = [];
  private previousAt = 0;

  constructor(
    private readonly intervalMs: number,
    private readonly onSample: (sample: HardwareSample) => void,
    private readonly now: () => number = Date.now,
  ) {}

  start(): void {
    this.previous = readCpuTimes();
    this.previousAt = performance.now();
    this.timer = setInterval(() => this.onSample(this.sample()), this.intervalMs);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Takes one sample covering the time since the previous one. */
  sample(): HardwareSample {
    const current = readCpuTimes();
    const at = performance.now();
    const usage = usageRatio(this.previous, current);
    const totalBytes = os.totalmem();
    const intervalMs = at - this.previousAt;

    this.previous = current;
    this.previousAt = at;

    return {
      ...emptySample(this.now(), intervalMs),
      cpuClusters: [{ name: 'cpu', cores: current.length, usageRatio: usage, freqMhz: meanSpeedMhz() }],
      cpuUsageRatio: usage,
      memoryTotalBytes: totalBytes,
      memoryUsedBytes: totalBytes - os.freemem(),
    };
  }
}

function readCpuTimes(): CpuTimes[] {
  return os.cpus().map(({ times }) => {
    const busy = times.user + times.nice + times.sys + times.irq;

    return { busy, total: busy + times.idle };
  });
}

function usageRatio(before: readonly CpuTimes[], after: readonly CpuTimes[]): number | null {
  let busy = 0;
  let total = 0;
  for (const [index, cpu] of after.entries()) {
    const previous = before[index];
    if (!previous) continue;
    busy += cpu.busy - previous.busy;
    total += cpu.total - previous.total;
  }

  return total > 0 ? Math.min(1, Math.max(0, busy / total)) : null;
}

/** Mean reported clock; null when the platform reports 0 (common in virtual machines and on Apple Silicon). */
function meanSpeedMhz(): number | null {
  const speeds = os.cpus().map((cpu) => cpu.speed).filter((speed) => speed > 0);

  return speeds.length > 0 ? speeds.reduce((sum, speed) => sum + speed, 0) / speeds.length : null;
}
