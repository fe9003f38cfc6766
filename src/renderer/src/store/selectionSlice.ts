import type { SelectionSlice, SliceCreator } from './types';

export const createSelectionSlice: SliceCreator<SelectionSlice> = () => (set, get) => ({
  compareRunIds: [],
  openRunId: null,

  toggleCompare(runId) {
    const ids = get().compareRunIds;
    set({ compareRunIds: ids.includes(runId) ? ids.filter((id) => id !== runId) : [...ids, runId] });
  },

  clearCompare() {
    set({ compareRunIds: [] });
  },

  openRun(runId) {
    set({ openRunId: runId, view: 'run' });
    void get().loadRunDetail(runId);
  },
});
