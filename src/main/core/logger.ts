import fs from 'node:fs';
import path from 'node:path';

export type LogLevel = 'trace' | 'info' | 'warn' | 'error';

/** Logger injected into every core object. Lines read `[component] method(): message key=value`. */
export interface Logger {
  trace(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string, error?: unknown): void;
  /** A logger whose lines carry `[component]`. */
  child(component: string): Logger;
}

export interface LoggerOptions {
  /** Log file; lines go to stderr when absent. */
  file?: string;
  /** Trace lines are written only when true (`MLOPS_HUB_TRACE=1`). */
  trace?: boolean;
  /** Also copy lines to stderr when a file is set. */
  echo?: boolean;
}

/** Creates a logger that appends to a file (created 0600) or writes to stderr. */
export function createLogger(options: LoggerOptions = {}): Logger {
  let stream: fs.WriteStream | undefined;
  if (options.file) {
    fs.mkdirSync(path.dirname(options.file), { recursive: true, mode: 0o700 });
    stream = fs.createWriteStream(options.file, { flags: 'a', mode: 0o600 });
  }

  const write = (level: LogLevel, component: string, message: string): void => {
    const line = `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} [${component}] ${message}\n`;
    if (stream) stream.write(line);
    if (!stream || options.echo) process.stderr.write(line);
  };

  return buildLogger('hub', write, options.trace ?? process.env['MLOPS_HUB_TRACE'] === '1');
}

/** A logger that drops every line, for tests that do not look at logs. */
export function createSilentLogger(): Logger {
  return buildLogger('silent', () => undefined, false);
}

type WriteLine = (level: LogLevel, component: string, message: string) => void;

function buildLogger(component: string, write: WriteLine, traceEnabled: boolean): Logger {
  return {
    trace: (message) => {
      if (traceEnabled) write('trace', component, message);
    },
    info: (message) => write('info', component, message),
    warn: (message) => write('warn', component, message),
    error: (message, error) => write('error', component, error === undefined ? message : `${message}: ${describeError(error)}`),
    child: (name) => buildLogger(name, write, traceEnabled),
  };
}

/** One-line description of a caught value, with its cause chain; never a stack trace. */
export function describeError(error: unknown): string {
  if (!(error instanceof Error)) return String(error);

  const code = (error as { code?: unknown }).code;
  const head = `${error.name}${typeof code === 'string' ? ` ${code}` : ''}: ${error.message}`;

  return error.cause === undefined ? head : `${head} (cause: ${describeError(error.cause)})`;
}
