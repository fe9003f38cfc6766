import type http from 'node:http';

import { type HubEvent } from '../../../common/events';
import { type EventBus } from '../eventBus';
import { type Logger } from '../logger';

/**
 * Server-sent event streams of `/events`: each hub event goes to every open
 * stream as `data: <json>\n\n`, with a comment line as heartbeat.
 */
export class SseStreams {
  private readonly streams = new Set<http.ServerResponse>();
  private readonly unsubscribe: () => void;
  private readonly heartbeat: NodeJS.Timeout;

  constructor(
    events: EventBus,
    private readonly log: Logger,
    heartbeatIntervalMs: number,
  ) {
    this.unsubscribe = events.onDidEmit((event) => this.broadcast(event));
    this.heartbeat = setInterval(() => this.writeAll(': heartbeat\n\n'), heartbeatIntervalMs);
    this.heartbeat.unref();
  }

  /** Turns `response` into an event stream that stays open until the client leaves or `close()`. */
  open(request: http.IncomingMessage, response: http.ServerResponse, requestId: string): void {
    response.writeHead(200, {
      'Content-Type': 'text/event-stream; charset=utf-8',
      'Cache-Control': 'no-store',
      Connection: 'keep-alive',
      'X-Accel-Buffering': 'no',
    });
    response.write(': connected\n\n');
    this.streams.add(response);
    this.log.trace(`open(): SSE stream opened requestId=${requestId} streams=${this.streams.size}`);

    request.socket.setKeepAlive(true);
    response.on('close', () => {
      this.streams.delete(response);
      this.log.trace(`open(): SSE stream closed requestId=${requestId} streams=${this.streams.size}`);
    });
  }

  get size(): number {
    return this.streams.size;
  }

  close(): void {
    clearInterval(this.heartbeat);
    this.unsubscribe();
    for (const stream of this.streams) stream.end();
    this.streams.clear();
  }

  private broadcast(event: HubEvent): void {
    this.writeAll(`data: ${JSON.stringify(event)}\n\n`);
  }

  private writeAll(chunk: string): void {
    for (const stream of this.streams) {
      if (!stream.writableEnded) stream.write(chunk);
    }
  }
}
