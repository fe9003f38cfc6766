import { z } from 'zod';

import { defineMethod } from '../contract';

const nullableNumber = z.number().nullable();
const nullableRatio = z.number().min(0).max(1).nullable();
/** Power in watts; a negative reading is a sensor or parser fault, so it becomes null (`countNegativePower` counts them). */
const nullablePowerWatts = z
  .number()
  .nullable()
  .transform((watts) => (watts !== null && watts < 0 ? null : watts));

/** Power fields of a sample, in the order the helper prints them. */
export const powerFields = ['cpuPowerWatts', 'gpuPowerWatts', 'anePowerWatts'] as const;

/** macOS thermal pressure levels, mildest first (Libc `OSThermalNotification.h`: Nominal 0 .. Sleeping 4). */
export const thermalPressureLevels = ['nominal', 'moderate', 'heavy', 'trapping', 'sleeping'] as const;
export type ThermalPressure = (typeof thermalPressureLevels)[number];

export const memoryPressureLevels = ['normal', 'warning', 'critical'] as const;
export type MemoryPressure = (typeof memoryPressureLevels)[number];

/** One CPU cluster: cores of one type, or every core when the OS reports no cluster topology. */
export const cpuClusterSchema = z.object({
  name: z.string().max(64),
  cores: z.number().int().min(0),
  usageRatio: nullableRatio,
  freqMhz: nullableNumber,
});

/**
 * One hardware sample, exactly as `hwhelper stream` prints it (see native/README.md).
 * Every measurement is null when the machine cannot provide it; the monitor never fills in a value.
 */
export const hardwareSampleSchema = z.object({
  /** Milliseconds since the Unix epoch. */
  timestampMs: z.number().int().nonnegative(),
  /** Measured window the sample covers, in milliseconds. */
  intervalMs: z.number().nonnegative().nullable(),
  cpuClusters: z.array(cpuClusterSchema).max(64),
  cpuUsageRatio: nullableRatio,
  cpuPowerWatts: nullablePowerWatts,
  gpuPowerWatts: nullablePowerWatts,
  anePowerWatts: nullablePowerWatts,
  gpuActiveRatio: nullableRatio,
  gpuFreqMhz: nullableNumber,
  cpuTempCelsius: nullableNumber,
  gpuTempCelsius: nullableNumber,
  thermalPressure: z.enum(thermalPressureLevels).nullable(),
  memoryTotalBytes: nullableNumber,
  memoryUsedBytes: nullableNumber,
  memoryCachedBytes: nullableNumber,
  swapTotalBytes: nullableNumber,
  swapUsedBytes: nullableNumber,
  memoryPressure: z.enum(memoryPressureLevels).nullable(),
  /** Linux PSI "some avg10" of memory, 0..1; null on macOS. */
  memoryStallRatio: nullableRatio,
});

/** Counts the negative power values of a raw sample object, which the schema turns into null. */
export function countNegativePower(value: unknown): number {
  if (typeof value !== 'object' || value === null) return 0;
  const record = value as Record<string, unknown>;

  return powerFields.filter((field) => typeof record[field] === 'number' && (record[field] as number) < 0).length;
}

export type CpuCluster = z.infer<typeof cpuClusterSchema>;
export type HardwareSample = z.infer<typeof hardwareSampleSchema>;

/** Builds a sample in which every measurement is unknown (null); readers fill in what their source provides. */
export function emptySample(timestampMs: number, intervalMs: number | null): HardwareSample {
  return {
    timestampMs,
    intervalMs,
    cpuClusters: [],
    cpuUsageRatio: null,
    cpuPowerWatts: null,
    gpuPowerWatts: null,
    anePowerWatts: null,
    gpuActiveRatio: null,
    gpuFreqMhz: null,
    cpuTempCelsius: null,
    gpuTempCelsius: null,
    thermalPressure: null,
    memoryTotalBytes: null,
    memoryUsedBytes: null,
    memoryCachedBytes: null,
    swapTotalBytes: null,
    swapUsedBytes: null,
    memoryPressure: null,
    memoryStallRatio: null,
  };
}

/** Machine description, as `hwhelper info` prints it. */
export const hardwareInfoSchema = z.object({
  chip: z.string().max(256).nullable(),
  model: z.string().max(256).nullable(),
  performanceCores: z.number().int().nonnegative().nullable(),
  efficiencyCores: z.number().int().nonnegative().nullable(),
  /** All CPU cores; set when the performance/efficiency split is unknown (Node's \`os.cpus()\`). */
  cores: z.number().int().nonnegative().nullable().optional(),
  gpuCores: z.number().int().nonnegative().nullable(),
  neuralEngine: z.boolean().nullable(),
  memoryBytes: nullableNumber,
  osName: z.string().max(256).nullable(),
  osVersion: z.string().max(256).nullable(),
});

export type HardwareInfo = z.infer<typeof hardwareInfoSchema>;

/** Sample origin: the native helper, Node's `os` module, a replayed trace, or powermetrics output. */
export type SampleSource = 'helper' | 'node' | 'replay' | 'powermetrics';

/** Throttling seen in the samples; `signal` names what showed it. */
export interface ThrottleState {
  throttled: boolean;
  /** `thermal_pressure` when the OS level is above nominal, else `gpu` or `cpu` when their frequency and power fell under load. */
  signal: 'thermal_pressure' | 'gpu' | 'cpu' | null;
  /** One sentence with the figures behind the verdict; null when not throttled. */
  detail: string | null;
  /** Milliseconds since the Unix epoch when the current verdict began; null when not throttled. */
  sinceMs: number | null;
}

/** The monitor's state as `hardware:info` returns it. */
export interface HardwareStatus {
  info: HardwareInfo | null;
  /** False until sampling starts, and in a hub opened in-process by the CLI, which only reads history. Absent means true. */
  sampling?: boolean;
  source: SampleSource;
  /** Requested time between samples, in milliseconds. */
  intervalMs: number;
  /** Visible notice when sampling is degraded (helper missing, restarting, replay); null when all is well. */
  notice: string | null;
  /** Reason the source is not the one requested (an unusable replay file); null or absent when it is. */
  sourceDetail?: string | null;
  /** Lines from the helper that were not valid samples and were skipped. */
  badLines: number;
  /** Values from the helper outside their valid range (negative power), stored as null. Absent means 0. */
  badValues?: number;
  restarts: number;
  throttle: ThrottleState;
  latest: HardwareSample | null;
}

/** Per-minute aggregate of one quantity. */
export interface MinuteAggregate {
  min: number;
  mean: number;
  max: number;
  count: number;
}

/** One minute of history: `values` maps a quantity (`cpuPowerWatts`, ...) to its aggregate. */
export interface HistoryMinute {
  minuteMs: number;
  values: Record<string, MinuteAggregate>;
}

/** Largest number of samples `hardware:live` returns: 15 minutes at 10 Hz. */
export const maxLiveSamples = 9000;

export const hardwareMethods = {
  'hardware:info': defineMethod<HardwareStatus>()('Describe the machine and the hardware monitor: chip, sample source, notices, throttling and the latest sample.', z.object({})),
  'hardware:live': defineMethod<HardwareSample[]>()(
    'Return the latest samples at full rate, oldest first (the hub keeps 15 minutes).',
    z.object({ count: z.number().int().min(1).max(maxLiveSamples).default(60) }),
  ),
  'hardware:history': defineMethod<HistoryMinute[]>()(
    'Return per-minute min, mean and max of each quantity between fromMs and toMs (milliseconds since the Unix epoch; the hub keeps 30 days).',
    z
      .object({ fromMs: z.number().int().nonnegative(), toMs: z.number().int().nonnegative() })
      .refine((range) => range.fromMs <= range.toMs, { message: 'fromMs must not be after toMs' }),
  ),
} as const;
