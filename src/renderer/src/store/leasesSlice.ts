import { thermalPressureLevels, type ThermalPressure } from '../../../common/methods/hardware';
import type { LeaseOverview } from '../../../common/methods/leases';
import { toShownError } from '../messages';
import type { LeasesSlice, ShareSnapshot, ThermalChange } from './operationsTypes';
import type { SliceCreator } from './types';

/** Share snapshots kept for the share-over-time chart. */
export const maxShareSnapshots = 500;

/** Thermal level changes kept for the event list. */
const maxThermalEvents = 100;

export const createLeasesSlice: SliceCreator<LeasesSlice> = (transport, now = Date.now) => (set, get) => ({
  leaseOverview: null,
  leasesStatus: 'idle',
  leasesError: null,
  shareHistory: [],
  leaseThermalEvents: [],

  async loadLeases() {
    set({ leasesStatus: get().leasesStatus === 'ready' ? 'ready' : 'loading' });
    try {
      const overview = await transport.call('leases:list', {});
      const atMs = now();
      set({
        leaseOverview: overview,
        shareHistory: appendShareSnapshot(get().shareHistory, overview, atMs),
        leaseThermalEvents: appendThermalLevel(get().leaseThermalEvents, overview.thermalLevel, atMs),
        leasesStatus: 'ready',
        leasesError: null,
      });
    } catch (error) {
      set({ leasesStatus: 'error', leasesError: toShownError(error) });
    }
  },

  async releaseLease(leaseId) {
    try {
      await transport.call('leases:release', { leaseId });
    } catch (error) {
      set({ leasesError: toShownError(error) });
      return;
    }

    await get().loadLeases();
  },
});

/** Adds one snapshot of every project's dominant share; projects without a share count as 0. */
export function appendShareSnapshot(history: readonly ShareSnapshot[], overview: LeaseOverview, atMs: number): ShareSnapshot[] {
  const shares: Record<string, number> = {};
  for (const share of overview.shares) shares[share.project] = share.dominantShare;

  return [...history, { atMs, shares }].slice(-maxShareSnapshots);
}

/** Adds an event when the arbiter's thermal level differs from the last one seen. */
export function appendThermalLevel(events: readonly ThermalChange[], level: string, atMs: number): ThermalChange[] {
  const known: ThermalChange['level'] = thermalPressureLevels.find((candidate): candidate is ThermalPressure => candidate === level) ?? 'unknown';
  if (events.at(-1)?.level === known) return [...events];

  return [...events, { atMs, level: known }].slice(-maxThermalEvents);
}
