import { describeError, toShownError } from '../messages';
import type { ServicesSlice } from './operationsTypes';
import type { SliceCreator } from './types';

/** Log lines shown in the log tail panel. */
export const logTailLines = 200;

export const createServicesSlice: SliceCreator<ServicesSlice> = (transport) => (set, get) => ({
  services: [],
  servicesStatus: 'idle',
  servicesError: null,
  openLogsService: null,
  serviceLogs: null,
  serviceLogsError: null,
  pendingServices: [],
  serviceActionErrors: {},
  trackingTarget: null,
  trackingTargetError: null,

  async loadServices() {
    set({ servicesStatus: get().servicesStatus === 'ready' ? 'ready' : 'loading' });
    try {
      const services = await transport.call('services:list', {});
      set({ services, servicesStatus: 'ready', servicesError: null });
    } catch (error) {
      set({ servicesStatus: 'error', servicesError: toShownError(error) });
    }
  },

  async runServiceAction(name, action) {
    const { [name]: _cleared, ...otherErrors } = get().serviceActionErrors;
    set({ pendingServices: [...get().pendingServices, name], serviceActionErrors: otherErrors });

    try {
      const updated = await transport.call(`services:${action}`, { name });
      set({ services: get().services.map((service) => (service.name === name ? updated : service)) });
    } catch (error) {
      set({ serviceActionErrors: { ...get().serviceActionErrors, [name]: describeError(error) } });
    }

    set({ pendingServices: get().pendingServices.filter((pending) => pending !== name) });
    // Stopping or starting one service can change the services that depend on it.
    await get().loadServices();
  },

  async openServiceLogs(name) {
    set({ openLogsService: name, serviceLogs: null, serviceLogsError: null });
    if (name !== null) await get().loadServiceLogs();
  },

  async loadTrackingTarget(preference) {
    try {
      const trackingTarget = await transport.call('services:trackingTarget', preference ? { preference } : {});
      set({ trackingTarget, trackingTargetError: null });
    } catch (error) {
      set({ trackingTargetError: describeError(error) });
      return;
    }

    // A changed target can switch the store that runs and experiments come from, so reload what is on screen.
    // NOTE: loadRuns reuses a runs load already in flight for the same scope, which may still read the old store.
    if (preference === undefined) return;
    const { experimentsStatus, runsStatus, loadExperiments, loadRuns } = get();
    await Promise.all([experimentsStatus === 'idle' ? null : loadExperiments(), runsStatus === 'idle' ? null : loadRuns()]);
  },

  async loadServiceLogs() {
    const name = get().openLogsService;
    if (name === null) return;

    try {
      const logs = await transport.call('services:logs', { name, lines: logTailLines });
      if (get().openLogsService === name) set({ serviceLogs: logs, serviceLogsError: null });
    } catch (error) {
      if (get().openLogsService === name) set({ serviceLogsError: toShownError(error) });
    }
  },
});
