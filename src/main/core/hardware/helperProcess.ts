import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';

import { type HardwareSample } from '../../../common/methods/hardware';
import { type Logger } from '../logger';
import { parseSampleLine } from './sampleLine';

export type HelperState = 'starting' | 'running' | 'backoff' | 'missing' | 'stopped';

export interface BackoffOptions {
  /** First restart delay, in milliseconds; doubled after each quick failure. */
  initialMs: number;
  maxMs: number;
  /** A helper that ran this long before dying restarts after `initialMs` again. */
  stableMs: number;
}

export const defaultBackoff: BackoffOptions = { initialMs: 1000, maxMs: 60_000, stableMs: 60_000 };

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
}

/** Bad lines logged in full before the log switches to one line per 100. */
const loggedBadLines = 5;
const stderrTailChars = 2000;
const stopTimeoutMs = 2000;

/**
 * Runs `hwhelper stream` and turns its stdout into samples. A line that is
 * not a valid sample is counted and skipped. When the helper exits on its own,
 * it is restarted with exponential backoff. When the binary is missing or not
 * executable, the state becomes `missing` and no restart is tried.
 */
export class HelperProcess {
  private child: ChildProcess | null = null;
  private restartTimer: NodeJS.Timeout | null = null;
  private stopping = false;
  private quickFailures = 0;
  private startedAt = 0;
  private stderrTail = '';
  private state: HelperState = 'stopped';
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

    try {
      fs.accessSync(helperPath, fs.constants.X_OK);
    } catch (error) {
      log.warn(`start(): helper not found or not executable path=${helperPath} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
      this.setState('missing', `hardware helper not found at ${helperPath}; build it with \`make -C native\``);
      return;
    }

    this.setState('starting', 'hardware helper starting');
    const child = spawn(helperPath, ['stream', '--interval-ms', String(intervalMs), ...(this.options.extraArgs ?? [])], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child = child;
    this.startedAt = Date.now();
    this.stderrTail = '';

    child.on('error', (error) => this.handleSpawnError(error));
    child.on('exit', (code, signal) => this.handleExit(child, code, signal));
    child.stdin?.on('error', () => undefined);
    child.stderr?.on('data', (chunk: Buffer) => {
      this.stderrTail = (this.stderrTail + chunk.toString('utf8')).slice(-stderrTailChars);
    });
    if (child.stdout) readline.createInterface({ input: child.stdout, crlfDelay: Infinity }).on('line', (line) => this.handleLine(line));

    log.info(`start(): helper spawned pid=${child.pid ?? 'none'} intervalMs=${intervalMs}`);
  }

  private handleLine(line: string): void {
    const result = parseSampleLine(line);
    if (result.ok) {
      if (this.state !== 'running') this.setState('running', 'hardware helper running');
      this.options.onSample(result.sample);
      return;
    }

    this.badLineCount++;
    if (this.badLineCount <= loggedBadLines || this.badLineCount % 100 === 0) {
      this.options.log.warn(`handleLine(): skipped bad helper line count=${this.badLineCount} pid=${this.child?.pid ?? 'none'}: ${result.reason}`);
    }
  }

  private handleSpawnError(error: NodeJS.ErrnoException): void {
    this.options.log.error(`start(): spawning the helper failed path=${this.options.helperPath}`, error);
    if (error.code === 'ENOENT' || error.code === 'EACCES') {
      this.child = null;
      this.setState('missing', `hardware helper could not be started (${error.code}); build it with \`make -C native\``);
    }
  }

  private handleExit(child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (this.child !== child) return;
    this.child = null;
    if (this.stopping || this.state === 'missing') return;

    const ranMs = Date.now() - this.startedAt;
    this.quickFailures = ranMs >= this.backoff.stableMs ? 0 : this.quickFailures + 1;
    const delayMs = Math.min(this.backoff.initialMs * 2 ** Math.max(0, this.quickFailures - 1), this.backoff.maxMs);
    const stderr = this.stderrTail.trim().split('\n').slice(-3).join(' | ');

    this.options.log.warn(`handleExit(): helper exited pid=${child.pid ?? 'none'} code=${code ?? 'none'} signal=${signal ?? 'none'} ranMs=${ranMs}; restarting in ${delayMs} ms${stderr ? `; stderr: ${stderr}` : ''}`);
    this.setState('backoff', `hardware helper exited (code ${code ?? signal ?? 'unknown'}); restarting in ${Math.round(delayMs / 1000)} s`);
    this.restartTimer = setTimeout(() => {
      this.restartTimer = null;
      this.restartCount++;
      this.spawnHelper();
    }, delayMs);
  }

  private setState(state: HelperState, detail: string): void {
    if (state === this.state) return;
    this.state = state;
    this.options.onStateChange?.(state, detail);
  }
}
