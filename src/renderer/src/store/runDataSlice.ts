import { toShownError } from '../messages';
import { historyKey, type RunDataSlice, type SliceCreator } from './types';

/** Points per chart line: enough for a smooth curve, few enough for SVG. */
const maxChartPoints = 1000;

export const createRunDataSlice: SliceCreator<RunDataSlice> = (transport) => (set, get) => ({
  runDetails: {},
  runDetailErrors: {},
  histories: {},

  async loadRunDetail(runId) {
    try {
      const detail = await transport.call('runs:get', { runId });
      const { [runId]: _dropped, ...errors } = get().runDetailErrors;
      set({ runDetails: { ...get().runDetails, [runId]: detail }, runDetailErrors: errors });
    } catch (error) {
      set({ runDetailErrors: { ...get().runDetailErrors, [runId]: toShownError(error) } });
    }
  },

  async loadHistory(runId, key) {
    try {
      const history = await transport.call('metrics:history', { runId, key, maxPoints: maxChartPoints });
      set({ histories: { ...get().histories, [historyKey(runId, key)]: history } });
    } catch (error) {
      set({ runDetailErrors: { ...get().runDetailErrors, [runId]: toShownError(error) } });
    }
  },
});
