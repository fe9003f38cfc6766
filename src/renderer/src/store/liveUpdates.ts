import type { StoreApi } from 'zustand/vanilla';

import type { HubTransport, TransportEvent } from '../transport/hubTransport';
import { historyKey, type HubState } from './types';

/** Quiet time after the last event before the dashboard reloads, so a burst of metric logs costs one reload. */
const debounceMs = 400;

interface PendingRefresh {
  projects: boolean;
  experiments: boolean;
  allRuns: boolean;
  runIds: Set<string>;
  /** Metric keys logged per run since the last flush. */
  metricKeys: Map<string, Set<string>>;
  services: boolean;
  leases: boolean;
  /** Payloads of `hardware:didSample` events since the last flush, oldest first. */
  samples: unknown[];
}

/**
 * Subscribes the store to hub events and reloads only what they touched and
 * what the dashboard has already loaded. Returns the unsubscribe function.
 */
export function subscribeToHubEvents(store: StoreApi<HubState>, transport: HubTransport): () => void {
  let pending = emptyPending();
  let timer: ReturnType<typeof setTimeout> | null = null;

  const flush = () => {
    timer = null;
    const work = pending;
    pending = emptyPending();
    applyRefresh(store.getState(), work);
  };

  const unsubscribe = transport.subscribe((event) => {
    recordEvent(pending, event);
    if (!timer) timer = setTimeout(flush, debounceMs);
  });

  return () => {
    unsubscribe();
    if (timer) clearTimeout(timer);
  };
}

function emptyPending(): PendingRefresh {
  return { projects: false, experiments: false, allRuns: false, runIds: new Set(), metricKeys: new Map(), services: false, leases: false, samples: [] };
}

function recordEvent(pending: PendingRefresh, event: TransportEvent): void {
  switch (event.type) {
    case 'projects:didChange':
      pending.projects = true;
      pending.allRuns = true;
      break;
    case 'experiments:didChange':
      pending.projects = true;
      pending.experiments = true;
      break;
    case 'runs:didChange':
      pending.projects = true;
      pending.experiments = true;
      pending.runIds.add(event.runId);
      break;
    case 'metrics:didLog': {
      pending.runIds.add(event.runId);
      const keys = pending.metricKeys.get(event.runId) ?? new Set<string>();
      event.keys.forEach((key) => keys.add(key));
      pending.metricKeys.set(event.runId, keys);
      break;
    }
    case 'services:didChange':
      pending.services = true;
      break;
    case 'leases:didChange':
      pending.leases = true;
      break;
    case 'hardware:didSample':
      pending.samples.push(event.sample);
      break;
    case 'transport:didReconnect':
      Object.assign(pending, { projects: true, experiments: true, allRuns: true, services: true, leases: true });
      break;
    default:
      break;
  }
}

function applyRefresh(state: HubState, work: PendingRefresh): void {
  if (work.projects && state.projectsStatus !== 'idle') void state.loadProjects();
  applyOperationsRefresh(state, work);
  if (work.experiments && state.experimentsStatus !== 'idle') void state.loadExperiments();

  if (state.runsStatus !== 'idle') {
    if (work.allRuns) void state.reloadRuns();
    else work.runIds.forEach((runId) => void state.refreshRun(runId));
  }

  // Runs on screen in the detail or compare view get their detail and open charts reloaded.
  for (const runId of work.runIds) {
    const onScreen = runId === state.openRunId || state.compareRunIds.includes(runId);
    if (onScreen) void state.loadRunDetail(runId);
    for (const key of work.metricKeys.get(runId) ?? []) {
      if (state.histories[historyKey(runId, key)]) void state.loadHistory(runId, key);
    }
  }
}

/** Services, leases and hardware samples; the open log tail reloads with its service. */
function applyOperationsRefresh(state: HubState, work: PendingRefresh): void {
  if (work.services && state.servicesStatus !== 'idle') {
    void state.loadServices();
    void state.loadServiceLogs();
  }
  if (work.leases && state.leasesStatus !== 'idle') void state.loadLeases();
  if (work.samples.length > 0 && state.hardwareState === 'ready') state.addHardwareSamples(work.samples);
}
