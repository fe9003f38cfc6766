import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../fakes/electron'));

import { dialog, ipcMain, resetElectronFake } from '../../fakes/electron';
import { pickFolderChannel } from '../../../src/common/bridge';
import { eventChannel } from '../../../src/common/events';
import { methods } from '../../../src/common/methods';
import { createHub, type Hub } from '../../../src/main/core/hub';
import { createSilentLogger } from '../../../src/main/core/logger';
import { type AppLocation } from '../../../src/main/shell/appLocation';
import { registerIpcBridge } from '../../../src/main/shell/ipcBridge';
import { createStubHub, makeTempHome } from './support';

describe('registerIpcBridge', () => {
  let home: string;
  let hub: Hub;
  let location: AppLocation;
  let appFrameUrl: string;
  let sent: { channel: string; payload: unknown }[];
  let dispose: () => void;
  let coreListeners: number;

  beforeEach(async () => {
    resetElectronFake();
    home = makeTempHome();
    hub = await createHub({ dataDir: path.join(home, 'data'), log: createSilentLogger(), listen: false });
    location = { kind: 'file', indexFile: path.join(home, 'out', 'renderer', 'index.html') };
    appFrameUrl = `${pathToFileURL(location.indexFile).href}#/projects`;
    sent = [];
    coreListeners = hub.events.listenerCount;
    dispose = registerIpcBridge({ hub, location, log: createSilentLogger(), sendToRenderer: (channel, payload) => sent.push({ channel, payload }) });
  });

  afterEach(async () => {
    dispose();
    await hub.close();
    fs.rmSync(home, { recursive: true, force: true });
  });

  it('registers every contract method', () => {
    const registered = [...ipcMain.handlers.keys()];

    expect(registered).toEqual(expect.arrayContaining(Object.keys(methods)));
    expect(registered).toContain(pickFolderChannel);
    expect(registered).toHaveLength(Object.keys(methods).length + 1);
  });

  it('returns the value of a call', async () => {
    const result = await ipcMain.invoke('hub:status', appFrameUrl, {});

    expect(result).toMatchObject({ ok: true, value: { dataDir: path.join(home, 'data'), activeRuns: 0 } });
  });

  it('returns validation errors as code and message', async () => {
    const result = (await ipcMain.invoke('projects:add', appFrameUrl, { path: 3 })) as { ok: boolean; error: Record<string, unknown> };

    expect(result.ok).toBe(false);
    expect(Object.keys(result.error).sort()).toEqual(['code', 'message']);
    expect(result.error['code']).toBe('INVALID_PARAMETER_VALUE');
    expect(result.error['message']).toContain('projects:add');
    expect(result.error['message']).toContain('`path`');
  });

  it.each([
    ['a remote page', 'https://example.com/'],
    ['another local file', pathToFileURL('/etc/passwd').href],
    ['a missing frame', null],
  ])('rejects a call from %s', async (_case, frameUrl) => {
    const result = await ipcMain.invoke('projects:list', frameUrl, {});

    expect(result).toEqual({ ok: false, error: { code: 'PERMISSION_DENIED', message: 'projects:list: only the MLOps Hub dashboard may call the hub over IPC.' } });
  });

  it('rejects the folder picker from a foreign frame', async () => {
    const result = await ipcMain.invoke(pickFolderChannel, 'https://example.com/');

    expect(result).toMatchObject({ ok: false, error: { code: 'PERMISSION_DENIED' } });
    expect(dialog.calls).toHaveLength(0);
  });

  it('returns the picked folder', async () => {
    dialog.nextResult = { canceled: false, filePaths: ['/Users/me/digits'] };

    const result = await ipcMain.invoke(pickFolderChannel, appFrameUrl);

    expect(result).toEqual({ ok: true, value: '/Users/me/digits' });
  });

  it('returns null when picking is cancelled', async () => {
    const result = await ipcMain.invoke(pickFolderChannel, appFrameUrl);

    expect(result).toEqual({ ok: true, value: null });
  });

  it('forwards hub events to the renderer', () => {
    hub.events.emit({ type: 'projects:didChange' });

    expect(sent).toEqual([{ channel: eventChannel, payload: { type: 'projects:didChange' } }]);
  });

  it('removes handlers and listener on dispose', () => {
    dispose();
    dispose = () => undefined;

    expect(ipcMain.handlers.size).toBe(0);
    expect(hub.events.listenerCount).toBe(coreListeners);
  });
});

describe('registerIpcBridge with a failing hub', () => {
  it('hides unexpected errors', async () => {
    resetElectronFake();
    const hub = createStubHub({
      'hub:status': () => {
        throw new Error('SQLITE_CORRUPT at /Users/me/secret/path');
      },
    });
    const location: AppLocation = { kind: 'dev', url: 'http://localhost:5173/' };
    const dispose = registerIpcBridge({ hub, location, log: createSilentLogger(), sendToRenderer: () => undefined });

    const result = await ipcMain.invoke('hub:status', 'http://localhost:5173/index.html', {});
    dispose();

    expect(result).toEqual({ ok: false, error: { code: 'INTERNAL_ERROR', message: 'hub:status failed with an internal error: see the hub log for details.' } });
    expect(hub.call).toHaveBeenCalledWith('hub:status', {}, { transport: 'ipc' });
  });
});
