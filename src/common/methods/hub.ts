import { z } from 'zod';

import { defineMethod } from '../contract';

/** The store that the GUI's and the SDK's tracking calls use now. */
export interface HubTrackingTarget {
  /** `managed` while the user chose the managed MLflow server and it runs; `embedded` otherwise. */
  kind: 'embedded' | 'managed';
  /** MLflow tracking URI of the managed server, such as `http://127.0.0.1:5100`; null for the embedded store. */
  url: string | null;
}

export interface HubStatus {
  version: string;
  /** Milliseconds since the Unix epoch. */
  startedAt: number;
  dataDir: string;
  /** Dashboard address without the token, for example `http://127.0.0.1:5180/`. */
  dashboardUrl: string | null;
  socketPath: string;
  activeRuns: number;
  trackingTarget: HubTrackingTarget;
}

export const hubMethods = {
  'hub:status': defineMethod<HubStatus>()('Return the hub version, addresses and the count of active runs.', z.object({}).strict()),
} as const;
