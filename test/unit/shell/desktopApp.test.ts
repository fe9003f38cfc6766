import fs from 'node:fs';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../fakes/electron'));

import { app, BrowserWindow, dialog, ipcMain, resetElectronFake, Tray } from '../../fakes/electron';
import { createHub, type Hub } from '../../../src/main/core/hub';
import { createSilentLogger } from '../../../src/main/core/logger';
import { electronNativeBinding, runDesktopApp, type DesktopAppOptions } from '../../../src/main/shell/desktopApp';
import { flushPromises, makeTempHome } from './support';

describe('runDesktopApp', () => {
  let home: string;
  let hub: Hub | null;
  let createHubCalls: { nativeBinding: string | undefined; staticDir: string }[];

  beforeEach(() => {
    resetElectronFake();
    home = makeTempHome();
    hub = null;
    createHubCalls = [];
  });

  afterEach(async () => {
    vi.restoreAllMocks();
    await hub?.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  function options(overrides: Partial<DesktopAppOptions> = {}): DesktopAppOptions {
    return {
      appRoot: home,
      outDir: path.join(home, 'out'),
      log: createSilentLogger(),
      env: {},
      createHub: async (hubOptions) => {
        createHubCalls.push(hubOptions);
        hub = await createHub({ dataDir: path.join(home, 'data'), log: createSilentLogger(), listen: false });

        return hub;
      },
      ...overrides,
    };
  }

  /** Emits `before-quit` as Electron does and returns whether a listener prevented it. */
  function emitBeforeQuit(): boolean {
    let prevented = false;
    app.emit('before-quit', { preventDefault: () => (prevented = true) });

    return prevented;
  }

  it('quits when another instance runs', async () => {
    app.singleInstanceLock = false;

    const started = await runDesktopApp(options());

    expect(started).toBe(false);
    expect(app.quitCalls).toBe(1);
    expect(createHubCalls).toHaveLength(0);
  });

  it('starts hub, tray and bridge without a Dock icon', async () => {
    await runDesktopApp(options());

    expect(app.dockHidden).toBe(true);
    expect(createHubCalls).toEqual([{ nativeBinding: undefined, staticDir: path.join(home, 'out', 'renderer') }]);
    expect(Tray.instances).toHaveLength(1);
    expect(ipcMain.handlers.has('hub:status')).toBe(true);
  });

  it('shows the dashboard on a second launch', async () => {
    await runDesktopApp(options());

    app.emit('second-instance');

    expect(BrowserWindow.instances).toHaveLength(1);
    expect(BrowserWindow.instances[0]?.visible).toBe(true);
  });

  it('stops everything before quitting', async () => {
    await runDesktopApp(options());
    // The real close would also remove the core's own listeners; afterEach closes the hub.
    const closeSpy = vi.spyOn(hub as Hub, 'close').mockResolvedValue(undefined);
    app.emit('second-instance');
    const shellListeners = 3; // IPC event forwarding, notifier, tray
    const coreListeners = (hub as Hub).events.listenerCount - shellListeners;

    const firstPrevented = emitBeforeQuit();
    await flushPromises();

    expect(firstPrevented).toBe(true);
    expect(closeSpy).toHaveBeenCalledTimes(1);
    expect(ipcMain.handlers.size).toBe(0);
    expect((hub as Hub).events.listenerCount).toBe(coreListeners);
    expect(Tray.instances[0]?.destroyed).toBe(true);
    expect(BrowserWindow.instances[0]?.destroyed).toBe(true);
    expect(app.quitCalls).toBe(1);
    expect(emitBeforeQuit()).toBe(false);
  });

  it('reports a hub that fails to start', async () => {
    await runDesktopApp(options({ createHub: async () => Promise.reject(new Error('listen EADDRINUSE: address already in use 127.0.0.1:5180')) }));

    expect(dialog.errorBoxes[0]?.content).toContain('EADDRINUSE');
    expect(app.exitCode).toBe(1);
    expect(Tray.instances).toHaveLength(0);
  });
});

describe('electronNativeBinding', () => {
  it('finds the Electron build when present', () => {
    const home = makeTempHome();
    const file = path.join(home, 'build', 'electron-native', 'better_sqlite3.node');

    expect(electronNativeBinding(home)).toBeUndefined();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, '');
    expect(electronNativeBinding(home)).toBe(file);

    fs.rmSync(home, { recursive: true, force: true });
  });
});
