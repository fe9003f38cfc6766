import { type CpuCluster, emptySample, type HardwareSample, type ThermalPressure, thermalPressureLevels } from '../../../common/methods/hardware';
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

/** A record or line that could not be read, kept so callers can report it and go on. */
export interface SkippedRecord {
  /** Zero-based byte offset of the record's first byte in the input (UTF-8). */
  byteOffset: number;
  reason: string;
}

/** Samples read from powermetrics output, with the records that were skipped and the values set to null. */
export interface PowermetricsReadResult {
  samples: HardwareSample[];
  skipped: SkippedRecord[];
  /** Values outside their valid range (negative power), stored as null. */
  badValues: number;
}

/**
 * Converts every record it can and skips the rest, so one record truncated by
 * a Ctrl-C'd `powermetrics -o` does not lose the good ones before it.
 */
export function readPowermetricsRecords(text: string): PowermetricsReadResult {
  const stream = new PowermetricsStream();
  const samples = [...stream.push(text), ...stream.end()];

  return { samples, skipped: stream.skipped, badValues: stream.badValues };
}

/**
 * Incremental reader for a running `powermetrics -f plist` (for example piped
 * from `sudo powermetrics ...`): `push` takes text as it arrives and returns
 * the samples of every record completed by a NUL byte. A record that does not
 * convert is skipped and listed in `skipped`; it never stops the stream.
 */
export class PowermetricsStream {
  readonly skipped: SkippedRecord[] = [];
  private buffer = '';
  private bufferByteOffset = 0;
  private records = 0;
  private badValueCount = 0;

  get badValues(): number {
    return this.badValueCount;
  }

  push(chunk: string): HardwareSample[] {
    this.buffer += chunk;
    const parts = this.buffer.split('\0');
    this.buffer = parts.pop() ?? '';

    const samples: HardwareSample[] = [];
    for (const part of parts) {
      const sample = this.convert(part, this.bufferByteOffset);
      this.bufferByteOffset += Buffer.byteLength(part, 'utf8') + 1;
      if (sample) samples.push(sample);
    }

    return samples;
  }

  /** Converts what is left after the stream ends; powermetrics does not always end its last record with a NUL. */
  end(): HardwareSample[] {
    const sample = this.convert(this.buffer, this.bufferByteOffset);
    this.bufferByteOffset += Buffer.byteLength(this.buffer, 'utf8');
    this.buffer = '';

    return sample ? [sample] : [];
  }

  private convert(record: string, byteOffset: number): HardwareSample | null {
    if (record.trim() === '') return null;

    this.records++;
    try {
      return recordToSample(asDict(parsePlist(record), 'the record'), () => this.badValueCount++);
    } catch (error) {
      this.skipped.push({ byteOffset, reason: `powermetrics record ${this.records}: ${(error as Error).message}` });
      return null;
    }
  }
}

/** Maps one parsed record; fields the samplers did not provide stay null. */
export function recordToSample(record: PlistDict, onBadValue: () => void = () => undefined): HardwareSample {
  const elapsedNs = numberField(record, 'elapsed_ns');
  if (elapsedNs === null || elapsedNs <= 0) throw new PowermetricsFormatError('missing or invalid elapsed_ns');
  const processor = optionalDict(record, 'processor');
  const gpu = optionalDict(record, 'gpu');
  const clusters = processor ? listDicts(processor, 'clusters').map(toCluster) : [];
  const seconds = elapsedNs / 1e9;

  return {
    ...emptySample(parseTimestamp(record['timestamp']), elapsedNs / 1e6),
    cpuClusters: clusters.map((entry) => entry.cluster),
    cpuUsageRatio: meanUsage(clusters),
    cpuPowerWatts: processor ? powerWatts(processor, 'cpu', seconds, onBadValue) : null,
    gpuPowerWatts: processor ? powerWatts(processor, 'gpu', seconds, onBadValue) : null,
    anePowerWatts: processor ? powerWatts(processor, 'ane', seconds, onBadValue) : null,
    gpuActiveRatio: gpu ? activeRatio(gpu) : null,
    gpuFreqMhz: gpu ? numberField(gpu, 'freq_hz') : null,
    thermalPressure: parseThermalPressure(record['thermal_pressure']),
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

/**
 * `<unit>_power` in mW, else `<unit>_energy` in mJ divided by the window.
 * A negative reading is not a power, so it becomes null and is reported through `onBadValue`.
 */
function powerWatts(processor: PlistDict, unit: 'cpu' | 'gpu' | 'ane', seconds: number, onBadValue: () => void): number | null {
  const milliwatts = numberField(processor, `${unit}_power`);
  const millijoules = numberField(processor, `${unit}_energy`);
  let watts: number | null = null;
  if (milliwatts !== null) watts = milliwatts / 1000;
  else if (millijoules !== null) watts = millijoules / 1000 / seconds;
  if (watts === null || watts >= 0) return watts;

  onBadValue();
  return null;
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
