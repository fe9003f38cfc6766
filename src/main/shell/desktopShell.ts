import { session } from 'electron';

import { type Logger } from '../core/logger';
import { resolveDataDir } from '../core/paths';
import { type AppLocation } from './appLocation';
import { registerIpcBridge } from './ipcBridge';
import { RunNotifier } from './notifications';
import { TrayController } from './tray';
import { readTrayTitleSetting, type TrayTitleItem } from './trayHardware';
import { readSavedTrayTitleItems, saveTrayTitleItems, trayTitleFilePath } from './trayTitleFile';
import { runTrayServiceAction } from './trayServices';
import { DashboardWindow, installSessionSecurity } from './windows';
import { type ShellHub } from './shellHub';

export interface DesktopShellOptions {
  hub: ShellHub;
  log: Logger;
  location: AppLocation;
  preloadFile: string;
  trayIconFile: string;
  /** Starts quitting the app; called from the tray's Quit item. */
  quit: () => void;
  platform?: NodeJS.Platform;
  /** Data folder that contains `tray.json` (default: `resolveDataDir()`, which honours MLOPS_HUB_HOME). */
  dataDir?: string;
}

/** The running shell: tray, dashboard window, notifications and IPC bridge on top of one hub. */
export interface DesktopShell {
  showDashboard(runId?: string): void;
  /** Lets the dashboard window close for real instead of hiding. */
  prepareToQuit(): void;
  /** Removes the tray, every IPC handler and hub listener, and destroys the window. */
  dispose(): void;
}

/** Wires the shell's parts to the hub. Needs Electron's `ready` event to have fired. */
export function startDesktopShell(options: DesktopShellOptions): DesktopShell {
  const { hub, log, location } = options;

  const trayFile = trayTitleFilePath(options.dataDir ?? resolveDataDir());
  const dashboard = new DashboardWindow({ location, preloadFile: options.preloadFile, log: log.child('windows') });
  const removeSessionSecurity = installSessionSecurity(session.defaultSession, location, log.child('windows'));
  const removeBridge = registerIpcBridge({ hub, location, log: log.child('ipc'), sendToRenderer: (channel, payload) => dashboard.send(channel, payload) });
  const notifier = new RunNotifier({ hub, log: log.child('notifications'), showDashboard: (runId) => dashboard.show(runId) });
  const tray = new TrayController({
    hub,
    iconFile: options.trayIconFile,
    log: log.child('tray'),
    platform: options.platform,
    titleItems: readStartTitleItems(trayFile, log.child('tray')),
    saveTitleItems: (items) => saveTrayTitleItems(trayFile, items, log.child('tray')),
    actions: {
      openDashboard: () => dashboard.show(),
      openRun: (runId) => dashboard.show(runId),
      startService: (name) => runTrayServiceAction(hub, log.child('tray'), 'start', name),
      stopService: (name) => runTrayServiceAction(hub, log.child('tray'), 'stop', name),
      quit: options.quit,
    },
  });

  notifier.start();
  tray.start();

  return {
    showDashboard: (runId) => dashboard.show(runId),
    prepareToQuit: () => dashboard.prepareToQuit(),
    dispose: () => {
      tray.dispose();
      notifier.dispose();
      removeBridge();
      removeSessionSecurity();
      dashboard.dispose();
    },
  };
}

/** Picks the title items at start: MLOPS_HUB_TRAY_TITLE when set, else the choice saved in `tray.json`, else every item. */
export function readStartTitleItems(trayFile: string, log: Logger, env: NodeJS.ProcessEnv = process.env): TrayTitleItem[] {
  if ((env['MLOPS_HUB_TRAY_TITLE'] ?? '').trim() !== '') return readTrayTitleSetting(env, log);

  return readSavedTrayTitleItems(trayFile, log) ?? readTrayTitleSetting(env, log);
}
