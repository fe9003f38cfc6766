import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { SseStreams } from '../../../../src/main/core/api/sse';
import { EventBus } from '../../../../src/main/core/eventBus';
import { createSilentLogger } from '../../../../src/main/core/logger';

interface Client {
  received(): string;
  waitFor(text: string): Promise<void>;
  ended: Promise<void>;
  destroy(): void;
}

describe('SseStreams', () => {
  let events: EventBus;
  let streams: SseStreams;
  let server: http.Server;
  let port: number;

  beforeEach(async () => {
    const log = createSilentLogger();
    events = new EventBus(log);
    // A 20 ms heartbeat interval, so the test receives one without waiting 15 s.
    streams = new SseStreams(events, log, 20);
    server = http.createServer((request, response) => streams.open(request, response, 'r1'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    streams.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  function connect(): Promise<Client> {
    return new Promise((resolve, reject) => {
      const request = http.get({ host: '127.0.0.1', port, path: '/events' }, (response) => {
        let text = '';
        const waiters: (() => void)[] = [];
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          text += chunk;
          for (const waiter of waiters.splice(0)) waiter();
        });
        const ended = new Promise<void>((done) => response.on('end', done));
        resolve({
          received: () => text,
          waitFor: (expected) =>
            new Promise((found) => {
              const check = (): void => {
                if (text.includes(expected)) found();
                else waiters.push(check);
              };
              check();
            }),
          ended,
          destroy: () => request.destroy(),
        });
      });
      request.on('error', reject);
    });
  }

  it('sends each event as a data line', async () => {
    const client = await connect();
    await client.waitFor(': connected\n\n');
    events.emit({ type: 'runs:didChange', runId: 'abc', experimentId: '1', status: 'FINISHED' });

    await client.waitFor('data: {"type":"runs:didChange","runId":"abc","experimentId":"1","status":"FINISHED"}\n\n');
    expect(client.received()).toContain('data: {"type":"runs:didChange"');
    client.destroy();
  });

  it('sends heartbeat comments', async () => {
    const client = await connect();

    await client.waitFor(': heartbeat\n\n');
    client.destroy();
  });

  it('forgets a stream when the client leaves', async () => {
    const client = await connect();
    await client.waitFor(': connected');
    expect(streams.size).toBe(1);

    client.destroy();
    while (streams.size > 0) await new Promise((resolve) => setImmediate(resolve));

    expect(streams.size).toBe(0);
  });

  it('ends open streams on close', async () => {
    const client = await connect();
    await client.waitFor(': connected');

    streams.close();
    await client.ended;

    expect(events.listenerCount).toBe(0);
  });
});
