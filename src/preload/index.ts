// Preload of the dashboard window. It runs sandboxed, with access to
// `ipcRenderer`, and exposes only `window.mlopsHub`: calls to the hub methods
// named in the contract, pushed events, the folder picker and run requests.
// The renderer never gets `ipcRenderer` itself.
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';

import { bridgeGlobalName, pickFolderChannel, showRunChannel, type BridgeResult, type HubBridge } from '../common/bridge';
import { eventChannel, type HubEvent } from '../common/events';
import { methods } from '../common/methods';

const methodNames: ReadonlySet<string> = new Set(Object.keys(methods));

/** Calls a contract method; any other channel name is rejected here, before IPC. */
function call(name: unknown, input: unknown): Promise<BridgeResult<unknown>> {
  if (typeof name !== 'string' || !methodNames.has(name)) {
    const displayedName = typeof name === 'string' ? `\`${name.slice(0, 80)}\`` : `a ${typeof name}`;

    return Promise.resolve({ ok: false, error: { code: 'ENDPOINT_NOT_FOUND', message: `unknown hub method ${displayedName}; methods are named like \`projects:list\`` } });
  }

  return ipcRenderer.invoke(name, input) as Promise<BridgeResult<unknown>>;
}

/** Subscribes `listener` to `channel` and returns the function that unsubscribes it. */
function subscribe<T>(channel: string, listener: (payload: T) => void): () => void {
  if (typeof listener !== 'function') throw new TypeError(`mlopsHub: the listener must be a function, received ${typeof listener}`);

  const wrapped = (_event: IpcRendererEvent, payload: T): void => listener(payload);
  ipcRenderer.on(channel, wrapped);

  return () => {
    ipcRenderer.removeListener(channel, wrapped);
  };
}

const bridge: HubBridge = {
  call: call as HubBridge['call'],
  onEvent: (listener) => subscribe<HubEvent>(eventChannel, listener),
  onShowRun: (listener) => subscribe<string>(showRunChannel, listener),
  pickFolder: async () => {
    const result = (await ipcRenderer.invoke(pickFolderChannel)) as BridgeResult<string | null>;

    if (!result.ok) throw new Error(result.error.message);

    return result.value;
  },
};

contextBridge.exposeInMainWorld(bridgeGlobalName, bridge);
