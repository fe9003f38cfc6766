import { describe, expect, it } from 'vitest';

import { LogLimiter } from '../../../../src/main/core/api/logLimiter';
import { type Logger } from '../../../../src/main/core/logger';

function createRecordingLogger(lines: string[]): Logger {
  const logger: Logger = {
    trace: () => undefined,
    info: () => undefined,
    warn: (message) => lines.push(message),
    error: () => undefined,
    child: () => logger,
  };

  return logger;
}

describe('LogLimiter', () => {
  it('writes up to the limit per window', () => {
    const lines: string[] = [];
    const limiter = new LogLimiter(createRecordingLogger(lines), 2, 1000, () => 0);

    for (let i = 0; i < 5; i++) limiter.warn(`line ${i}`);

    expect(lines).toEqual(['line 0', 'line 1']);
  });

  it('reports dropped lines when the next window starts', () => {
    const lines: string[] = [];
    let time = 0;
    const limiter = new LogLimiter(createRecordingLogger(lines), 1, 1000, () => time);

    limiter.warn('a');
    limiter.warn('b');
    limiter.warn('c');
    time = 1000;
    limiter.warn('d');

    expect(lines).toEqual(['a', 'warn(): dropped 2 similar lines in the last 1 s', 'd']);
  });
});
