import { toShownError } from '../messages';
import type { ExperimentsSlice, SliceCreator } from './types';

export const createExperimentsSlice: SliceCreator<ExperimentsSlice> = (transport) => (set, get) => ({
  experiments: [],
  experimentsStatus: 'idle',
  experimentsError: null,
  experimentsProject: null,

  async loadExperiments() {
    set({ experimentsStatus: get().experimentsStatus === 'ready' ? 'ready' : 'loading' });
    try {
      const experiments = await transport.call('experiments:list', {});
      set({ experiments, experimentsStatus: 'ready', experimentsError: null });
    } catch (error) {
      set({ experimentsStatus: 'error', experimentsError: toShownError(error) });
    }
  },

  setExperimentsProject(project) {
    set({ experimentsProject: project });
  },
});
