import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../fakes/electron'));

import { resetElectronFake, Tray, type Menu } from '../../fakes/electron';
import { createSilentLogger } from '../../../src/main/core/logger';
import { TrayController } from '../../../src/main/shell/tray';
import { createStubHub, flushPromises } from './support';

type Template = { label?: string; submenu?: Template[]; click?: () => void };

function labels(menu: Menu | undefined): (string | undefined)[] {
  return (menu?.template as Template[] | undefined)?.map((item) => item.label) ?? [];
}

const latest = { timestampMs: 1, cpuPowerWatts: 12, gpuPowerWatts: 6, anePowerWatts: 0, cpuTempCelsius: 62, gpuTempCelsius: null, memoryUsedBytes: 8 * 2 ** 30, memoryTotalBytes: 16 * 2 ** 30, memoryPressure: 'normal', thermalPressure: 'nominal' };

describe('TrayController hardware and leases', () => {
  let queueLength = 0;
  let hub: ReturnType<typeof createStubHub>;
  const actions = { openDashboard: vi.fn(), openRun: vi.fn(), quit: vi.fn() };

  beforeEach(() => {
    resetElectronFake();
    queueLength = 0;
    hub = createStubHub({
      'hub:status': () => ({ activeRuns: 1 }),
      'runs:list': () => ({ runs: [], nextPageToken: null, total: 0 }),
      'services:list': () => [],
      'hardware:info': () => ({ latest }),
      'leases:list': () => ({ queueLength }),
    });
  });

  async function startTray(titleItems?: ('runs' | 'temperature' | 'power' | 'queue')[]): Promise<TrayController> {
    const controller = new TrayController({ hub, actions, iconFile: '/app/trayTemplate.png', log: createSilentLogger(), platform: 'darwin', titleItems });
    controller.start();
    await controller.refresh();

    return controller;
  }

  it('shows temperature and package power in the title', async () => {
    await startTray();

    expect(Tray.instances[0]?.title).toBe('1  62° 18W');
  });

  it('shows the lease queue length when not zero', async () => {
    queueLength = 2;
    await startTray();

    expect(Tray.instances[0]?.title).toBe('1  62° 18W  2 queued');
  });

  it('follows pushed samples without reading the hub', async () => {
    await startTray(['temperature', 'power']);
    hub.call.mockClear();

    hub.events.emit({ type: 'hardware:didSample', sample: { ...latest, timestampMs: 2, cpuTempCelsius: 71.4, gpuPowerWatts: 20 } });

    expect(Tray.instances[0]?.title).toBe('71° 32W');
    expect(hub.call).not.toHaveBeenCalled();
  });

  it('lists memory and thermal pressure in the menu', async () => {
    await startTray();
    hub.events.emit({ type: 'hardware:didSample', sample: { ...latest, timestampMs: 2, thermalPressure: 'heavy' } });

    Tray.instances[0]?.emit('click');

    expect(labels(Tray.instances[0]?.poppedUpMenus[0]).slice(0, 4)).toEqual(['Hub running: 1 active run', undefined, 'Memory: 8.0 GB of 16.0 GB used, pressure normal', 'Thermal pressure: heavy']);
  });

  it('changes the title from the Show in Menu Bar items', async () => {
    await startTray();
    Tray.instances[0]?.emit('click');
    const setting = (Tray.instances[0]?.poppedUpMenus[0]?.template as Template[]).find((item) => item.label === 'Show in Menu Bar');

    setting?.submenu?.find((item) => item.label === 'Active Runs')?.click?.();
    await flushPromises();

    expect(Tray.instances[0]?.title).toBe('62° 18W');
  });

  it('reads the hub again after a lease event', async () => {
    vi.useFakeTimers();
    await startTray();
    hub.call.mockClear();

    queueLength = 1;
    hub.events.emit({ type: 'leases:didChange', leaseId: 'l1', state: 'queued' });
    await vi.advanceTimersByTimeAsync(2000);
    vi.useRealTimers();

    expect(hub.call.mock.calls.some(([name]) => name === 'leases:list')).toBe(true);
    expect(Tray.instances[0]?.title).toBe('1  62° 18W  1 queued');
  });
});
