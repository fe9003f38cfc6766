import { type Logger } from '../logger';

/**
 * Writes at most `maxLines` warnings per window, so a client that repeats a
 * bad request cannot flood the log. The first line of the next window states
 * how many lines were dropped.
 */
export class LogLimiter {
  private windowStart = 0;
  private written = 0;
  private dropped = 0;

  constructor(
    private readonly log: Logger,
    private readonly maxLines: number,
    private readonly windowMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  warn(message: string): void {
    const time = this.now();
    if (time - this.windowStart >= this.windowMs) {
      if (this.dropped > 0) this.log.warn(`warn(): dropped ${this.dropped} similar lines in the last ${this.windowMs / 1000} s`);
      this.windowStart = time;
      this.written = 0;
      this.dropped = 0;
    }

    if (this.written >= this.maxLines) {
      this.dropped++;
      return;
    }
    this.written++;
    this.log.warn(message);
  }
}
