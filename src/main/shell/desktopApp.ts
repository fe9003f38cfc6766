import fs from 'node:fs';
import path from 'node:path';

import { app, dialog } from 'electron';

import { type Logger } from '../core/logger';
import { resolveAppLocation } from './appLocation';
import { startDesktopShell, type DesktopShell } from './desktopShell';
import { type ShellHub } from './shellHub';

/** Hub interface that the desktop app uses: the shell's calls and events, plus `close`. */
export interface DesktopHub extends ShellHub {
  close(): Promise<void>;
}

export interface DesktopAppOptions {
  /** Project root in development, the app folder when packaged (`app.getAppPath()`). */
  appRoot: string;
  /** electron-vite's output folder, with `main/`, `preload/` and `renderer/`. */
  outDir: string;
  log: Logger;
  createHub: (options: { nativeBinding: string | undefined; staticDir: string }) => Promise<DesktopHub>;
  env?: NodeJS.ProcessEnv;
}

/** Maximum wait for the hub to stop when quitting, in milliseconds. After it the app quits anyway. */
export const hubCloseTimeoutMs = 5000;

/** better-sqlite3 built for Electron's ABI by `scripts/rebuildElectronNative.mjs`. */
export function electronNativeBinding(appRoot: string): string | undefined {
  const file = path.join(appRoot, 'build', 'electron-native', 'better_sqlite3.node');

  return fs.existsSync(file) ? file : undefined;
}

/**
 * Runs the menu-bar app: one instance (a second launch shows the first one's
 * dashboard), no Dock icon, the hub core, then the shell. Quitting disposes
 * the shell and waits for the hub to close. Resolves once started; returns
 * false when another instance already runs.
 */
export async function runDesktopApp(options: DesktopAppOptions): Promise<boolean> {
  const log = options.log.child('app');

  if (!app.requestSingleInstanceLock()) {
    log.info('runDesktopApp(): another instance is running; it shows its dashboard instead');
    app.quit();
    return false;
  }

  let shell: DesktopShell | null = null;
  app.on('second-instance', () => shell?.showDashboard());
  // The app lives in the menu bar: closing its last window must not quit it.
  app.on('window-all-closed', () => undefined);

  // Development runs have no Info.plist with LSUIElement, so the Dock icon is hidden here.
  // Packaged builds should set LSUIElement too, which avoids a brief Dock icon at launch.
  app.dock?.hide();
  await app.whenReady();

  const hub = await startHub(options, log);
  if (!hub) return true;

  shell = startDesktopShell({
    hub,
    log,
    location: resolveAppLocation({ rendererDir: path.join(options.outDir, 'renderer'), devUrl: (options.env ?? process.env)['ELECTRON_RENDERER_URL'], isPackaged: app.isPackaged }),
    preloadFile: path.join(options.outDir, 'preload', 'index.cjs'),
    trayIconFile: path.join(options.appRoot, 'resources', 'trayTemplate.png'),
    quit: () => app.quit(),
  });
  handleQuit(shell, hub, log);
  log.info('runDesktopApp(): started');

  return true;
}

/** Creates the hub; on failure shows the reason and exits with status 1. */
async function startHub(options: DesktopAppOptions, log: Logger): Promise<DesktopHub | null> {
  const nativeBinding = electronNativeBinding(options.appRoot);
  if (!nativeBinding) log.warn('startHub(): no Electron build of better-sqlite3; run `npm run build:app` if the database fails to open');

  try {
    return await options.createHub({ nativeBinding, staticDir: path.join(options.outDir, 'renderer') });
  } catch (error) {
    log.error('startHub(): the hub failed to start', error);
    const reason = error instanceof Error ? error.message : String(error);
    dialog.showErrorBox('MLOps Hub could not start', `${reason}\n\nIf another hub is running (for example \`mlops-hub serve\`), stop it and start the app again.`);
    app.exit(1);
    return null;
  }
}

/** Holds the first quit until the shell is disposed and the hub closed, then quits for real. */
function handleQuit(shell: DesktopShell, hub: DesktopHub, log: Logger): void {
  let stopping = false;
  let stopped = false;

  app.on('before-quit', (event) => {
    if (stopped) return;

    event.preventDefault();
    if (stopping) return;
    stopping = true;

    shell.prepareToQuit();
    shell.dispose();
    closeWithDeadline(hub, log).finally(() => {
      stopped = true;
      log.info('handleQuit(): stopped');
      app.quit();
    });
  });
}

async function closeWithDeadline(hub: DesktopHub, log: Logger): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      log.warn(`closeWithDeadline(): the hub did not close within ${hubCloseTimeoutMs} ms; quitting anyway`);
      resolve();
    }, hubCloseTimeoutMs);
  });

  try {
    await Promise.race([hub.close(), deadline]);
  } catch (error) {
    log.error('closeWithDeadline(): the hub failed to close', error);
  } finally {
    clearTimeout(timer);
  }
}
