import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../fakes/electron'));

import { resetElectronFake, Tray, type Menu } from '../../fakes/electron';
import { createSilentLogger } from '../../../src/main/core/logger';
import { TrayController, trayRefreshIntervalMs } from '../../../src/main/shell/tray';
import { createStubHub, flushPromises } from './support';

function labels(menu: Menu | undefined): (string | undefined)[] {
  return menu?.template.map((item) => item.label) ?? [];
}

describe('TrayController', () => {
  let activeRuns = 0;
  let hub: ReturnType<typeof createStubHub>;
  const actions = { openDashboard: vi.fn(), openRun: vi.fn(), quit: vi.fn() };

  beforeEach(() => {
    resetElectronFake();
    activeRuns = 2;
    hub = createStubHub({
      'hub:status': () => ({ activeRuns }),
      'runs:list': () => ({ runs: [{ runId: 'r1', runName: 'sgd-0.01', status: 'RUNNING' }], nextPageToken: null, total: 1 }),
    });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  function startTray(platform: NodeJS.Platform = 'darwin'): TrayController {
    const controller = new TrayController({ hub, actions, iconFile: '/app/resources/trayTemplate.png', log: createSilentLogger(), platform });
    controller.start();

    return controller;
  }

  it('uses the template icon', () => {
    startTray();
    const tray = Tray.instances[0];

    expect(tray?.image.path).toBe('/app/resources/trayTemplate.png');
    expect(tray?.image.templateImage).toBe(true);
  });

  it('shows active runs in the title', async () => {
    startTray();
    await flushPromises();

    expect(Tray.instances[0]?.title).toBe('2');
    expect(Tray.instances[0]?.titleOptions).toEqual({ fontType: 'monospacedDigit' });
  });

  it('pops up the menu on click', async () => {
    startTray();
    await flushPromises();
    const tray = Tray.instances[0];

    tray?.emit('click');

    expect(labels(tray?.poppedUpMenus[0])).toEqual(['Hub running: 2 active runs', undefined, 'Recent Runs', '▶ sgd-0.01: running', undefined, 'Open Dashboard', 'Show in Menu Bar', undefined, 'Quit MLOps Hub']);
    expect(tray?.contextMenu).toBeNull();
  });

  it('sets the context menu on Linux', async () => {
    startTray('linux');
    await flushPromises();

    expect(labels(Tray.instances[0]?.contextMenu ?? undefined)[0]).toBe('Hub running: 2 active runs');
  });

  it('opens the dashboard on double-click', () => {
    startTray();

    Tray.instances[0]?.emit('double-click');

    expect(actions.openDashboard).toHaveBeenCalled();
  });

  it('refreshes after a run event', async () => {
    vi.useFakeTimers();
    startTray();
    await vi.advanceTimersByTimeAsync(trayRefreshIntervalMs);

    activeRuns = 0;
    hub.events.emit({ type: 'runs:didChange', runId: 'r1', experimentId: '0', status: 'FINISHED' });
    await vi.advanceTimersByTimeAsync(trayRefreshIntervalMs);

    expect(Tray.instances[0]?.title).toBe('');
  });

  it('collapses an event burst into two reads', async () => {
    vi.useFakeTimers();
    startTray();
    await vi.advanceTimersByTimeAsync(trayRefreshIntervalMs);
    hub.call.mockClear();

    for (let i = 0; i < 50; i++) hub.events.emit({ type: 'runs:didChange', runId: `r${i}`, experimentId: '0', status: 'RUNNING' });
    await vi.advanceTimersByTimeAsync(trayRefreshIntervalMs * 3);

    const statusReads = hub.call.mock.calls.filter(([name]) => name === 'hub:status');
    expect(statusReads).toHaveLength(2);
  });

  it('ignores metric events', async () => {
    vi.useFakeTimers();
    startTray();
    await vi.advanceTimersByTimeAsync(trayRefreshIntervalMs);
    hub.call.mockClear();

    hub.events.emit({ type: 'metrics:didLog', runId: 'r1', keys: ['loss'] });
    await vi.advanceTimersByTimeAsync(trayRefreshIntervalMs);

    expect(hub.call).not.toHaveBeenCalled();
  });

  it('shows a failed status read', async () => {
    hub.call.mockRejectedValue(new Error('database is locked'));
    startTray();
    await flushPromises();

    Tray.instances[0]?.emit('click');

    expect(labels(Tray.instances[0]?.poppedUpMenus[0])[0]).toBe('Hub error: database is locked');
  });

  it('disposes its listener and icon', () => {
    const controller = startTray();

    controller.dispose();

    expect(hub.events.listenerCount).toBe(0);
    expect(Tray.instances[0]?.destroyed).toBe(true);
  });
});
