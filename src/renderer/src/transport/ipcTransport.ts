import type { HubBridge } from '../../../common/bridge';
import { HubCallError, type HubTransport, type TransportEvent } from './hubTransport';

/** Transport for the Electron window: every call goes through the preload's typed bridge. */
export function createIpcTransport(bridge: HubBridge): HubTransport {
  return {
    async call(name, input) {
      const result = await bridge.call(name, input);
      if (!result.ok) throw new HubCallError(result.error.code, result.error.message, name);

      return result.value;
    },
    subscribe(listener: (event: TransportEvent) => void) {
      return bridge.onEvent(listener);
    },
  };
}
