import { hardwareSampleSchema, type HardwareSample } from '../../../common/methods/hardware';
import { toShownError } from '../messages';
import type { HardwareSlice, ThermalChange } from './operationsTypes';
import type { SliceCreator } from './types';

/** Samples kept for the live charts: 10 minutes at the default rate of one per second. */
export const maxLiveSamplesKept = 600;

/** Thermal changes kept for the timeline. */
const maxThermalChanges = 200;

/** Ranges offered by the history picker, in milliseconds. */
export const hardwareRanges = [
  { label: '1 h', rangeMs: 3_600_000 },
  { label: '6 h', rangeMs: 6 * 3_600_000 },
  { label: '24 h', rangeMs: 24 * 3_600_000 },
  { label: '7 d', rangeMs: 7 * 24 * 3_600_000 },
] as const;

export const createHardwareSlice: SliceCreator<HardwareSlice> = (transport, now = Date.now) => (set, get) => ({
  hardwareStatus: null,
  hardwareState: 'idle',
  hardwareError: null,
  liveSamples: [],
  thermalTimeline: [],
  hardwareRangeMs: hardwareRanges[0].rangeMs,
  hardwareHistory: [],
  hardwareHistoryError: null,

  async loadHardware() {
    set({ hardwareState: get().hardwareState === 'ready' ? 'ready' : 'loading' });
    try {
      const [status, samples] = await Promise.all([transport.call('hardware:info', {}), transport.call('hardware:live', { count: maxLiveSamplesKept })]);
      set({ hardwareStatus: status, liveSamples: samples, thermalTimeline: appendThermalChanges([], samples), hardwareState: 'ready', hardwareError: null });
    } catch (error) {
      set({ hardwareState: 'error', hardwareError: toShownError(error) });
    }
  },

  addHardwareSamples(raw) {
    const { liveSamples, thermalTimeline, hardwareStatus } = get();
    const lastMs = liveSamples.at(-1)?.timestampMs ?? -1;
    const samples = raw.flatMap((item) => {
      const parsed = hardwareSampleSchema.safeParse(item);
      return parsed.success && parsed.data.timestampMs > lastMs ? [parsed.data] : [];
    });
    if (samples.length === 0) return;

    set({
      liveSamples: [...liveSamples, ...samples].slice(-maxLiveSamplesKept),
      thermalTimeline: appendThermalChanges(thermalTimeline, samples),
      hardwareStatus: hardwareStatus ? { ...hardwareStatus, latest: samples.at(-1) ?? hardwareStatus.latest } : null,
    });
  },

  async setHardwareRange(rangeMs) {
    set({ hardwareRangeMs: rangeMs });
    await get().loadHardwareHistory();
  },

  async loadHardwareHistory() {
    const rangeMs = get().hardwareRangeMs;
    const toMs = now();
    try {
      const history = await transport.call('hardware:history', { fromMs: Math.max(0, toMs - rangeMs), toMs });
      if (get().hardwareRangeMs === rangeMs) set({ hardwareHistory: history, hardwareHistoryError: null });
    } catch (error) {
      set({ hardwareHistoryError: toShownError(error) });
    }
  },
});

/** Appends an entry each time the thermal pressure of `samples` differs from the last entry. */
export function appendThermalChanges(timeline: readonly ThermalChange[], samples: readonly HardwareSample[]): ThermalChange[] {
  const changes = [...timeline];
  for (const sample of samples) {
    const level = sample.thermalPressure ?? 'unknown';
    if (changes.at(-1)?.level !== level) changes.push({ atMs: sample.timestampMs, level });
  }

  return changes.slice(-maxThermalChanges);
}
