import { type HardwareSample, type ThrottleState } from '../../../common/methods/hardware';

export interface ThrottleOptions {
  /** Busy share above which a unit counts as loaded (GPU active ratio, CPU usage ratio). */
  loadRatio: number;
  /** How long the load must last, and the window the current figures are averaged over, in milliseconds. */
  sustainMs: number;
  /** Throttled when both frequency and power fall to this share of their peak under the same load, or lower. */
  dropRatio: number;
}

/**
 * Defaults, our choice: 80 % busy for 10 s, and both clock and power at 70 % of
 * their peak or lower. On M-series chips the GPU has been seen to fall to about
 * a third of its clock and power while the OS level stayed nominal.
 */
export const defaultThrottleOptions: ThrottleOptions = { loadRatio: 0.8, sustainMs: 10_000, dropRatio: 0.7 };

type Unit = 'gpu' | 'cpu';

interface Reading {
  at: number;
  load: number | null;
  freqMhz: number | null;
  powerWatts: number | null;
}

interface UnitTrack {
  readings: Reading[];
  /** Peaks of the windowed means since the current load began; reset when the load stops. */
  peakFreqMhz: number;
  peakPowerWatts: number;
}

const notThrottled: ThrottleState = { throttled: false, signal: null, detail: null, sinceMs: null };

/**
 * Flags throttling from the samples. An OS thermal pressure above nominal is
 * reported as is. Otherwise a unit (GPU first, then CPU) counts as throttled
 * when it stayed loaded for `sustainMs` and its mean frequency and power over
 * that window fell to `dropRatio` of their peaks under the same load.
 */
export class ThrottleDetector {
  private readonly tracks: Record<Unit, UnitTrack> = { gpu: emptyTrack(), cpu: emptyTrack() };
  private current: ThrottleState = notThrottled;

  constructor(private readonly options: ThrottleOptions = defaultThrottleOptions) {}

  get state(): ThrottleState {
    return this.current;
  }

  /** Feeds one sample and returns the verdict after it. */
  update(sample: HardwareSample): ThrottleState {
    const at = sample.timestampMs;
    this.record('gpu', { at, load: sample.gpuActiveRatio, freqMhz: sample.gpuFreqMhz, powerWatts: sample.gpuPowerWatts });
    this.record('cpu', { at, load: sample.cpuUsageRatio, freqMhz: meanClusterFreq(sample), powerWatts: sample.cpuPowerWatts });

    // Both units are checked on every sample so that each keeps its peak up to date.
    const gpu = this.check('gpu');
    const cpu = this.check('cpu');
    let next: Omit<ThrottleState, 'sinceMs'> = gpu ?? cpu ?? notThrottled;
    if (sample.thermalPressure !== null && sample.thermalPressure !== 'nominal') {
      next = { throttled: true, signal: 'thermal_pressure', detail: `thermal pressure is ${sample.thermalPressure}` };
    }

    const continuing = this.current.throttled && this.current.signal === next.signal;
    let sinceMs: number | null = null;
    if (next.throttled) sinceMs = continuing ? this.current.sinceMs : at;
    this.current = { ...next, sinceMs };

    return this.current;
  }

  private record(unit: Unit, reading: Reading): void {
    const track = this.tracks[unit];
    track.readings.push(reading);
    while (track.readings.length > 0 && (track.readings[0] as Reading).at < reading.at - this.options.sustainMs) track.readings.shift();

    if (reading.load === null || reading.load < this.options.loadRatio) {
      track.peakFreqMhz = 0;
      track.peakPowerWatts = 0;
    }
  }

  private check(unit: Unit): Omit<ThrottleState, 'sinceMs'> | null {
    const track = this.tracks[unit];
    const { readings } = track;
    const first = readings[0];
    const last = readings[readings.length - 1];
    if (!first || !last || last.at - first.at < this.options.sustainMs * 0.9) return null;
    if (!readings.every((reading) => reading.load !== null && reading.load >= this.options.loadRatio)) return null;

    const freq = mean(readings.map((reading) => reading.freqMhz));
    const power = mean(readings.map((reading) => reading.powerWatts));
    if (freq === null || power === null) return null;

    track.peakFreqMhz = Math.max(track.peakFreqMhz, freq);
    track.peakPowerWatts = Math.max(track.peakPowerWatts, power);
    const dropped = freq <= track.peakFreqMhz * this.options.dropRatio && power <= track.peakPowerWatts * this.options.dropRatio;
    if (!dropped) return null;

    const label = unit.toUpperCase();
    const loadPercent = Math.round((mean(readings.map((reading) => reading.load)) ?? 0) * 100);

    return {
      throttled: true,
      signal: unit,
      detail: `${label} at ${Math.round(freq)} MHz and ${power.toFixed(1)} W under ${loadPercent}% load, down from ${Math.round(track.peakFreqMhz)} MHz and ${track.peakPowerWatts.toFixed(1)} W, while thermal pressure is nominal`,
    };
  }
}

function emptyTrack(): UnitTrack {
  return { readings: [], peakFreqMhz: 0, peakPowerWatts: 0 };
}

/** Mean of the values, or null when any is missing. */
function mean(values: readonly (number | null)[]): number | null {
  if (values.length === 0 || values.some((value) => value === null)) return null;

  return (values as number[]).reduce((sum, value) => sum + value, 0) / values.length;
}

/** Core-weighted mean cluster frequency; null when no cluster reports one. */
function meanClusterFreq(sample: HardwareSample): number | null {
  let weighted = 0;
  let cores = 0;
  for (const cluster of sample.cpuClusters) {
    if (cluster.freqMhz === null || cluster.cores === 0) continue;
    weighted += cluster.freqMhz * cluster.cores;
    cores += cluster.cores;
  }

  return cores > 0 ? weighted / cores : null;
}
