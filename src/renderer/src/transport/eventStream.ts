import type { HubEvent } from '../../../common/events';
import type { TransportEvent } from './hubTransport';
import { SseParser } from './sseParser';

export interface EventStreamOptions {
  url: string;
  headers: Record<string, string>;
  fetch: typeof fetch;
  onEvent(event: TransportEvent): void;
  onUnauthenticated(): void;
  /** First reconnect delay; each failure doubles it up to `maxDelayMs`. */
  initialDelayMs?: number;
  maxDelayMs?: number;
}

/**
 * Reads the hub's server-sent events with a streaming fetch, because
 * EventSource cannot send the `Authorization` header. Reconnects with
 * exponential backoff and reports `transport:didReconnect` once a new
 * connection is open, since events may have been lost in between.
 */
export class EventStream {
  private controller: AbortController | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private delayMs: number;
  private everConnected = false;

  constructor(private readonly options: EventStreamOptions) {
    this.delayMs = options.initialDelayMs ?? 1000;
  }

  start(): void {
    if (this.controller) return;

    this.controller = new AbortController();
    void this.connect(this.controller);
  }

  stop(): void {
    this.controller?.abort();
    this.controller = null;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  private async connect(controller: AbortController): Promise<void> {
    try {
      const response = await this.options.fetch(this.options.url, {
        headers: { ...this.options.headers, accept: 'text/event-stream' },
        signal: controller.signal,
      });
      if (response.status === 401) {
        this.stop();
        this.options.onUnauthenticated();
        return;
      }
      if (!response.ok || !response.body) throw new Error(`HTTP ${response.status}`);

      this.didConnect();
      await this.readBody(response.body);
    } catch {
      // Network failures and a closed stream both end up here: retry below.
    }

    if (this.controller === controller) this.scheduleRetry(controller);
  }

  private didConnect(): void {
    this.delayMs = this.options.initialDelayMs ?? 1000;
    if (this.everConnected) this.options.onEvent({ type: 'transport:didReconnect' });
    this.everConnected = true;
  }

  private async readBody(body: ReadableStream<Uint8Array>): Promise<void> {
    const reader = body.getReader();
    const decoder = new TextDecoder();
    const parser = new SseParser();

    for (;;) {
      const { done, value } = await reader.read();
      if (done) return;

      for (const message of parser.push(decoder.decode(value, { stream: true }))) {
        const event = parseHubEvent(message.data);
        if (event) this.options.onEvent(event);
      }
    }
  }

  private scheduleRetry(controller: AbortController): void {
    const maxDelayMs = this.options.maxDelayMs ?? 30_000;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      if (this.controller === controller) void this.connect(controller);
    }, this.delayMs);
    this.delayMs = Math.min(this.delayMs * 2, maxDelayMs);
  }
}

/** Parses one event's data as a hub event; returns null for anything else (keep-alives, unknown shapes). */
export function parseHubEvent(data: string): HubEvent | null {
  try {
    const value: unknown = JSON.parse(data);
    if (typeof value === 'object' && value !== null && 'type' in value && typeof value.type === 'string') return value as HubEvent;
  } catch {
    return null;
  }

  return null;
}
