import type { HubEvent } from '../../common/events';
import { type Logger } from './logger';

export type EventListener = (event: HubEvent) => void;

/** Fan-out of hub events to the SSE stream, the IPC bridge and the tray. */
export class EventBus {
  private readonly listeners = new Set<EventListener>();

  constructor(private readonly log: Logger) {}

  /** Registers a listener; the returned function removes it. */
  onDidEmit(listener: EventListener): () => void {
    this.listeners.add(listener);

    return () => {
      this.listeners.delete(listener);
    };
  }

  emit(event: HubEvent): void {
    for (const listener of [...this.listeners]) {
      // A throwing listener must not stop delivery to the others.
      try {
        listener(event);
      } catch (error) {
        this.log.error(`emit(): listener failed on ${event.type}`, error);
      }
    }
  }

  get listenerCount(): number {
    return this.listeners.size;
  }
}
