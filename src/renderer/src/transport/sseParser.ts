/** One server-sent event: its `event:` name (default `message`) and its joined `data:` lines. */
export interface ServerSentEvent {
  event: string;
  data: string;
}

/**
 * Incremental parser for a `text/event-stream` body, following the WHATWG
 * HTML "server-sent events" parsing rules for the fields used here
 * (`event`, `data`; comments starting with `:` are skipped). Feed it decoded
 * text chunks of any size; it returns the events that each chunk completed.
 */
export class SseParser {
  private buffer = '';
  private eventName = '';
  private dataLines: string[] = [];

  push(chunk: string): ServerSentEvent[] {
    this.buffer += chunk;
    const events: ServerSentEvent[] = [];

    let newline = this.buffer.search(/\r\n|\r|\n/);
    while (newline !== -1) {
      const line = this.buffer.slice(0, newline);
      const width = this.buffer.startsWith('\r\n', newline) ? 2 : 1;
      this.buffer = this.buffer.slice(newline + width);
      const event = this.takeLine(line);
      if (event) events.push(event);
      newline = this.buffer.search(/\r\n|\r|\n/);
    }

    return events;
  }

  private takeLine(line: string): ServerSentEvent | null {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return null;

    const colon = line.indexOf(':');
    const field = colon === -1 ? line : line.slice(0, colon);
    let value = colon === -1 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);

    if (field === 'event') this.eventName = value;
    else if (field === 'data') this.dataLines.push(value);

    return null;
  }

  private dispatch(): ServerSentEvent | null {
    const event = this.dataLines.length > 0 ? { event: this.eventName || 'message', data: this.dataLines.join('\n') } : null;
    this.eventName = '';
    this.dataLines = [];

    return event;
  }
}
