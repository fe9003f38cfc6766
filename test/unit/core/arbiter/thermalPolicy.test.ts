import { describe, expect, it } from 'vitest';

import { ThermalPolicy, rulesFor, type ThermalLevel } from '../../../../src/main/core/arbiter/thermalPolicy';

function sample(thermalPressure: ThermalLevel, throttled = false) {
  return { thermalPressure, throttled };
}

describe('ThermalPolicy', () => {
  it('rises at once with a worse level', () => {
    const policy = new ThermalPolicy({ holdMs: 10_000, throttledLevel: 'heavy' });

    expect(policy.observe(sample('heavy'), 0)).toBe(true);
    expect(policy.level).toBe('heavy');
  });

  it('relaxes only after the hold time', () => {
    const policy = new ThermalPolicy({ holdMs: 10_000, throttledLevel: 'heavy' });
    policy.observe(sample('heavy'), 0);

    policy.observe(sample('nominal'), 1_000);
    policy.observe(sample('nominal'), 10_999);
    expect(policy.level).toBe('heavy');

    expect(policy.observe(sample('nominal'), 11_000)).toBe(true);
    expect(policy.level).toBe('nominal');
  });

  it('restarts the hold when the level flickers back up', () => {
    const policy = new ThermalPolicy({ holdMs: 10_000, throttledLevel: 'heavy' });
    policy.observe(sample('heavy'), 0);
    policy.observe(sample('nominal'), 1_000);
    policy.observe(sample('heavy'), 5_000);
    policy.observe(sample('nominal'), 6_000);
    policy.observe(sample('nominal'), 12_000);

    expect(policy.level).toBe('heavy');
    policy.observe(sample('nominal'), 16_000);
    expect(policy.level).toBe('nominal');
  });

  it('relaxes to the highest level seen during the hold', () => {
    const policy = new ThermalPolicy({ holdMs: 10_000, throttledLevel: 'heavy' });
    policy.observe(sample('trapping'), 0);
    policy.observe(sample('nominal'), 1_000);
    policy.observe(sample('moderate'), 2_000);
    policy.observe(sample('nominal'), 3_000);
    policy.tick(11_000);

    expect(policy.level).toBe('moderate');
    policy.tick(21_000);
    expect(policy.level).toBe('nominal');
  });

  it('treats measured throttling at nominal as heavy', () => {
    const policy = new ThermalPolicy({ holdMs: 10_000, throttledLevel: 'heavy' });
    policy.observe(sample('nominal', true), 0);

    expect(policy.level).toBe('heavy');
  });

  it('keeps a higher OS level over throttling', () => {
    const policy = new ThermalPolicy({ holdMs: 10_000, throttledLevel: 'heavy' });
    policy.observe(sample('trapping', true), 0);

    expect(policy.level).toBe('trapping');
  });

  it('does not relax on a tick before the hold', () => {
    const policy = new ThermalPolicy({ holdMs: 10_000, throttledLevel: 'heavy' });
    policy.observe(sample('moderate'), 0);
    policy.observe(sample('nominal'), 100);

    expect(policy.tick(5_000)).toBe(false);
    expect(policy.level).toBe('moderate');
  });
});

describe('rulesFor', () => {
  it('maps each level to its rules', () => {
    expect(rulesFor('nominal')).toEqual({ holdLowGrants: false, highOnly: false, pauseLowPreemptible: false, pauseAllButHigh: false });
    expect(rulesFor('moderate')).toEqual({ holdLowGrants: true, highOnly: false, pauseLowPreemptible: false, pauseAllButHigh: false });
    expect(rulesFor('heavy')).toEqual({ holdLowGrants: true, highOnly: false, pauseLowPreemptible: true, pauseAllButHigh: false });
    expect(rulesFor('trapping')).toEqual({ holdLowGrants: true, highOnly: true, pauseLowPreemptible: true, pauseAllButHigh: true });
    expect(rulesFor('sleeping')).toEqual(rulesFor('trapping'));
  });
});
