import type { CallContext } from '../../common/contract';
import type { HubEvent } from '../../common/events';

/**
 * What the shell uses of the hub core built by `createHub`: calls through the
 * contract (the core validates every input) and the event stream. Declared
 * here so that shell tests can pass a hub built on a temporary folder.
 */
export interface ShellHub {
  call(name: string, rawInput: unknown, context: CallContext): Promise<unknown>;
  readonly events: {
    onDidEmit(listener: (event: HubEvent) => void): () => void;
  };
}

/** Context of the shell's own calls (tray, notifications), as opposed to the renderer's `ipc` calls. */
export const shellCallContext: CallContext = { transport: 'internal' };
