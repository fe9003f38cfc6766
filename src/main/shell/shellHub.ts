import type { CallContext } from '../../common/contract';
import type { HubEvent } from '../../common/events';

/**
 * Part of the hub core (built by `createHub`) that the shell uses: calls
 * through the contract, whose input the core validates, and the event stream.
 * Declared here so that shell tests can pass a hub with canned replies.
 */
export interface ShellHub {
  call(name: string, rawInput: unknown, context: CallContext): Promise<unknown>;
  readonly events: {
    onDidEmit(listener: (event: HubEvent) => void): () => void;
  };
}

/** Context of the shell's own calls (tray, notifications), as opposed to the renderer's `ipc` calls. */
export const shellCallContext: CallContext = { transport: 'internal' };
