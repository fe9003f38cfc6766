import { beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../fakes/electron'));

import { contextBridge, ipcRenderer, resetElectronFake } from '../../fakes/electron';
import { pickFolderChannel, showRunChannel, type HubBridge } from '../../../src/common/bridge';
import { eventChannel } from '../../../src/common/events';
import { methods } from '../../../src/common/methods';

// The preload runs once, at import, as in a renderer; the bridge it exposed is kept for every test.
await import('../../../src/preload/index');
const exposedNames = [...contextBridge.exposed.keys()];
const exposedBridge = contextBridge.exposed.get('mlopsHub') as HubBridge | undefined;

/** Returns what the preload exposed as `window.mlopsHub`. */
async function loadPreload(): Promise<HubBridge> {
  if (!exposedBridge) throw new Error('the preload exposed no mlopsHub');

  return exposedBridge;
}

/** Calls the bridge with a name outside the contract, as a compromised renderer could. */
function callUnchecked(bridge: HubBridge, name: unknown, input: unknown): Promise<unknown> {
  return (bridge.call as (name: unknown, input: unknown) => Promise<unknown>)(name, input);
}

describe('preload', () => {
  beforeEach(() => resetElectronFake());

  it('exposes only the bridge functions', async () => {
    const bridge = await loadPreload();

    expect(exposedNames).toEqual(['mlopsHub']);
    expect(Object.keys(bridge).sort()).toEqual(['call', 'onEvent', 'onShowRun', 'pickFolder']);
  });

  it('invokes every contract method by name', async () => {
    const bridge = await loadPreload();

    for (const name of Object.keys(methods)) await callUnchecked(bridge, name, { probe: name });

    expect(ipcRenderer.invocations.map((call) => call.channel)).toEqual(Object.keys(methods));
    expect(ipcRenderer.invocations[0]?.args).toEqual([{ probe: Object.keys(methods)[0] }]);
  });

  it('returns the main process reply', async () => {
    ipcRenderer.invokeResult = { ok: true, value: { activeRuns: 4 } };
    const bridge = await loadPreload();

    await expect(bridge.call('hub:status', {})).resolves.toEqual({ ok: true, value: { activeRuns: 4 } });
  });

  it.each([['dialog:pickFolder'], ['shell:openExternal'], ['hub:didEmit'], ['__proto__'], [42], [null]])('rejects the channel %s', async (name) => {
    const bridge = await loadPreload();

    const result = (await callUnchecked(bridge, name, {})) as { ok: boolean; error: { code: string; message: string } };

    expect(result.ok).toBe(false);
    expect(result.error.code).toBe('ENDPOINT_NOT_FOUND');
    expect(ipcRenderer.invocations).toHaveLength(0);
  });

  it('delivers events until unsubscribed', async () => {
    const bridge = await loadPreload();
    const listener = vi.fn();

    const unsubscribe = bridge.onEvent(listener);
    ipcRenderer.emit(eventChannel, {}, { type: 'projects:didChange' });
    unsubscribe();
    ipcRenderer.emit(eventChannel, {}, { type: 'projects:didChange' });

    expect(listener).toHaveBeenCalledTimes(1);
    expect(listener).toHaveBeenCalledWith({ type: 'projects:didChange' });
    expect(ipcRenderer.listenerCount(eventChannel)).toBe(0);
  });

  it('passes no IPC event object to listeners', async () => {
    const bridge = await loadPreload();
    const listener = vi.fn();

    bridge.onShowRun(listener);
    ipcRenderer.emit(showRunChannel, { sender: 'ipc internals' }, 'run-9');

    expect(listener.mock.calls).toEqual([['run-9']]);
  });

  it('rejects a listener that is not a function', async () => {
    const bridge = await loadPreload();

    expect(() => bridge.onEvent('nope' as never)).toThrow('the listener must be a function, received string');
  });

  it('returns the picked folder', async () => {
    ipcRenderer.invokeResult = { ok: true, value: '/Users/me/digits' };
    const bridge = await loadPreload();

    await expect(bridge.pickFolder()).resolves.toBe('/Users/me/digits');
    expect(ipcRenderer.invocations[0]?.channel).toBe(pickFolderChannel);
  });

  it('raises a refused folder pick', async () => {
    ipcRenderer.invokeResult = { ok: false, error: { code: 'PERMISSION_DENIED', message: 'dialog:pickFolder: only the MLOps Hub dashboard may call the hub over IPC.' } };
    const bridge = await loadPreload();

    await expect(bridge.pickFolder()).rejects.toThrow('only the MLOps Hub dashboard');
  });
});
