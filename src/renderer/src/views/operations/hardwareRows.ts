import { thermalPressureLevels, type HardwareSample, type HistoryMinute } from '../../../../common/methods/hardware';
import type { TimeRow, TimeSeries } from '../../charts/TimeSeriesChart';
import type { ThermalChange } from '../../store/operationsTypes';

const bytesPerGb = 2 ** 30;

export const powerSeries: TimeSeries[] = [
  { key: 'cpu', label: 'CPU', color: '#2563eb' },
  { key: 'gpu', label: 'GPU', color: '#16a34a' },
  { key: 'ane', label: 'Neural Engine', color: '#9333ea' },
];

export const temperatureSeries: TimeSeries[] = [
  { key: 'cpu', label: 'CPU', color: '#dc2626' },
  { key: 'gpu', label: 'GPU', color: '#ea580c' },
];

export const memorySeries: TimeSeries[] = [
  { key: 'used', label: 'Used', color: '#2563eb' },
  { key: 'cached', label: 'Cached', color: '#0891b2' },
  { key: 'swap', label: 'Swap used', color: '#db2777' },
];

export const usageSeries: TimeSeries[] = [
  { key: 'cpu', label: 'CPU', color: '#2563eb' },
  { key: 'gpu', label: 'GPU', color: '#16a34a' },
];

export const thermalSeries: TimeSeries[] = [{ key: 'level', label: 'Thermal pressure', color: '#dc2626' }];

/** Y ticks of the thermal timeline: 0 nominal .. 4 sleeping. */
export const thermalTicks = thermalPressureLevels.map((_, index) => index);

export function formatThermalTick(value: number): string {
  return thermalPressureLevels[value] ?? '';
}

export function toPowerRows(samples: readonly HardwareSample[]): TimeRow[] {
  return samples.map((sample) => ({ t: sample.timestampMs, cpu: sample.cpuPowerWatts, gpu: sample.gpuPowerWatts, ane: sample.anePowerWatts }));
}

/** CPU use and GPU active residency as ratios from 0 to 1. */
export function toUsageRows(samples: readonly HardwareSample[]): TimeRow[] {
  return samples.map((sample) => ({ t: sample.timestampMs, cpu: sample.cpuUsageRatio, gpu: sample.gpuActiveRatio }));
}

export function toTemperatureRows(samples: readonly HardwareSample[]): TimeRow[] {
  return samples.map((sample) => ({ t: sample.timestampMs, cpu: sample.cpuTempCelsius, gpu: sample.gpuTempCelsius }));
}

/** Memory in GiB (2^30 bytes). */
export function toMemoryRows(samples: readonly HardwareSample[]): TimeRow[] {
  return samples.map((sample) => ({ t: sample.timestampMs, used: toGb(sample.memoryUsedBytes), cached: toGb(sample.memoryCachedBytes), swap: toGb(sample.swapUsedBytes) }));
}

/**
 * Thermal pressure as a level index per change, plus a closing row at `endMs`
 * so that the last level is drawn up to now. Unknown levels are gaps.
 */
export function toThermalRows(timeline: readonly ThermalChange[], endMs: number): TimeRow[] {
  const rows: TimeRow[] = timeline.map((change) => ({ t: change.atMs, level: levelIndex(change.level) }));
  const last = rows.at(-1);
  if (last && endMs > last.t) rows.push({ t: endMs, level: last.level ?? null });

  return rows;
}

/** Builds one row per minute from the `mean` or `max` aggregate of each quantity, times `scale`, under the live rows' keys. */
export function toHistoryRows(history: readonly HistoryMinute[], quantities: Record<string, string>, aggregate: 'mean' | 'max' = 'mean', scale = 1): TimeRow[] {
  return history.map((minute) => {
    const row: TimeRow = { t: minute.minuteMs };
    for (const [key, quantity] of Object.entries(quantities)) {
      const value = minute.values[quantity]?.[aggregate];
      row[key] = value === undefined ? null : value * scale;
    }

    return row;
  });
}

export const historyPowerQuantities = { cpu: 'cpuPowerWatts', gpu: 'gpuPowerWatts', ane: 'anePowerWatts' };
export const historyTemperatureQuantities = { cpu: 'cpuTempCelsius', gpu: 'gpuTempCelsius' };
/** The history keeps no cached memory, so its chart has used and swap only. */
export const historyMemoryQuantities = { used: 'memoryUsedBytes', swap: 'swapUsedBytes' };
export const historyThermalQuantities = { level: 'thermalPressureLevel' };
export const bytesToGb = 1 / bytesPerGb;

function toGb(bytes: number | null): number | null {
  return bytes === null ? null : bytes / bytesPerGb;
}

function levelIndex(level: ThermalChange['level']): number | null {
  const index = thermalPressureLevels.indexOf(level as (typeof thermalPressureLevels)[number]);

  return index < 0 ? null : index;
}
