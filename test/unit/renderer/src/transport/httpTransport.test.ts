import { afterEach, describe, expect, it, vi } from 'vitest';

import { createHttpTransport } from '../../../../../src/renderer/src/transport/httpTransport';
import { HubCallError, type TransportEvent } from '../../../../../src/renderer/src/transport/hubTransport';

interface RecordedRequest {
  url: string;
  init: RequestInit | undefined;
}

function jsonResponse(status: number, body: unknown): Response {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

/** A fetch that records each request and replies with `reply(url)`. */
function createFakeFetch(reply: (url: string) => Response | Promise<Response>) {
  const requests: RecordedRequest[] = [];
  const fetchFn = vi.fn(async (input: RequestInfo | URL, init?: RequestInit) => {
    const url = String(input);
    requests.push({ url, init });

    return reply(url);
  });

  return { fetch: fetchFn as unknown as typeof fetch, requests };
}

function streamOf(...chunks: string[]): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();

  return new ReadableStream({
    start(controller) {
      chunks.forEach((chunk) => controller.enqueue(encoder.encode(chunk)));
      controller.close();
    },
  });
}

describe('createHttpTransport', () => {
  afterEach(() => vi.useRealTimers());

  it('posts the input to the method route with the bearer token', async () => {
    const fake = createFakeFetch(() => jsonResponse(200, []));
    const transport = createHttpTransport({ baseUrl: 'http://127.0.0.1:5180', token: 'secret', fetch: fake.fetch });

    const projects = await transport.call('projects:list', {});

    expect(projects).toEqual([]);
    expect(fake.requests[0]?.url).toBe('http://127.0.0.1:5180/api/hub/projects/list');
    expect(fake.requests[0]?.init?.method).toBe('POST');
    expect(fake.requests[0]?.init?.body).toBe('{}');
    expect((fake.requests[0]?.init?.headers as Record<string, string>).authorization).toBe('Bearer secret');
  });

  it('rejects with the hub error code and message', async () => {
    const fake = createFakeFetch(() => jsonResponse(400, { error_code: 'INVALID_PARAMETER_VALUE', message: 'Folder /nope does not exist.' }));
    const transport = createHttpTransport({ baseUrl: 'http://127.0.0.1:1', token: 't', fetch: fake.fetch });

    const error = await transport.call('projects:add', { path: '/nope' }).catch((caught: unknown) => caught);

    expect(error).toBeInstanceOf(HubCallError);
    expect((error as HubCallError).code).toBe('INVALID_PARAMETER_VALUE');
    expect((error as HubCallError).message).toBe('Folder /nope does not exist.');
  });

  it('reports a 401 to onUnauthenticated', async () => {
    const fake = createFakeFetch(() => jsonResponse(401, { error_code: 'UNAUTHENTICATED', message: 'bad token' }));
    const onUnauthenticated = vi.fn();
    const transport = createHttpTransport({ baseUrl: 'http://127.0.0.1:1', token: 't', fetch: fake.fetch, onUnauthenticated });

    await expect(transport.call('projects:list', {})).rejects.toThrow('bad token');
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });

  it('turns a failed fetch into NETWORK_ERROR', async () => {
    const fake = createFakeFetch(() => Promise.reject(new TypeError('fetch failed')));
    const transport = createHttpTransport({ baseUrl: 'http://127.0.0.1:1', token: 't', fetch: fake.fetch });

    await expect(transport.call('projects:list', {})).rejects.toMatchObject({ code: 'NETWORK_ERROR' });
  });

  it('delivers events and reports a reconnect after the stream ends', async () => {
    vi.useFakeTimers();
    let connections = 0;
    const fake = createFakeFetch(() => {
      connections += 1;
      return new Response(streamOf(': connected\n\n', 'data: {"type":"projects:didChange"}\n\n'), { status: 200 });
    });
    const transport = createHttpTransport({ baseUrl: 'http://127.0.0.1:1', token: 'secret', fetch: fake.fetch });
    const events: TransportEvent[] = [];

    const unsubscribe = transport.subscribe((event) => events.push(event));
    await vi.advanceTimersByTimeAsync(0);
    await vi.advanceTimersByTimeAsync(1000);
    unsubscribe();

    expect(connections).toBe(2);
    expect(events).toEqual([{ type: 'projects:didChange' }, { type: 'transport:didReconnect' }, { type: 'projects:didChange' }]);
    expect((fake.requests[0]?.init?.headers as Record<string, string>).authorization).toBe('Bearer secret');
  });
});

describe('EventStream', () => {
  afterEach(() => vi.useRealTimers());

  it('stops reconnecting after a 401', async () => {
    vi.useFakeTimers();
    const fake = createFakeFetch(() => jsonResponse(401, { error_code: 'UNAUTHENTICATED', message: 'bad token' }));
    const onUnauthenticated = vi.fn();
    const transport = createHttpTransport({ baseUrl: 'http://127.0.0.1:1', token: 't', fetch: fake.fetch, onUnauthenticated });

    transport.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(60_000);

    expect(fake.requests).toHaveLength(1);
    expect(onUnauthenticated).toHaveBeenCalledTimes(1);
  });

  it('backs off while the hub is unreachable', async () => {
    vi.useFakeTimers();
    const fake = createFakeFetch(() => Promise.reject(new TypeError('fetch failed')));
    const transport = createHttpTransport({ baseUrl: 'http://127.0.0.1:1', token: 't', fetch: fake.fetch });

    const unsubscribe = transport.subscribe(() => undefined);
    await vi.advanceTimersByTimeAsync(1000 + 2000 + 4000 + 100);
    unsubscribe();
    await vi.advanceTimersByTimeAsync(60_000);

    expect(fake.requests).toHaveLength(4);
  });
});
