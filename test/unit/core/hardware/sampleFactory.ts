import { emptySample, type HardwareSample } from '../../../../src/common/methods/hardware';

/** Builds a sample with every measurement null except those in `overrides`. */
export function makeSample(overrides: Partial<HardwareSample> = {}): HardwareSample {
  return { ...emptySample(1_700_000_000_000, 1000), ...overrides };
}
