import { describe, expect, it, vi } from 'vitest';

import type { HubBridge } from '../../../../../src/common/bridge';
import type { HubEvent } from '../../../../../src/common/events';
import { HubCallError } from '../../../../../src/renderer/src/transport/hubTransport';
import { createIpcTransport } from '../../../../../src/renderer/src/transport/ipcTransport';

function createFakeBridge(result: unknown) {
  const listeners = new Set<(event: HubEvent) => void>();
  const bridge = {
    call: vi.fn(async () => result),
    onEvent: (listener: (event: HubEvent) => void) => {
      listeners.add(listener);

      return () => listeners.delete(listener);
    },
    pickFolder: async () => null,
    onShowRun: () => () => undefined,
  } as unknown as HubBridge;

  return { bridge, emit: (event: HubEvent) => listeners.forEach((listener) => listener(event)), listenerCount: () => listeners.size };
}

describe('createIpcTransport', () => {
  it('returns the value of a successful call', async () => {
    const fake = createFakeBridge({ ok: true, value: [{ name: 'demo' }] });
    const transport = createIpcTransport(fake.bridge);

    await expect(transport.call('projects:list', {})).resolves.toEqual([{ name: 'demo' }]);
    expect(fake.bridge.call).toHaveBeenCalledWith('projects:list', {});
  });

  it('rejects with the bridged error code', async () => {
    const fake = createFakeBridge({ ok: false, error: { code: 'RESOURCE_DOES_NOT_EXIST', message: 'Run abc not found' } });
    const transport = createIpcTransport(fake.bridge);

    const error = await transport.call('runs:get', { runId: 'abc' }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HubCallError);
    expect((error as HubCallError).code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect((error as HubCallError).message).toBe('Run abc not found');
  });

  it('forwards events until unsubscribed', () => {
    const fake = createFakeBridge({ ok: true, value: null });
    const transport = createIpcTransport(fake.bridge);
    const received: string[] = [];

    const unsubscribe = transport.subscribe((event) => received.push(event.type));
    fake.emit({ type: 'projects:didChange' });
    unsubscribe();
    fake.emit({ type: 'projects:didChange' });

    expect(received).toEqual(['projects:didChange']);
    expect(fake.listenerCount()).toBe(0);
  });
});
