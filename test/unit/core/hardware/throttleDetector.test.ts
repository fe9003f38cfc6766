import { describe, expect, it } from 'vitest';

import { type HardwareSample } from '../../../../src/common/methods/hardware';
import { ThrottleDetector } from '../../../../src/main/core/hardware/throttleDetector';
import { makeSample } from './sampleFactory';

const start = 1_700_000_000_000;

/** GPU samples one second apart: busy at `load`, with the given clock and power. */
function gpuSamples(fromSecond: number, count: number, load: number, freqMhz: number, powerWatts: number, extra: Partial<HardwareSample> = {}): HardwareSample[] {
  return Array.from({ length: count }, (_, index) =>
    makeSample({ timestampMs: start + (fromSecond + index) * 1000, gpuActiveRatio: load, gpuFreqMhz: freqMhz, gpuPowerWatts: powerWatts, thermalPressure: 'nominal', ...extra }),
  );
}

function feed(detector: ThrottleDetector, samples: readonly HardwareSample[]): void {
  for (const sample of samples) detector.update(sample);
}

describe('ThrottleDetector', () => {
  it('flags the GPU when clock and power fall under load', () => {
    const detector = new ThrottleDetector();
    feed(detector, gpuSamples(0, 15, 0.98, 1398, 24));
    feed(detector, gpuSamples(15, 15, 0.98, 450, 8));

    expect(detector.state.throttled).toBe(true);
    expect(detector.state.signal).toBe('gpu');
    expect(detector.state.detail).toMatch(/GPU at 450 MHz and 8\.0 W under 98% load, down from 1398 MHz and 24\.0 W/);
    expect(detector.state.sinceMs).not.toBeNull();
  });

  it('stays clear when the clock falls but power does not', () => {
    const detector = new ThrottleDetector();
    feed(detector, gpuSamples(0, 15, 0.98, 1398, 24));
    feed(detector, gpuSamples(15, 15, 0.98, 450, 23));

    expect(detector.state.throttled).toBe(false);
  });

  it('stays clear when the load stops', () => {
    const detector = new ThrottleDetector();
    feed(detector, gpuSamples(0, 15, 0.98, 1398, 24));
    feed(detector, gpuSamples(15, 15, 0.1, 450, 8));

    expect(detector.state.throttled).toBe(false);
  });

  it('needs the load to last the whole window', () => {
    const detector = new ThrottleDetector();
    feed(detector, gpuSamples(0, 5, 0.98, 1398, 24));

    expect(detector.state.throttled).toBe(false);
  });

  it('reports thermal pressure above nominal as its own signal', () => {
    const detector = new ThrottleDetector();
    detector.update(makeSample({ thermalPressure: 'heavy' }));

    expect(detector.state).toMatchObject({ throttled: true, signal: 'thermal_pressure', detail: 'thermal pressure is heavy' });
  });

  it('flags the CPU from cluster frequencies and CPU power', () => {
    const detector = new ThrottleDetector();
    const cpu = (second: number, freqMhz: number, watts: number): HardwareSample =>
      makeSample({
        timestampMs: start + second * 1000,
        cpuUsageRatio: 0.95,
        cpuPowerWatts: watts,
        cpuClusters: [{ name: 'P-Cluster', cores: 4, usageRatio: 0.95, freqMhz }],
      });
    for (let second = 0; second < 15; second++) detector.update(cpu(second, 3200, 20));
    for (let second = 15; second < 30; second++) detector.update(cpu(second, 1500, 9));

    expect(detector.state.signal).toBe('cpu');
  });

  it('keeps the start time while the verdict holds', () => {
    const detector = new ThrottleDetector();
    feed(detector, gpuSamples(0, 15, 0.98, 1398, 24));
    feed(detector, gpuSamples(15, 15, 0.98, 450, 8));
    const since = detector.state.sinceMs;
    feed(detector, gpuSamples(30, 3, 0.98, 450, 8));

    expect(detector.state.sinceMs).toBe(since);
  });
});
