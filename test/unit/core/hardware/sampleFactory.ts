import { type HardwareSample } from '../../../../src/common/methods/hardware';

/** Builds a sample with every measurement null except those in `overrides`. */
export function makeSample(overrides: Partial<HardwareSample> = {}): HardwareSample {
  return {
    timestampMs: 1_700_000_000_000,
    intervalMs: 1000,
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
    ...overrides,
  };
}
