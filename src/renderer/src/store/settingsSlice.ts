import type { SettingsSlice, SliceCreator } from './types';

export const createSettingsSlice: SliceCreator<SettingsSlice> = () => (set) => ({
  view: 'projects',
  chartXAxis: 'step',
  unauthenticated: false,

  setView(view) {
    set({ view });
  },

  setChartXAxis(axis) {
    set({ chartXAxis: axis });
  },

  setUnauthenticated() {
    set({ unauthenticated: true });
  },
});
