import { describe, expect, it } from 'vitest';

import { ThermalPressureWatch } from '../../../src/main/shell/thermalAlert';

function feed(watch: ThermalPressureWatch, levels: (string | null)[]): (string | null)[] {
  return levels.map((level) => watch.update({ timestampMs: 1, thermalPressure: level })?.title ?? null);
}

describe('ThermalPressureWatch', () => {
  it('alerts when pressure reaches heavy', () => {
    const alerts = feed(new ThermalPressureWatch(), ['nominal', 'moderate', 'heavy']);

    expect(alerts).toEqual([null, null, 'Thermal pressure heavy']);
  });

  it('alerts for trapping without passing heavy', () => {
    expect(feed(new ThermalPressureWatch(), ['moderate', 'trapping'])).toEqual([null, 'Thermal pressure trapping']);
  });

  it('alerts once while pressure flaps above nominal', () => {
    const alerts = feed(new ThermalPressureWatch(), ['heavy', 'moderate', 'heavy', 'trapping', 'moderate', 'heavy']);

    expect(alerts.filter((title) => title !== null)).toEqual(['Thermal pressure heavy']);
  });

  it('alerts again after pressure returned to nominal', () => {
    const alerts = feed(new ThermalPressureWatch(), ['heavy', 'nominal', 'heavy']);

    expect(alerts).toEqual(['Thermal pressure heavy', null, 'Thermal pressure heavy']);
  });

  it('ignores samples without a known level', () => {
    const watch = new ThermalPressureWatch();

    expect(feed(watch, [null, 'hot', 'heavy', null, 'heavy'])).toEqual([null, null, 'Thermal pressure heavy', null, null]);
    expect(watch.update(undefined)).toBeNull();
    expect(watch.update('heavy')).toBeNull();
  });
});
