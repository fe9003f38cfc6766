import { dialog, ipcMain, type IpcMainInvokeEvent } from 'electron';

import { pickFolderChannel, type BridgeError, type BridgeResult } from '../../common/bridge';
import { HubError } from '../../common/errors';
import { eventChannel } from '../../common/events';
import { methods } from '../../common/methods';
import { type Logger } from '../core/logger';
import { isAppUrl, type AppLocation } from './appLocation';
import { type ShellHub } from './shellHub';

export interface IpcBridgeOptions {
  hub: ShellHub;
  location: AppLocation;
  log: Logger;
  /** Receives each hub event for the renderer; the dashboard window sends it on `eventChannel`. */
  sendToRenderer: (channel: string, payload: unknown) => void;
}

/** Names of every hub method; each one is an IPC channel. Derived from the contract so none can be missing. */
export const bridgedMethodNames: readonly string[] = Object.keys(methods);

/**
 * Registers one `ipcMain.handle` per hub method plus the folder picker, and
 * forwards hub events to the renderer. Only the app's own page may call:
 * `event.senderFrame` must be the dashboard URL. The core validates every
 * input. Returns the function that removes the handlers and the event listener.
 */
export function registerIpcBridge(options: IpcBridgeOptions): () => void {
  const { hub, location, log, sendToRenderer } = options;

  for (const name of bridgedMethodNames) {
    ipcMain.handle(name, (event, input: unknown) => handleMethodCall(options, name, event, input));
  }
  ipcMain.handle(pickFolderChannel, (event) => handlePickFolder(location, log, event));
  const stopForwarding = hub.events.onDidEmit((event) => sendToRenderer(eventChannel, event));
  log.info(`registerIpcBridge(): ${bridgedMethodNames.length} methods registered`);

  return () => {
    stopForwarding();
    for (const name of bridgedMethodNames) ipcMain.removeHandler(name);
    ipcMain.removeHandler(pickFolderChannel);
  };
}

async function handleMethodCall(options: IpcBridgeOptions, name: string, event: IpcMainInvokeEvent, input: unknown): Promise<BridgeResult<unknown>> {
  const { hub, location, log } = options;

  const rejection = checkSender(event, location, log, name);
  if (rejection) return { ok: false, error: rejection };

  try {
    const value = await hub.call(name, input, { transport: 'ipc' });

    return { ok: true, value };
  } catch (error) {
    return { ok: false, error: toBridgeError(error, name, log) };
  }
}

async function handlePickFolder(location: AppLocation, log: Logger, event: IpcMainInvokeEvent): Promise<BridgeResult<string | null>> {
  const rejection = checkSender(event, location, log, pickFolderChannel);
  if (rejection) return { ok: false, error: rejection };

  try {
    const result = await dialog.showOpenDialog({
      title: 'Choose a project folder',
      buttonLabel: 'Add Project',
      properties: ['openDirectory', 'createDirectory'],
    });

    return { ok: true, value: result.canceled ? null : (result.filePaths[0] ?? null) };
  } catch (error) {
    return { ok: false, error: toBridgeError(error, pickFolderChannel, log) };
  }
}

/** Returns the error to send when the caller is not the dashboard page, else null. */
function checkSender(event: IpcMainInvokeEvent, location: AppLocation, log: Logger, channel: string): BridgeError | null {
  const url = event.senderFrame?.url ?? '';
  if (isAppUrl(url, location)) return null;

  log.warn(`checkSender(): rejected ${channel} from a frame outside the app url=${url.split(/[?#]/)[0] || '(none)'}`);

  return { code: 'PERMISSION_DENIED', message: `${channel}: only the MLOps Hub dashboard may call the hub over IPC.` };
}

/**
 * Turns a thrown value into the `{code, message}` sent to the renderer.
 * A HubError keeps its code and message. Anything else is logged here and
 * sent as INTERNAL_ERROR, so no stack trace or internal detail leaves the
 * main process.
 */
export function toBridgeError(error: unknown, channel: string, log: Logger): BridgeError {
  if (error instanceof HubError) return { code: error.code, message: error.message };

  log.error(`toBridgeError(): ${channel} failed`, error);

  return { code: 'INTERNAL_ERROR', message: `${channel} failed with an internal error: see the hub log for details.` };
}
