import { z } from 'zod';

import { defineMethod } from '../contract';

export interface HubStatus {
  version: string;
  /** Milliseconds since the Unix epoch. */
  startedAt: number;
  dataDir: string;
  /** Dashboard address without the token, for example `http://127.0.0.1:5180/`. */
  dashboardUrl: string | null;
  socketPath: string;
  activeRuns: number;
}

export const hubMethods = {
  'hub:status': defineMethod<HubStatus>()('Return the hub version, addresses and the count of active runs.', z.object({}).strict()),
} as const;
