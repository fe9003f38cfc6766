/**
 * Events pushed to the GUI over `/events` (server-sent events) and the Electron
 * IPC bridge. Each domain adds its members to `HubEvent`; `type` is `domain:didX`.
 */
export type HubEvent =
  | { type: 'projects:didChange' }
  | { type: 'experiments:didChange'; experimentId: string }
  | { type: 'runs:didChange'; runId: string; experimentId: string; status: string }
  | { type: 'metrics:didLog'; runId: string; keys: string[] }
  | { type: 'services:didChange'; name: string; state: string }
  | { type: 'hardware:didSample'; sample: unknown }
  | { type: 'leases:didChange'; leaseId: string; state: string }
  | { type: 'notification'; title: string; body: string };

export type HubEventType = HubEvent['type'];

/** IPC channel on which the preload receives pushed events. */
export const eventChannel = 'hub:didEmit';
