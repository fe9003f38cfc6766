import { createStore, type StoreApi } from 'zustand/vanilla';

import type { HubTransport } from '../transport/hubTransport';
import { createArtifactsSlice } from './artifactsSlice';
import { createExperimentsSlice } from './experimentsSlice';
import { createHardwareSlice } from './hardwareSlice';
import { createLeasesSlice } from './leasesSlice';
import { subscribeToHubEvents } from './liveUpdates';
import { createProjectsSlice } from './projectsSlice';
import { createRunDataSlice } from './runDataSlice';
import { createRunsSlice } from './runsSlice';
import { createSelectionSlice } from './selectionSlice';
import { createServicesSlice } from './servicesSlice';
import { createSettingsSlice } from './settingsSlice';
import type { HubState } from './types';

export type { HubState } from './types';

/** A dashboard store and the function that stops its live updates. */
export interface HubStore {
  store: StoreApi<HubState>;
  dispose(): void;
}

/** Creates the dashboard's one store and subscribes it to hub events, once. */
export function createHubStore(transport: HubTransport): HubStore {
  const store = createStore<HubState>()((...args) => ({
    ...createProjectsSlice(transport)(...args),
    ...createExperimentsSlice(transport)(...args),
    ...createRunsSlice(transport)(...args),
    ...createRunDataSlice(transport)(...args),
    ...createArtifactsSlice(transport)(...args),
    ...createSelectionSlice(transport)(...args),
    ...createSettingsSlice(transport)(...args),
    ...createServicesSlice(transport)(...args),
    ...createHardwareSlice(transport)(...args),
    ...createLeasesSlice(transport)(...args),
  }));
  const dispose = subscribeToHubEvents(store, transport);

  return { store, dispose };
}
