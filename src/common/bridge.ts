import type { MethodInput, MethodOutput } from './contract';
import type { ErrorCode } from './errors';
import type { HubEvent } from './events';
import type { MethodName, Methods } from './methods';

/** Failure of a bridged call: the hub's error code and message, never a stack trace. */
export interface BridgeError {
  code: ErrorCode;
  message: string;
}

/** Reply of a bridged call. Errors travel as data because Electron drops an Error's extra fields across IPC. */
export type BridgeResult<T> = { ok: true; value: T } | { ok: false; error: BridgeError };

/**
 * API that the preload script exposes to the renderer as `window.mlopsHub`
 * (declared in `src/renderer/src/global.d.ts`), only in the Electron app. In a
 * browser against a headless hub it is absent and the renderer uses HTTP instead.
 */
export interface HubBridge {
  /** Calls a hub method; a name outside the contract resolves to `{ok: false}` with code `ENDPOINT_NOT_FOUND`. */
  call<N extends MethodName>(name: N, input: MethodInput<Methods[N]>): Promise<BridgeResult<MethodOutput<Methods[N]>>>;
  /** Receives every hub event; the returned function unsubscribes. */
  onEvent(listener: (event: HubEvent) => void): () => void;
  /** Opens the system folder picker; resolves to the chosen absolute path, or null when cancelled. */
  pickFolder(): Promise<string | null>;
  /** Receives requests from the main process to show a run, for example after a click on a notification. */
  onShowRun(listener: (runId: string) => void): () => void;
}

/** Name of the bridge on `window`. */
export const bridgeGlobalName = 'mlopsHub';

/** IPC channel of the folder picker; not a hub method because it needs a native dialog. */
export const pickFolderChannel = 'dialog:pickFolder';

/** IPC channel on which the main process requests that the dashboard show one run (payload: the run id). */
export const showRunChannel = 'shell:showRun';
