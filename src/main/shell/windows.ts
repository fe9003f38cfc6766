import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { app, BrowserWindow, type BrowserWindowConstructorOptions, type Session, shell, type WebContents } from 'electron';

import { showRunChannel } from '../../common/bridge';
import { type Logger } from '../core/logger';
import { appUrl, buildContentSecurityPolicy, isAppUrl, type AppLocation } from './appLocation';

/** Options of the dashboard window: the renderer gets no Node, an isolated world and only the preload's bridge. */
export function dashboardWindowOptions(preloadFile: string): BrowserWindowConstructorOptions {
  return {
    width: 1280,
    height: 820,
    minWidth: 720,
    minHeight: 480,
    show: false,
    title: 'MLOps Hub',
    webPreferences: {
      preload: preloadFile,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      experimentalFeatures: false,
      webviewTag: false,
      spellcheck: false,
    },
  };
}

/**
 * The one dashboard window. It is created on first show, hidden (not
 * destroyed) when the user closes it, so the app keeps running in the menu
 * bar, and destroyed only when the app quits.
 */
export class DashboardWindow {
  private window: BrowserWindow | null = null;
  private loaded = false;
  private quitting = false;
  private pendingRunId: string | null = null;

  constructor(private readonly options: { location: AppLocation; preloadFile: string; log: Logger }) {}

  /** Shows and focuses the dashboard. With `runId`, it also sends the renderer a request to open that run. */
  show(runId?: string): void {
    const window = this.window ?? this.create();

    if (runId) {
      this.pendingRunId = runId;
      this.flushPendingRun();
    }

    if (window.isMinimized()) window.restore();
    window.show();
    // An app without a Dock icon is not activated by showing a window, which then opens behind the active app.
    if (process.platform === 'darwin') app.focus({ steal: true });
    window.focus();
  }

  /** Sends a message to the renderer once it has loaded; dropped while the window does not exist. */
  send(channel: string, payload: unknown): void {
    if (!this.window || this.window.isDestroyed() || !this.loaded) return;

    this.window.webContents.send(channel, payload);
  }

  /** Lets the next close really close the window, so that quitting is not blocked. */
  prepareToQuit(): void {
    this.quitting = true;
  }

  dispose(): void {
    this.quitting = true;
    if (this.window && !this.window.isDestroyed()) this.window.destroy();
    this.window = null;
  }

  private create(): BrowserWindow {
    const { location, preloadFile, log } = this.options;
    const window = new BrowserWindow(dashboardWindowOptions(preloadFile));
    this.window = window;
    this.loaded = false;

    secureWebContents(window.webContents, location, log, (url) => void window.loadURL(url));
    window.on('close', (event) => {
      if (this.quitting) return;

      event.preventDefault();
      window.hide();
    });
    window.on('closed', () => {
      if (this.window === window) this.window = null;
    });
    window.webContents.on('did-finish-load', () => {
      this.loaded = true;
      this.flushPendingRun();
    });

    log.info(`create(): loading the dashboard from ${location.kind === 'dev' ? location.url : 'the built renderer'}`);
    window.loadURL(appUrl(location)).catch((error: unknown) => log.error('create(): the dashboard failed to load', error));

    return window;
  }

  private flushPendingRun(): void {
    if (!this.pendingRunId || !this.window || !this.loaded) return;

    this.window.webContents.send(showRunChannel, this.pendingRunId);
    this.pendingRunId = null;
  }
}

/**
 * Keeps a renderer on the app: navigation and redirects to any other URL are
 * cancelled, `window.open` never creates a window (an app URL opens in place,
 * a loopback http URL such as a managed service's port link opens in the
 * system browser), and `<webview>` tags cannot attach.
 */
export function secureWebContents(contents: WebContents, location: AppLocation, log: Logger, openInPlace: (url: string) => void): void {
  const blockForeign = (event: { preventDefault(): void }, url: string): void => {
    if (isAppUrl(url, location)) return;

    event.preventDefault();
    log.warn(`secureWebContents(): blocked navigation to ${describeUrl(url)}`);
  };
  contents.on('will-navigate', (event, url) => blockForeign(event, url));
  contents.on('will-redirect', (event, url) => blockForeign(event, url));
  contents.on('will-frame-navigate', (event) => blockForeign(event, event.url));

  contents.setWindowOpenHandler(({ url }) => {
    if (isAppUrl(url, location)) openInPlace(url);
    else if (isLoopbackHttpUrl(url)) void shell.openExternal(url).catch((error: unknown) => log.error(`secureWebContents(): opening ${describeUrl(url)} failed`, error));
    else log.warn(`secureWebContents(): blocked window.open of ${describeUrl(url)}`);

    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Adds the Content-Security-Policy header to every response that belongs to
 * the app and denies every permission request (camera, notifications from the
 * page, geolocation, ...). Returns the function that removes both handlers.
 */
export function installSessionSecurity(session: Session, location: AppLocation, log: Logger): () => void {
  const policy = buildContentSecurityPolicy(location);

  // NOTE: not checked in a running Electron here: file:// responses may bypass webRequest handlers.
  // The renderer's index.html carries an equally strict policy in a meta tag, which covers that case.

  session.webRequest.onHeadersReceived((details, callback) => {
    if (!isAppResource(details.url, location)) {
      callback({});
      return;
    }

    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [policy] } });
  });
  session.setPermissionRequestHandler((_contents, permission, callback) => {
    log.warn(`installSessionSecurity(): denied the permission request ${permission}`);
    callback(false);
  });
  session.setPermissionCheckHandler(() => false);

  return () => {
    session.webRequest.onHeadersReceived(null);
    session.setPermissionRequestHandler(null);
    session.setPermissionCheckHandler(null);
  };
}

/** True for the dev server's origin, or for a file inside the built renderer's folder. */
export function isAppResource(url: string, location: AppLocation): boolean {
  if (location.kind === 'dev') return isAppUrl(url, location);

  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'file:') return false;

    const relative = path.relative(path.dirname(location.indexFile), fileURLToPath(parsed));

    return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
  } catch {
    return false;
  }
}

/** Origin and path of a URL for the log, without its query, which may carry a token. */
function describeUrl(url: string): string {
  try {
    const parsed = new URL(url);

    return parsed.protocol === 'file:' ? parsed.href.split(/[?#]/)[0] ?? parsed.protocol : `${parsed.origin}${parsed.pathname}`;
  } catch {
    return JSON.stringify(url.slice(0, 80));
  }
}

/** True for http(s) URLs on 127.0.0.1, ::1 or localhost: the hub's services, never another host. */
export function isLoopbackHttpUrl(url: string): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }

  return (parsed.protocol === 'http:' || parsed.protocol === 'https:') && ['127.0.0.1', '[::1]', 'localhost'].includes(parsed.hostname);
}
