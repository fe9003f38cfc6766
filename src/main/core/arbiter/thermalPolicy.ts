/**
 * Thermal pressure levels as Darwin's `OSThermalPressureLevel` orders them
 * (Libc `include/libkern/OSThermalNotification.h`: Nominal 0, Moderate 1,
 * Heavy 2, Trapping 3, Sleeping 4).
 */
export type ThermalLevel = 'nominal' | 'moderate' | 'heavy' | 'trapping' | 'sleeping';

export const thermalLevels: readonly ThermalLevel[] = ['nominal', 'moderate', 'heavy', 'trapping', 'sleeping'];

/** One reading from the hardware monitor. */
export interface ThermalSample {
  thermalPressure: ThermalLevel;
  /** True when measured clocks or power dropped under load, which the level alone under-reports on M-series. */
  throttled: boolean;
}

/** A source of thermal readings, such as the hardware monitor; `onDidSample` returns an unsubscribe. */
export interface ThermalSource {
  onDidSample(listener: (sample: ThermalSample) => void): () => void;
}

/** Grant and pause rules of one thermal level. */
export interface ThermalRules {
  /** Low-priority requests wait (moderate and above). */
  holdLowGrants: boolean;
  /** Only high-priority requests are granted (trapping and above). */
  highOnly: boolean;
  /** Granted low-priority preemptible leases are asked to pause (heavy). */
  pauseLowPreemptible: boolean;
  /** Every lease that is not high priority is asked to pause, preemptible or not (trapping and above). */
  pauseAllButHigh: boolean;
}

export interface ThermalPolicyOptions {
  /** How long a lower level must hold before the policy relaxes to it, in milliseconds. */
  holdMs: number;
  /** Level assumed while measured throttling is reported, when the OS level is lower. */
  throttledLevel: ThermalLevel;
}

export const defaultThermalPolicyOptions: ThermalPolicyOptions = { holdMs: 30_000, throttledLevel: 'heavy' };

export function levelIndex(level: ThermalLevel): number {
  return thermalLevels.indexOf(level);
}

export function rulesFor(level: ThermalLevel): ThermalRules {
  const index = levelIndex(level);

  return {
    holdLowGrants: index >= levelIndex('moderate'),
    highOnly: index >= levelIndex('trapping'),
    pauseLowPreemptible: index >= levelIndex('heavy'),
    pauseAllButHigh: index >= levelIndex('trapping'),
  };
}

/**
 * The level the arbiter acts on, from injected samples and clock. It rises at
 * once with a worse sample. It falls only after every sample for `holdMs` has
 * been lower, and then to the highest level seen during that hold. So a level
 * that the OS re-sends or that flickers does not make leases pause and resume
 * in turn.
 */
export class ThermalPolicy {
  private current: ThermalLevel = 'nominal';
  private lastSample: ThermalSample = { thermalPressure: 'nominal', throttled: false };
  private lowerSince: number | null = null;
  private highestWhileLower: ThermalLevel = 'nominal';

  constructor(private readonly options: ThermalPolicyOptions = defaultThermalPolicyOptions) {}

  /** Applies a sample taken at `now` (milliseconds); returns true when the acting level changed. */
  observe(sample: ThermalSample, now: number): boolean {
    this.lastSample = sample;
    const measured = this.measuredLevel(sample);
    const before = this.current;

    if (levelIndex(measured) >= levelIndex(this.current)) {
      this.current = measured;
      this.lowerSince = null;
    } else if (this.lowerSince === null) {
      this.lowerSince = now;
      this.highestWhileLower = measured;
    } else if (levelIndex(measured) > levelIndex(this.highestWhileLower)) {
      this.highestWhileLower = measured;
    }

    this.relaxIfHeld(now);

    return before !== this.current;
  }

  /** Re-checks the hold at `now` without a new sample; returns true when the acting level changed. */
  tick(now: number): boolean {
    const before = this.current;
    this.relaxIfHeld(now);

    return before !== this.current;
  }

  get level(): ThermalLevel {
    return this.current;
  }

  get rules(): ThermalRules {
    return rulesFor(this.current);
  }

  get latestSample(): ThermalSample {
    return this.lastSample;
  }

  private measuredLevel(sample: ThermalSample): ThermalLevel {
    if (sample.throttled && levelIndex(this.options.throttledLevel) > levelIndex(sample.thermalPressure)) return this.options.throttledLevel;

    return sample.thermalPressure;
  }

  private relaxIfHeld(now: number): void {
    if (this.lowerSince === null || now - this.lowerSince < this.options.holdMs) return;

    this.current = this.highestWhileLower;
    const latest = this.measuredLevel(this.lastSample);

    // Still lower than the new level: start the next hold from now.
    this.lowerSince = levelIndex(latest) < levelIndex(this.current) ? now : null;
    this.highestWhileLower = latest;
  }
}
