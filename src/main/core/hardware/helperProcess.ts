import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';

import { type HardwareSample } from '../../../common/methods/hardware';
import { type Logger } from '../logger';
import { parseSampleLine } from './sampleLine';

/**
 * `failing`: the last `maxFailedStarts` starts ended without a sample, so the
 * caller should fall back while restarts go on with backoff. `stale`: the
 * helper stopped printing and is being killed. `missing`: the binary is absent
 * or not executable, and it is looked for again after `missingRecheckMs`, then at doubling delays.
 */
export type HelperState = 'starting' | 'running' | 'backoff' | 'failing' | 'stale' | 'missing' | 'stopped';

export interface BackoffOptions {
  /** First restart delay, in milliseconds; doubled after each quick failure. */
  initialMs: number;
  maxMs: number;
  /** A helper that ran this long before dying restarts after `initialMs` again. */
  stableMs: number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 1000, maxMs: 60_000, stableMs: 60_000 };

/** Consecutive starts without a single sample before the state becomes `failing`. */
export const defaultMaxFailedStarts = 5;
/** First delay before looking for a missing helper binary again, in milliseconds; doubled up to 5 minutes. */
export const defaultMissingRecheckMs = 30_000;
const maxMissingRecheckMs = 300_000;
/** Shortest silence, in milliseconds, after which a helper counts as hung; otherwise 3 intervals. */
const minStaleAfterMs = 5000;
/** Characters of a bad line written to the log. */
const loggedLineChars = 200;

export interface HelperProcessOptions {
  helperPath: string;
  /** Time between samples, in milliseconds (the helper accepts 100..60000). */
  intervalMs: number;
  log: Logger;
  onSample(sample: HardwareSample): void;
  /** Called on every state change, with a sentence for the user. */
  onStateChange?(state: HelperState, detail: string): void;
  backoff?: BackoffOptions;
  /** Extra helper arguments, for tests (for example `--count`). */
  extraArgs?: readonly string[];
  maxFailedStarts?: number;
  missingRecheckMs?: number;
  /** Silence after which the helper is killed and restarted, in milliseconds (default: 3 intervals, at least 5 s). */
  staleAfterMs?: number;
}

/** Bad lines logged in full before the log switches to one line per 100. */
const loggedBadLines = 5;
const stderrTailChars = 2000;
const stopTimeoutMs = 2000;

/**
 * Runs `hwhelper stream` and turns its stdout into samples. A line that is
 * not a valid sample is counted and skipped. When the helper exits on its own,
 * or prints nothing for `staleAfterMs` and is killed, it is restarted with
 * exponential backoff. When the binary is missing or not executable, the
 * state becomes `missing` and the binary is looked for again with backoff.
 */
export class HelperProcess {
  private child: ChildProcess | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  private quickFailures = 0;
  private failedStarts = 0;
  private missingChecks = 0;
  private samplesSinceStart = 0;
  private staleTimer: NodeJS.Timeout | null = null;
  private staleKilled = false;
  private badValueCount = 0;
  private startedAt = 0;
  private stderrTail = '';
  private state: HelperState = 'stopped';
  private stateDetail = '';
  private badLineCount = 0;
  private restartCount = 0;
  private readonly backoff: BackoffOptions;

  constructor(private readonly options: HelperProcessOptions) {
    if (!Number.isInteger(options.intervalMs) || options.intervalMs < 100 || options.intervalMs > 60_000) {
      throw new TypeError(`Expected \`intervalMs\` to be an integer in 100..60000, got \`${options.intervalMs}\``);
    }
    this.backoff = options.backoff ?? defaultBackoff;
  }

  get badLines(): number {
    return this.badLineCount;
  }

  /** Values the schema set to null (negative power), summed over all lines. */
  get badValues(): number {
    return this.badValueCount;
  }

  get restarts(): number {
    return this.restartCount;
  }

  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  get currentState(): HelperState {
    return this.state;
  }

  start(): void {
    this.stopping = false;
    this.spawnHelper();
  }

  /** Sends SIGTERM and waits for the exit; SIGKILL after 2 s. */
  async stop(): Promise<void> {
    this.stopping = true;
    if (this.restartTimer) clearTimeout(this.restartTimer);
    this.restartTimer = null;
    this.clearStaleTimer();

    const child = this.child;
    // A child without a pid never started, so no exit event will come.
    if (child && child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), stopTimeoutMs);
      await exited;
      clearTimeout(timer);
    }
    this.child = null;
    this.setState('stopped', 'hardware helper stopped');
  }

  private spawnHelper(): void {
    const { helperPath, intervalMs, log } = this.options;

    const missing = checkExecutable(helperPath);
    if (missing) {
      log.warn(`start(): helper unusable path=${helperPath}: ${missing}`);
      this.setState('missing', missing);
      this.scheduleMissingRecheck();
      return;
    }
    this.missingChecks = 0;

    this.setState('starting', 'hardware helper starting');
    const child = spawn(helperPath, ['stream', '--interval-ms', String(intervalMs), ...(this.options.extraArgs ?? [])], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.startedAt = Date.now();
    this.stderrTail = '';
    this.samplesSinceStart = 0;
    this.staleKilled = false;

    child.on('error', (error) => this.handleSpawnError(error));
    child.on('exit', (code, signal) => this.handleExit(child, code, signal));
    child.stdin?.on('error', () => undefined);
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-stderrTailChars);
    });
    if (child.stdout) readline.createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => this.handleLine(line));
    this.armStaleTimer(child);

    log.info(`start(): helper spawned pid=${child.pid ?? 'none'} intervalMs=${intervalMs}`);
  }

  /** Looks for a missing binary again later, so a helper restored after a rebuild is picked up. */
  private scheduleMissingRecheck(): void {
    const firstMs = this.options.missingRecheckMs ?? defaultMissingRecheckMs;
    const delayMs = Math.min(firstMs * 2 ** this.missingChecks, Math.max(firstMs, maxMissingRecheckMs));
    this.missingChecks++;

    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.spawnHelper();
    }, delayMs);
  }

  private staleAfterMs(): number {
    return this.options.staleAfterMs ?? Math.max(3 * this.options.intervalMs, minStaleAfterMs);
  }

  /** Kills a helper that stops printing (stopped with SIGSTOP, or stuck in a read), so the exit handler restarts it. */
  private armStaleTimer(child: ChildProcess): void {
    this.clearStaleTimer();
    const staleAfterMs = this.staleAfterMs();

    this.staleTimer = setTimeout(() => {
      this.staleTimer = null;
      if (this.child !== child || this.stopping) return;

      this.staleKilled = true;
      this.options.log.warn(`armStaleTimer(): helper printed nothing for ${staleAfterMs} ms; killing it pid=${child.pid ?? 'none'}`);
      this.setState('stale', `hardware helper stale: no sample for ${formatSeconds(staleAfterMs)}; killing and restarting it`);
      child.kill('SIGKILL');
    }, staleAfterMs);
  }

  private clearStaleTimer(): void {
    if (this.staleTimer) clearTimeout(this.staleTimer);
    this.staleTimer = null;
  }

  private handleLine(line: string): void {
    this.staleTimer?.refresh();

    const result = parseSampleLine(line);
    if (result.ok) {
      this.samplesSinceStart++;
      this.failedStarts = 0;
      this.badValueCount += result.badValues;
      if (this.state !== 'running') this.setState('running', 'hardware helper running');
      this.options.onSample(result.sample);
      return;
    }

    this.badLineCount++;
    if (this.badLineCount <= loggedBadLines || this.badLineCount % 100 === 0) {
      // JSON.stringify escapes control bytes, so a garbled helper line cannot corrupt the log.
      this.options.log.warn(
        `handleLine(): skipped bad helper line count=${this.badLineCount} pid=${this.child?.pid ?? 'none'} reason=${JSON.stringify(result.reason.slice(0, loggedLineChars))} line=${JSON.stringify(line.slice(0, loggedLineChars))}`,
      );
    }
  }

  private handleSpawnError(error: NodeJS.ErrnoException): void {
    this.options.log.error(`start(): spawning the helper failed path=${this.options.helperPath}`, error);
    if (error.code === 'ENOENT' || error.code === 'EACCES') {
      this.child = null;
      this.clearStaleTimer();
      this.setState('missing', describeUnusable(this.options.helperPath, error.code));
      this.scheduleMissingRecheck();
    }
  }

  private handleExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = null;
    this.clearStaleTimer();
    if (this.stopping || this.state === 'missing') return;

    const ranMs = Date.now() - this.startedAt;
    this.quickFailures = ranMs >= this.backoff.stableMs ? 0 : this.quickFailures + 1;
    if (this.samplesSinceStart === 0) this.failedStarts++;
    const delayMs = Math.min(this.backoff.initialMs * 2 ** Math.max(0, this.quickFailures - 1), this.backoff.maxMs);
    const stderrLines = this.stderrTail.trim().split('\n').filter((line) => line.trim() !== '');
    const stderr = stderrLines.slice(-3).join(' | ');
    const lastStderr = stderrLines.at(-1)?.trim().slice(0, loggedLineChars);
    const exitDescription = this.staleKilled ? 'killed after going stale' : `exited (code ${code ?? signal ?? 'unknown'}${lastStderr ? `: ${lastStderr}` : ''})`;

    this.options.log.warn(
      `handleExit(): helper exited pid=${child.pid ?? 'none'} code=${code ?? 'none'} signal=${signal ?? 'none'} ranMs=${ranMs} failedStarts=${this.failedStarts}; restarting in ${delayMs} ms${stderr ? `; stderr: ${JSON.stringify(stderr)}` : ''}`,
    );
    const maxFailedStarts = this.options.maxFailedStarts ?? defaultMaxFailedStarts;
    if (this.failedStarts >= maxFailedStarts) {
      this.setState('failing', `hardware helper failed ${this.failedStarts} starts in a row, last ${exitDescription}; retrying in ${formatSeconds(delayMs)}`);
    } else {
      this.setState('backoff', `hardware helper ${exitDescription}; restarting in ${formatSeconds(delayMs)}`);
    }

    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.restartCount++;
      this.spawnHelper();
    }, delayMs);
  }

  /** Reports a change of state or of its sentence; `failing` and `missing` repeat with new details. */
  private setState(state: HelperState, detail: string): void {
    if (state === this.state && detail === this.stateDetail) return;
    this.state = state;
    this.stateDetail = detail;
    this.options.onStateChange?.(state, detail);
  }
}

/** Returns why `helperPath` cannot be run, or null when it is an executable file. */
function checkExecutable(helperPath: string): string | null {
  try {
    fs.accessSync(helperPath, fs.constants.X_OK);
    return null;
  } catch (error) {
    return describeUnusable(helperPath, (error as NodeJS.ErrnoException).code);
  }
}

function describeUnusable(helperPath: string, code: string | undefined): string {
  if (code === 'EACCES') return `hardware helper at ${helperPath} is not executable (chmod +x ${helperPath})`;
  if (code === 'ENOENT') return `hardware helper not found at ${helperPath}; build it with \`make -C native\``;

  return `hardware helper at ${helperPath} cannot be run (${code ?? 'error'}); build it with \`make -C native\``;
}

function formatSeconds(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${Math.round(ms / 1000)} s`;
}
