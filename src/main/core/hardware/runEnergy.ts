import { type HardwareSample } from '../../../common/methods/hardware';

/** CPU + GPU + Neural Engine power in watts; null when none of them is known. */
export function packagePowerWatts(sample: HardwareSample): number | null {
  const parts = [sample.cpuPowerWatts, sample.gpuPowerWatts, sample.anePowerWatts].filter((value): value is number => value !== null);

  return parts.length === 0 ? null : parts.reduce((sum, value) => sum + value, 0);
}

/**
 * Energy in joules that a sample contributes to the time span [fromMs, toMs]:
 * package power times the overlap of the sample's window
 * [timestampMs - intervalMs, timestampMs] with that span. Returns null when
 * the sample has no power or no window, and 0 when the window lies outside.
 */
export function overlapEnergyJoules(sample: HardwareSample, fromMs: number, toMs: number): number | null {
  const watts = packagePowerWatts(sample);
  if (watts === null || sample.intervalMs === null) return null;

  const startMs = Math.max(sample.timestampMs - sample.intervalMs, fromMs);
  const endMs = Math.min(sample.timestampMs, toMs);

  return endMs > startMs ? (watts * (endMs - startMs)) / 1000 : 0;
}
