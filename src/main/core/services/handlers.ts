import type { MethodHandlers } from '../../../common/contract';
import { serviceStates } from '../../../common/methods/services';
import type { servicesMethods } from '../../../common/methods/services';
import type { MetricFamily } from '../api/metricsRegistry';
import type { Supervisor } from './supervisor';

export interface ServicesHandlerHooks {
  /** Reloads project services, so an edited mlops.yaml shows up without an event. */
  syncProjects(): Promise<void>;
  onDidChangeTrackingPreference(preference: 'embedded' | 'managed'): void;
}

/** Hub method handlers of the services domain. */
export function createServicesHandlers(supervisor: Supervisor, hooks: ServicesHandlerHooks): MethodHandlers<typeof servicesMethods> {
  return {
    'services:list': async () => {
      await hooks.syncProjects();

      return supervisor.list();
    },
    'services:start': async ({ name }) => {
      await hooks.syncProjects();

      return supervisor.start(name);
    },
    'services:stop': ({ name }) => supervisor.stop(name),
    'services:restart': ({ name }) => supervisor.restart(name),
    'services:logs': ({ name, lines }) => supervisor.logs(name, lines),
    'services:trackingTarget': ({ preference }) => {
      if (preference) hooks.onDidChangeTrackingPreference(preference);

      return supervisor.trackingTarget(preference);
    },
  };
}

/**
 * Metric families for `/metrics`: one `mlops_hub_service_state` series per
 * service and state (1 for the current state, 0 otherwise, as kube-state-metrics
 * does for pod phases), plus restarts and whether the service is ready.
 */
export function collectServiceMetrics(supervisor: Supervisor): MetricFamily[] {
  const runners = supervisor.allRunners;

  return [
    {
      name: 'mlops_hub_service_state',
      help: 'Current state of each managed service: 1 for the state it is in, 0 for the others.',
      type: 'gauge',
      samples: runners.flatMap((runner) => serviceStates.map((state) => ({ labels: { service: runner.name, state }, value: runner.state === state ? 1 : 0 }))),
    },
    {
      name: 'mlops_hub_service_up',
      help: 'Whether each managed service is running and passed its readiness check (1) or not (0).',
      type: 'gauge',
      samples: runners.map((runner) => ({ labels: { service: runner.name }, value: runner.state === 'running' ? 1 : 0 })),
    },
    {
      name: 'mlops_hub_service_restarts',
      help: 'Restarts made by the restart policy since the service was last started by the user.',
      type: 'gauge',
      samples: runners.map((runner) => ({ labels: { service: runner.name }, value: runner.restartCount })),
    },
  ];
}
