import type { RunDetail, RunSummary } from '../../../../../src/renderer/src/api';
import { HubCallError, type HubTransport, type TransportEvent } from '../../../../../src/renderer/src/transport/hubTransport';

type Handler = (input: Record<string, unknown>) => unknown;

/** A transport that returns what `handlers` return, records every call and lets a test push events. */
export function createFakeTransport(handlers: Record<string, Handler>) {
  const listeners = new Set<(event: TransportEvent) => void>();
  const calls: { name: string; input: Record<string, unknown> }[] = [];

  const transport: HubTransport = {
    async call(name, input) {
      calls.push({ name, input: input as Record<string, unknown> });
      const handler = handlers[name];
      if (!handler) throw new HubCallError('ENDPOINT_NOT_FOUND', `no fake for ${name}`, name);

      return handler(input as Record<string, unknown>) as never;
    },
    subscribe(listener) {
      listeners.add(listener);

      return () => listeners.delete(listener);
    },
  };

  return { transport, calls, emit: (event: TransportEvent) => listeners.forEach((listener) => listener(event)), listenerCount: () => listeners.size };
}

export function makeRun(index: number, overrides: Partial<RunSummary> = {}): RunDetail {
  return {
    runId: `run${index}`,
    runName: `run-${index}`,
    experimentId: '1',
    project: 'demo',
    status: 'FINISHED',
    startTime: 1_000 * index,
    endTime: 1_000 * index + 500,
    params: { lr: String(index / 10) },
    latestMetrics: { accuracy: index / 100 },
    tags: {},
    metricKeys: ['accuracy'],
    lifecycleStage: 'active',
    artifactUri: '',
    ...overrides,
  };
}
