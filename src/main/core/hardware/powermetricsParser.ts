import { type CpuCluster, type HardwareSample, type ThermalPressure, thermalPressureLevels } from '../../../common/methods/hardware';
import { parsePlist, type PlistDict, type PlistValue } from './plistParser';

/** A powermetrics record that parsed as a plist but lacks what a sample needs. */
export class PowermetricsFormatError extends Error {
  override readonly name = 'PowermetricsFormatError';
}

/**
 * Splits `powermetrics -f plist` output into records: powermetrics ends each
 * plist with a NUL byte. Blank pieces (the text after the last NUL) are dropped.
 */
export function splitPowermetricsRecords(text: string): string[] {
  return text.split('\0').filter((record) => record.trim() !== '');
}

/**
 * Converts every record of `powermetrics --samplers cpu_power,gpu_power,thermal -f plist`
 * output into samples of the helper's shape. Units as powermetrics writes them:
 * `*_power` in mW, `*_energy` in mJ over the window, cluster `freq_hz` in Hz,
 * `gpu.freq_hz` in MHz. Any number of clusters (Ultra chips list six).
 */
export function parsePowermetrics(text: string): HardwareSample[] {
  return splitPowermetricsRecords(text).map((record, index) => {
    try {
      return recordToSample(asDict(parsePlist(record), 'the record'));
    } catch (error) {
      throw new PowermetricsFormatError(`powermetrics record ${index + 1}: ${(error as Error).message}`, { cause: error });
    }
  });
}

/**
 * Incremental reader for a running `powermetrics -f plist` (for example piped
 * from `sudo powermetrics ...`): `push` takes text as it arrives and returns
 * the samples of every record completed by a NUL byte.
 */
export class PowermetricsStream {
  private buffer = '';
  private records = 0;

  push(chunk: string): HardwareSample[] {
    this.buffer += chunk;
    const parts = this.buffer.split('\0');
    this.buffer = parts.pop() ?? '';

    return parts.filter((record) => record.trim() !== '').map((record) => this.convert(record));
  }

  /** Converts what is left after the stream ends; powermetrics does not always end its last record with a NUL. */
  end(): HardwareSample[] {
    const rest = this.buffer;
    this.buffer = '';

    return rest.trim() === '' ? [] : [this.convert(rest)];
  }

  private convert(record: string): HardwareSample {
    this.records++;
    try {
      return recordToSample(asDict(parsePlist(record), 'the record'));
    } catch (error) {
      throw new PowermetricsFormatError(`powermetrics record ${this.records}: ${(error as Error).message}`, { cause: error });
    }
  }
}

/** Maps one parsed record; fields the samplers did not provide stay null. */
export function recordToSample(record: PlistDict): HardwareSample {
  const elapsedNs = numberField(record, 'elapsed_ns');
  if (elapsedNs === null || elapsedNs <= 0) throw new PowermetricsFormatError('missing or invalid elapsed_ns');
  const processor = optionalDict(record, 'processor');
  const gpu = optionalDict(record, 'gpu');
  const clusters = processor ? listDicts(processor, 'clusters').map(toCluster) : [];
  const seconds = elapsedNs / 1e9;

  return {
    timestampMs: parseTimestamp(record['timestamp']),
    intervalMs: elapsedNs / 1e6,
    cpuClusters: clusters.map((entry) => entry.cluster),
    cpuUsageRatio: meanUsage(clusters),
    cpuPowerWatts: processor ? powerWatts(processor, 'cpu', seconds) : null,
    gpuPowerWatts: processor ? powerWatts(processor, 'gpu', seconds) : null,
    anePowerWatts: processor ? powerWatts(processor, 'ane', seconds) : null,
    gpuActiveRatio: gpu ? activeRatio(gpu) : null,
    gpuFreqMhz: gpu ? numberField(gpu, 'freq_hz') : null,
    cpuTempCelsius: null,
    gpuTempCelsius: null,
    thermalPressure: parseThermalPressure(record['thermal_pressure']),
    memoryTotalBytes: null,
    memoryUsedBytes: null,
    memoryCachedBytes: null,
    swapTotalBytes: null,
    swapUsedBytes: null,
    memoryPressure: null,
    memoryStallRatio: null,
  };
}

interface ParsedCluster {
  cluster: CpuCluster;
  /** Sum of per-CPU active ratios, to weight the whole-CPU mean by core count. */
  activeSum: number;
}

/**
 * Cluster usage is the mean of its CPUs' `1 - idle_ratio`. The cluster's own
 * `idle_ratio` is not used: it is wrong on M2 Pro/Max and M3 Max (asitop and
 * pumas stopped reading it for that reason).
 */
function toCluster(cluster: PlistDict): ParsedCluster {
  const cpus = listDicts(cluster, 'cpus');
  const ratios = cpus.map(activeRatio).filter((ratio): ratio is number => ratio !== null);
  const activeSum = ratios.reduce((sum, ratio) => sum + ratio, 0);
  const freqHz = numberField(cluster, 'freq_hz');
  const name = cluster['name'];

  return {
    cluster: {
      name: typeof name === 'string' ? name.slice(0, 64) : 'cluster',
      cores: cpus.length,
      usageRatio: ratios.length > 0 ? activeSum / ratios.length : activeRatio(cluster),
      freqMhz: freqHz === null ? null : freqHz / 1e6,
    },
    activeSum,
  };
}

function meanUsage(clusters: readonly ParsedCluster[]): number | null {
  const cores = clusters.reduce((sum, entry) => sum + entry.cluster.cores, 0);
  if (cores === 0) return null;

  return clusters.reduce((sum, entry) => sum + entry.activeSum, 0) / cores;
}

/** `<unit>_power` in mW, else `<unit>_energy` in mJ divided by the window. */
function powerWatts(processor: PlistDict, unit: 'cpu' | 'gpu' | 'ane', seconds: number): number | null {
  const milliwatts = numberField(processor, `${unit}_power`);
  if (milliwatts !== null) return milliwatts / 1000;

  const millijoules = numberField(processor, `${unit}_energy`);

  return millijoules === null ? null : millijoules / 1000 / seconds;
}

function activeRatio(entry: PlistDict): number | null {
  const idle = numberField(entry, 'idle_ratio');
  if (idle === null) return null;

  return Math.min(1, Math.max(0, 1 - idle));
}

function parseThermalPressure(value: PlistValue | undefined): ThermalPressure | null {
  if (typeof value !== 'string') return null;
  const level = value.toLowerCase();

  return (thermalPressureLevels as readonly string[]).includes(level) ? (level as ThermalPressure) : null;
}

function parseTimestamp(value: PlistValue | undefined): number {
  const ms = typeof value === 'string' ? Date.parse(value) : Number.NaN;
  if (Number.isNaN(ms)) throw new PowermetricsFormatError(`missing or invalid timestamp ${JSON.stringify(value)}`);

  return ms;
}

function numberField(dict: PlistDict, key: string): number | null {
  const value = dict[key];

  return typeof value === 'number' && Number.isFinite(value) ? value : null;
}

function optionalDict(dict: PlistDict, key: string): PlistDict | null {
  const value = dict[key];

  return isDict(value) ? value : null;
}

function listDicts(dict: PlistDict, key: string): PlistDict[] {
  const value = dict[key];

  return Array.isArray(value) ? value.filter(isDict) : [];
}

function asDict(value: PlistValue, what: string): PlistDict {
  if (!isDict(value)) throw new PowermetricsFormatError(`${what} is not a <dict>`);

  return value;
}

function isDict(value: PlistValue | undefined): value is PlistDict {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
