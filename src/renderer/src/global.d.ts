import type { HubBridge } from '../../common/bridge';

declare global {
  interface Window {
    /** Present only inside the Electron window, where the preload exposes it. */
    mlopsHub?: HubBridge;
  }
}
