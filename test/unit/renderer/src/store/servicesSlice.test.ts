import { describe, expect, it } from 'vitest';

import type { ServiceInfo } from '../../../../../src/common/methods/services';
import { createHubStore } from '../../../../../src/renderer/src/store';
import { HubCallError } from '../../../../../src/renderer/src/transport/hubTransport';
import { createFakeTransport } from './fakeTransport';

function makeService(name: string, overrides: Partial<ServiceInfo> = {}): ServiceInfo {
  return {
    name,
    description: '',
    source: 'demo',
    state: 'stopped',
    pid: null,
    startedAt: null,
    restarts: 0,
    port: 8000,
    url: 'http://127.0.0.1:8000/',
    cpuCores: null,
    memoryBytes: null,
    reason: null,
    installCommand: null,
    dependsOn: [],
    lastExitCode: null,
    ...overrides,
  };
}

function createServicesHub(handlers: Record<string, (input: Record<string, unknown>) => unknown> = {}) {
  let services = [makeService('demo.web'), makeService('demo.worker')];
  const fake = createFakeTransport({
    'services:list': () => services,
    'services:start': (input) => {
      services = services.map((service) => (service.name === input.name ? { ...service, state: 'running', pid: 42 } : service));
      return services.find((service) => service.name === input.name);
    },
    'services:logs': (input) => ({ name: input.name, lines: ['[hub] started pid=42', 'serving'], crashLines: [] }),
    ...handlers,
  });

  return { fake, store: createHubStore(fake.transport).store };
}

describe('ServicesSlice', () => {
  it('loads the services', async () => {
    const { store } = createServicesHub();

    await store.getState().loadServices();

    expect(store.getState().servicesStatus).toBe('ready');
    expect(store.getState().services.map((service) => service.name)).toEqual(['demo.web', 'demo.worker']);
  });

  it('starts a service and reloads the list', async () => {
    const { fake, store } = createServicesHub();
    await store.getState().loadServices();

    await store.getState().runServiceAction('demo.web', 'start');

    expect(fake.calls.map((call) => call.name)).toEqual(['services:list', 'services:start', 'services:list']);
    expect(store.getState().services[0]?.state).toBe('running');
    expect(store.getState().pendingServices).toEqual([]);
  });

  it('keeps a failed action error per service', async () => {
    const { store } = createServicesHub({
      'services:stop': () => {
        throw new HubCallError('INVALID_STATE', 'service `demo.web` is not running', 'services:stop');
      },
    });
    await store.getState().loadServices();

    await store.getState().runServiceAction('demo.web', 'stop');

    expect(store.getState().serviceActionErrors['demo.web']).toContain('Service `demo.web` is not running.');
    expect(store.getState().serviceActionErrors['demo.worker']).toBeUndefined();
  });

  it('shows a load error in words', async () => {
    const { store } = createServicesHub({
      'services:list': () => {
        throw new HubCallError('NETWORK_ERROR', 'fetch failed', 'services:list');
      },
    });

    await store.getState().loadServices();

    expect(store.getState().servicesStatus).toBe('error');
    expect(store.getState().servicesError?.message).toContain('cannot reach the hub');
  });

  it('opens and closes the log tail', async () => {
    const { fake, store } = createServicesHub();

    await store.getState().openServiceLogs('demo.web');

    expect(store.getState().serviceLogs?.lines).toEqual(['[hub] started pid=42', 'serving']);
    expect(fake.calls.at(-1)?.input).toEqual({ name: 'demo.web', lines: 200 });

    await store.getState().openServiceLogs(null);

    expect(store.getState().serviceLogs).toBeNull();
    expect(store.getState().openLogsService).toBeNull();
  });
});
