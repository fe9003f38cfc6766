import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';

import {
  buildHardwareMenuItems,
  buildHardwareTitle,
  buildQueueTitle,
  buildTitleSettingMenu,
  parseTrayTitleSetting,
  readTrayHardware,
  readTrayTitleSetting,
  type TrayHardware,
} from '../../../src/main/shell/trayHardware';
import { createSilentLogger } from '../../../src/main/core/logger';
import { buildTitleParts, buildTrayTitle, type TrayState } from '../../../src/main/shell/trayMenu';

const hot: TrayHardware = {
  temperatureCelsius: 61.6,
  packagePowerWatts: 18.2,
  memoryUsedBytes: 12.4 * 2 ** 30,
  memoryTotalBytes: 24 * 2 ** 30,
  memoryPressure: 'normal',
  thermalPressure: 'moderate',
};

function state(overrides: Partial<TrayState> = {}): TrayState {
  return { activeRuns: 2, recentRuns: [], error: null, hardware: hot, leaseQueueLength: 3, ...overrides };
}

describe('parseTrayTitleSetting', () => {
  it('defaults to every item', () => {
    expect(parseTrayTitleSetting(undefined)).toEqual(['runs', 'temperature', 'power', 'queue']);
    expect(parseTrayTitleSetting('  ')).toEqual(['runs', 'temperature', 'power', 'queue']);
  });

  it('keeps title order and drops spaces', () => {
    expect(parseTrayTitleSetting('power, temperature')).toEqual(['temperature', 'power']);
  });

  it('reads none as an empty title', () => {
    expect(parseTrayTitleSetting('none')).toEqual([]);
  });

  it('rejects an unknown item by name', () => {
    expect(() => parseTrayTitleSetting('temperature,fans')).toThrow('Invalid tray title item `fans`: use a comma-separated list of runs, temperature, power, queue, or none.');
  });
});

describe('tray title', () => {
  it('shows runs, temperature, power and queue', () => {
    expect(buildTrayTitle(state(), buildTitleParts(['runs', 'temperature', 'power', 'queue']))).toBe('2  62° 18W  3 queued');
  });

  it('shows only the selected items', () => {
    expect(buildTrayTitle(state(), buildTitleParts(['temperature']))).toBe('62°');
    expect(buildTrayTitle(state(), buildTitleParts(['power', 'queue']))).toBe('18W  3 queued');
    expect(buildTrayTitle(state(), buildTitleParts([]))).toBe('');
  });

  it('leaves out unknown values and an empty queue', () => {
    const cold = { ...hot, temperatureCelsius: null };

    expect(buildHardwareTitle(cold, ['temperature', 'power'])).toBe('18W');
    expect(buildHardwareTitle({ ...cold, packagePowerWatts: null }, ['temperature', 'power'])).toBeNull();
    expect(buildHardwareTitle(null, ['temperature'])).toBeNull();
    expect(buildQueueTitle(0)).toBeNull();
    expect(buildQueueTitle(null)).toBeNull();
  });
});

describe('buildHardwareMenuItems', () => {
  it('lists memory, thermal pressure and waiting leases', () => {
    const labels = buildHardwareMenuItems(hot, 1).map((item) => item.label);

    expect(labels).toEqual([undefined, 'Memory: 12.4 GB of 24.0 GB used, pressure normal', 'Thermal pressure: moderate', 'Leases: 1 request waiting']);
  });

  it('adds nothing without values', () => {
    expect(buildHardwareMenuItems(null, 0)).toEqual([]);
    expect(buildHardwareMenuItems({ ...hot, memoryUsedBytes: null, thermalPressure: null }, null)).toEqual([]);
  });
});

describe('buildTitleSettingMenu', () => {
  it('checks the shown items and toggles one on click', () => {
    const onChange = vi.fn();
    const submenu = buildTitleSettingMenu(['runs', 'power'], onChange).submenu as MenuItemConstructorOptions[];

    expect(submenu.map((item) => item.checked)).toEqual([true, false, true, false]);

    submenu[1]?.click?.({} as never, undefined, {} as never);
    submenu[0]?.click?.({} as never, undefined, {} as never);

    expect(onChange.mock.calls).toEqual([[['runs', 'temperature', 'power']], [['power']]]);
  });
});

describe('readTrayHardware', () => {
  it('sums package power and prefers the CPU temperature', () => {
    const hardware = readTrayHardware({ timestampMs: 1, cpuPowerWatts: 10, gpuPowerWatts: 7.5, anePowerWatts: null, cpuTempCelsius: 55, gpuTempCelsius: 60, thermalPressure: 'heavy' });

    expect(hardware?.packagePowerWatts).toBe(17.5);
    expect(hardware?.temperatureCelsius).toBe(55);
    expect(hardware?.thermalPressure).toBe('heavy');
    expect(hardware?.memoryUsedBytes).toBeNull();
  });

  it('falls back to the GPU temperature', () => {
    expect(readTrayHardware({ timestampMs: 1, cpuTempCelsius: null, gpuTempCelsius: 48 })?.temperatureCelsius).toBe(48);
  });

  it('rejects what is not a sample', () => {
    expect(readTrayHardware(null)).toBeNull();
    expect(readTrayHardware({ cpuPowerWatts: 3 })).toBeNull();
    expect(readTrayHardware('sample')).toBeNull();
  });
});

describe('readTrayTitleSetting', () => {
  it('reads MLOPS_HUB_TRAY_TITLE', () => {
    expect(readTrayTitleSetting({ MLOPS_HUB_TRAY_TITLE: 'queue,runs' }, createSilentLogger())).toEqual(['runs', 'queue']);
  });

  it('warns and uses the default for an invalid value', () => {
    const log = createSilentLogger();
    const warn = vi.spyOn(log, 'warn');

    expect(readTrayTitleSetting({ MLOPS_HUB_TRAY_TITLE: 'fans' }, log)).toEqual(['runs', 'temperature', 'power', 'queue']);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining('`fans`'));
  });
});
