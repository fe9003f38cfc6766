import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../fakes/electron'));

import { BrowserWindow, resetElectronFake, session, shell } from '../../fakes/electron';
import { showRunChannel } from '../../../src/common/bridge';
import { createSilentLogger } from '../../../src/main/core/logger';
import { type AppLocation } from '../../../src/main/shell/appLocation';
import { DashboardWindow, dashboardWindowOptions, installSessionSecurity } from '../../../src/main/shell/windows';

const indexFile = path.resolve('/opt/mlops-hub/out/renderer/index.html');
const location: AppLocation = { kind: 'file', indexFile };
const appPage = pathToFileURL(indexFile).href;

describe('dashboardWindowOptions', () => {
  it('isolates the renderer', () => {
    const preferences = dashboardWindowOptions('/opt/mlops-hub/out/preload/index.cjs').webPreferences;

    expect(preferences).toMatchObject({
      preload: '/opt/mlops-hub/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
    });
  });
});

describe('DashboardWindow', () => {
  let dashboard: DashboardWindow;

  beforeEach(() => {
    resetElectronFake();
    dashboard = new DashboardWindow({ location, preloadFile: '/opt/mlops-hub/out/preload/index.cjs', log: createSilentLogger() });
  });

  function window(): BrowserWindow {
    const created = BrowserWindow.instances[0];
    if (!created) throw new Error('no window was created');

    return created;
  }

  it('loads the app and shows it', () => {
    dashboard.show();

    expect(window().loadedUrls).toEqual([appPage]);
    expect(window().visible).toBe(true);
    expect(window().focused).toBe(true);
  });

  it('reuses one window', () => {
    dashboard.show();
    dashboard.show();

    expect(BrowserWindow.instances).toHaveLength(1);
  });

  it('hides instead of closing', () => {
    dashboard.show();

    const prevented = window().simulateClose();

    expect(prevented).toBe(true);
    expect(window().visible).toBe(false);
    expect(window().destroyed).toBe(false);
  });

  it('closes when quitting', () => {
    dashboard.show();
    dashboard.prepareToQuit();

    const prevented = window().simulateClose();

    expect(prevented).toBe(false);
    expect(window().destroyed).toBe(true);
  });

  it('asks the renderer to show a run', () => {
    dashboard.show('run-123');

    expect(window().webContents.sent).toEqual([{ channel: showRunChannel, args: ['run-123'] }]);
  });

  it('blocks navigation away from the app', () => {
    dashboard.show();
    const contents = window().webContents;

    expect(contents.simulateNavigation('will-navigate', 'https://example.com/')).toBe(true);
    expect(contents.simulateNavigation('will-redirect', pathToFileURL('/etc/hosts').href)).toBe(true);
    expect(contents.simulateNavigation('will-navigate', `${appPage}#/runs`)).toBe(false);
  });

  it('denies every new window', () => {
    dashboard.show();
    const handler = window().webContents.windowOpenHandler;

    expect(handler?.({ url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(handler?.({ url: `${appPage}#/compare` })).toEqual({ action: 'deny' });
    expect(window().loadedUrls).toEqual([appPage, `${appPage}#/compare`]);
  });

  it('opens loopback links in the system browser', () => {
    dashboard.show();
    const handler = window().webContents.windowOpenHandler;

    expect(handler?.({ url: 'http://127.0.0.1:5100/' })).toEqual({ action: 'deny' });
    expect(handler?.({ url: 'http://example.com:5100/' })).toEqual({ action: 'deny' });
    expect(shell.openedExternal).toEqual(['http://127.0.0.1:5100/']);
  });

  it('drops messages without a window', () => {
    dashboard.send('hub:didEmit', { type: 'projects:didChange' });

    expect(BrowserWindow.instances).toHaveLength(0);
  });

  it('destroys the window on dispose', () => {
    dashboard.show();

    dashboard.dispose();

    expect(window().destroyed).toBe(true);
  });
});

describe('installSessionSecurity', () => {
  beforeEach(() => resetElectronFake());

  function receiveHeaders(url: string): Record<string, string[]> | undefined {
    let headers: Record<string, string[]> | undefined;
    session.defaultSession.headersListener?.({ url, responseHeaders: { 'Content-Type': ['text/html'] } }, (response) => (headers = response.responseHeaders));

    return headers;
  }

  it('adds the policy to app responses', () => {
    installSessionSecurity(session.defaultSession as never, location, createSilentLogger());

    const headers = receiveHeaders(pathToFileURL(path.join(path.dirname(indexFile), 'assets', 'index.js')).href);

    expect(headers?.['Content-Security-Policy']?.[0]).toContain("script-src 'self'");
    expect(headers?.['Content-Type']).toEqual(['text/html']);
  });

  it('leaves other responses alone', () => {
    installSessionSecurity(session.defaultSession as never, location, createSilentLogger());

    expect(receiveHeaders('https://example.com/')).toBeUndefined();
    expect(receiveHeaders(pathToFileURL('/opt/mlops-hub/out/other/page.html').href)).toBeUndefined();
  });

  it('denies permission requests', () => {
    installSessionSecurity(session.defaultSession as never, location, createSilentLogger());
    const callback = vi.fn();

    session.defaultSession.permissionRequestHandler?.({}, 'media', callback);

    expect(callback).toHaveBeenCalledWith(false);
    expect(session.defaultSession.permissionCheckHandler?.({}, 'notifications')).toBe(false);
  });

  it('removes its handlers', () => {
    const remove = installSessionSecurity(session.defaultSession as never, location, createSilentLogger());

    remove();

    expect(session.defaultSession.headersListener).toBeNull();
    expect(session.defaultSession.permissionRequestHandler).toBeNull();
  });
});
