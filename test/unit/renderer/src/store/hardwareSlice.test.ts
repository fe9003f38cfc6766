import { describe, expect, it } from 'vitest';

import type { HardwareSample, HardwareStatus } from '../../../../../src/common/methods/hardware';
import { createHubStore } from '../../../../../src/renderer/src/store';
import { appendThermalChanges, maxLiveSamplesKept } from '../../../../../src/renderer/src/store/hardwareSlice';
import { makeSample as makeNullSample } from '../../../core/hardware/sampleFactory';
import { createFakeTransport } from './fakeTransport';

/** Builds a sample at `timestampMs` with CPU usage 0.5 and 8 of 16 GiB memory used. */
function makeSample(timestampMs: number, overrides: Partial<HardwareSample> = {}): HardwareSample {
  return makeNullSample({ timestampMs, cpuUsageRatio: 0.5, memoryTotalBytes: 16 * 2 ** 30, memoryUsedBytes: 8 * 2 ** 30, ...overrides });
}

const status: HardwareStatus = {
  info: null,
  sampling: true,
  source: 'helper',
  intervalMs: 1000,
  notice: null,
  badLines: 0,
  restarts: 0,
  throttle: { throttled: false, signal: null, detail: null, sinceMs: null },
  latest: makeSample(2000),
};

function createHardwareHub() {
  const fake = createFakeTransport({
    'hardware:info': () => status,
    'hardware:live': () => [makeSample(1000, { thermalPressure: 'nominal' }), makeSample(2000, { thermalPressure: 'nominal' })],
    'hardware:history': () => [{ minuteMs: 0, values: { cpuPowerWatts: { min: 1, mean: 2, max: 3, count: 60 } } }],
  });

  return { fake, store: createHubStore(fake.transport).store };
}

describe('HardwareSlice', () => {
  it('loads the status and live samples', async () => {
    const { fake, store } = createHardwareHub();

    await store.getState().loadHardware();

    expect(store.getState().hardwareState).toBe('ready');
    expect(store.getState().liveSamples).toHaveLength(2);
    expect(store.getState().thermalTimeline).toEqual([{ atMs: 1000, level: 'nominal' }]);
    expect(fake.calls.find((call) => call.name === 'hardware:live')?.input).toEqual({ count: maxLiveSamplesKept });
  });

  it('appends pushed samples and skips old or invalid ones', async () => {
    const { store } = createHardwareHub();
    await store.getState().loadHardware();

    store.getState().addHardwareSamples([makeSample(1500), { timestampMs: 'soon' }, makeSample(3000, { thermalPressure: 'heavy' })]);

    expect(store.getState().liveSamples.map((sample) => sample.timestampMs)).toEqual([1000, 2000, 3000]);
    expect(store.getState().thermalTimeline.at(-1)).toEqual({ atMs: 3000, level: 'heavy' });
    expect(store.getState().hardwareStatus?.latest?.timestampMs).toBe(3000);
  });

  it('keeps at most the live window', async () => {
    const { store } = createHardwareHub();
    await store.getState().loadHardware();

    store.getState().addHardwareSamples(Array.from({ length: maxLiveSamplesKept + 10 }, (_, index) => makeSample(10_000 + index)));

    expect(store.getState().liveSamples).toHaveLength(maxLiveSamplesKept);
    expect(store.getState().liveSamples.at(-1)?.timestampMs).toBe(10_000 + maxLiveSamplesKept + 9);
  });

  it('loads the history of the picked range', async () => {
    const { fake, store } = createHardwareHub();

    await store.getState().setHardwareRange(6 * 3_600_000);

    const input = fake.calls.find((call) => call.name === 'hardware:history')?.input as { fromMs: number; toMs: number };
    expect(input.toMs - input.fromMs).toBe(6 * 3_600_000);
    expect(store.getState().hardwareHistory).toHaveLength(1);
  });
});

describe('appendThermalChanges', () => {
  it('records only changes of level', () => {
    const samples = [makeSample(1, { thermalPressure: 'nominal' }), makeSample(2, { thermalPressure: 'nominal' }), makeSample(3, { thermalPressure: 'moderate' }), makeSample(4)];

    expect(appendThermalChanges([], samples)).toEqual([
      { atMs: 1, level: 'nominal' },
      { atMs: 3, level: 'moderate' },
      { atMs: 4, level: 'unknown' },
    ]);
  });
});
