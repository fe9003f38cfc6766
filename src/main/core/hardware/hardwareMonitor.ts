import { type HardwareInfo, type HardwareSample, type HardwareStatus, type HistoryMinute, type SampleSource } from '../../../common/methods/hardware';
import { type ThermalSource } from '../arbiter/thermalPolicy';
import { type EventBus } from '../eventBus';
import { describeError, type Logger } from '../logger';
import { type Db } from '../storage/database';
import { type Tracking } from '../tracking/tracking';
import { readHelperInfo, readNodeInfo } from './hardwareInfo';
import { type BackoffOptions, HelperProcess, type HelperProcessOptions, type HelperState } from './helperProcess';
import { NodeSampler } from './nodeSampler';
import { ReplaySource } from './replaySource';
import { RunMetricsLogger } from './runMetrics';
import { SampleHistory } from './sampleHistory';
import { ThrottleDetector, type ThrottleOptions } from './throttleDetector';
import { readTraceFile } from './traceFile';

export interface HardwareMonitorOptions {
  db: Db;
  log: Logger;
  /** Path of the `hwhelper` binary (native/build/hwhelper in a checkout). */
  helperPath: string;
  /** Time between samples, in milliseconds, 100..60000 (default 1000). */
  intervalMs?: number;
  /** Recorded helper trace or powermetrics file to play back instead of sampling. */
  replayFile?: string;
  /** `hardware:didSample` goes here when given. */
  events?: EventBus;
  /** RUNNING runs of this store get `system/...` metrics when given together with `events`. */
  tracking?: Tracking;
  now?: () => number;
  backoff?: BackoffOptions;
  /** Helper supervision limits (failed starts before the fallback, missing-binary recheck, stale timeout); defaults in helperProcess.ts. */
  helperLimits?: Pick<HelperProcessOptions, 'maxFailedStarts' | 'missingRecheckMs' | 'staleAfterMs'>;
  throttle?: ThrottleOptions;
  /** Minimum time between two metric batches to one run, in milliseconds (default 1000). */
  runMetricsIntervalMs?: number;
}

type Listener = (sample: HardwareSample) => void;

interface Source {
  stop(): void | Promise<void>;
}

/**
 * The hub's view of the hardware: picks a sample source (a replayed trace,
 * the native helper, or Node's `os` module when the helper is missing), keeps
 * history, detects throttling, logs to running runs and fans samples out.
 */
export class HardwareMonitor {
  private readonly listeners = new Set<Listener>();
  private readonly history: SampleHistory;
  private readonly throttle: ThrottleDetector;
  private readonly runMetrics: RunMetricsLogger | null;
  private readonly intervalMs: number;
  private readonly log: Logger;
  private source: Source | null = null;
  private helper: HelperProcess | null = null;
  /** Node sampler standing in while the helper is missing or failing; the helper keeps being retried. */
  private fallback: NodeSampler | null = null;
  private sourceKind: SampleSource = 'helper';
  /** Reason the requested replay is not running; it stays visible whatever the helper does. */
  private replayFailure: string | null = null;
  private notice: string | null = null;
  private info: HardwareInfo | null = null;
  private latestSample: HardwareSample | null = null;

  constructor(private readonly options: HardwareMonitorOptions) {
    this.intervalMs = options.intervalMs ?? 1000;
    if (!Number.isInteger(this.intervalMs) || this.intervalMs < 100 || this.intervalMs > 60_000) {
      throw new TypeError(`Expected \`intervalMs\` to be an integer in 100..60000, got \`${this.intervalMs}\``);
    }
    this.log = options.log.child('hardware');
    this.history = new SampleHistory({ db: options.db, log: this.log, now: options.now });
    this.throttle = new ThrottleDetector(options.throttle);
    this.runMetrics =
      options.tracking && options.events
        ? new RunMetricsLogger({ tracking: options.tracking, events: options.events, log: this.log, minIntervalMs: options.runMetricsIntervalMs, now: options.now })
        : null;
  }

  /** Reads the machine's info, then starts the first source that works. Never rejects: problems become the notice. */
  async start(): Promise<void> {
    await this.loadInfo();

    if (this.options.replayFile !== undefined && this.startReplay(this.options.replayFile)) return;
    this.startHelper();
  }

  async stop(): Promise<void> {
    const source = this.source;
    this.source = null;
    this.stopFallback();
    await source?.stop();
    this.history.flush();
    this.runMetrics?.dispose();
    this.log.info(`stop(): stopped source=${this.sourceKind}`);
  }

  /** Registers a listener for every sample; the returned function removes it. */
  onDidSample(listener: Listener): () => void {
    this.listeners.add(listener);

    return () => {
      this.listeners.delete(listener);
    };
  }

  status(): HardwareStatus {
    return {
      info: this.info,
      sampling: this.source !== null,
      source: this.sourceKind,
      intervalMs: this.intervalMs,
      notice: [this.replayFailure, this.notice].filter((part) => part !== null).join(' ') || null,
      sourceDetail: this.replayFailure === null ? null : `replay file ${this.options.replayFile ?? ''} unusable; sampling this machine instead`,
      badLines: this.helper?.badLines ?? 0,
      badValues: this.helper?.badValues ?? 0,
      restarts: this.helper?.restarts ?? 0,
      throttle: this.throttle.state,
      latest: this.latestSample,
    };
  }

  live(count: number): HardwareSample[] {
    return this.history.latest(count);
  }

  historyBetween(fromMs: number, toMs: number): HistoryMinute[] {
    return this.history.history(fromMs, toMs);
  }

  /**
   * Thermal readings for the arbiter: an unknown OS level counts as nominal, measured throttling is passed on.
   * Throttling flagged only from the OS level is left out, because the arbiter acts on that level itself.
   */
  thermalSource(): ThermalSource {
    const isMeasured = (): boolean => this.throttle.state.throttled && this.throttle.state.signal !== 'thermal_pressure';

    return {
      onDidSample: (listener) => this.onDidSample((sample) => listener({ thermalPressure: sample.thermalPressure ?? 'nominal', throttled: isMeasured() })),
    };
  }

  /** Handles one sample from any source; public so tests and the CLI can feed samples directly. */
  acceptSample(sample: HardwareSample): void {
    this.latestSample = sample;
    this.throttle.update(sample);
    this.history.add(sample);
    this.runMetrics?.handleSample(sample);
    this.options.events?.emit({ type: 'hardware:didSample', sample });

    for (const listener of [...this.listeners]) {
      try {
        listener(sample);
      } catch (error) {
        this.log.error('acceptSample(): a sample listener failed', error);
      }
    }
  }

  private async loadInfo(): Promise<void> {
    try {
      this.info = await readHelperInfo(this.options.helperPath);
    } catch (error) {
      this.log.warn(`loadInfo(): using Node's os module for hardware info: ${describeError(error)}`);
      this.info = readNodeInfo();
    }
    this.runMetrics?.setInfo(this.info);
  }

  private startReplay(file: string): boolean {
    try {
      const { format, samples } = readTraceFile(file);
      const replay = new ReplaySource(samples, this.intervalMs, (sample) => this.acceptSample(sample), this.options.now);
      replay.start();
      this.source = replay;
      this.sourceKind = 'replay';
      this.notice = `replaying ${samples.length} recorded samples (${format}) from ${file}; these are not live readings`;
      this.log.info(`startReplay(): replaying file=${file} samples=${samples.length} format=${format}`);
      return true;
    } catch (error) {
      this.replayFailure = `Replay file ${file} is unusable: ${(error as Error).message}. Sampling this machine instead.`;
      this.log.error(`startReplay(): replay failed file=${file}`, error);
      return false;
    }
  }

  private startHelper(): void {
    const helper = new HelperProcess({
      helperPath: this.options.helperPath,
      intervalMs: this.intervalMs,
      log: this.log,
      backoff: this.options.backoff,
      ...this.options.helperLimits,
      onSample: (sample) => this.acceptSample(sample),
      onStateChange: (state, detail) => this.handleHelperState(state, detail),
    });
    this.helper = helper;
    this.source = helper;
    this.sourceKind = 'helper';
    helper.start();
  }

  private handleHelperState(state: HelperState, detail: string): void {
    if (state === 'running') {
      this.stopFallback();
      this.sourceKind = 'helper';
      this.notice = null;
      return;
    }
    if (state === 'backoff' || state === 'stale') this.notice = this.fallback ? `${detail}. ${fallbackNotice}` : detail;
    if (state !== 'missing' && state !== 'failing') return;

    this.notice = `${detail}. ${fallbackNotice}`;
    if (this.fallback || this.source !== this.helper) return;

    const sampler = new NodeSampler(this.intervalMs, (sample) => this.acceptSample(sample), this.options.now);
    sampler.start();
    this.fallback = sampler;
    this.sourceKind = 'node';
    this.log.warn(`handleHelperState(): falling back to the Node-only sampler state=${state} intervalMs=${this.intervalMs}`);
  }

  private stopFallback(): void {
    if (!this.fallback) return;

    this.fallback.stop();
    this.fallback = null;
    this.log.info('stopFallback(): the helper is running again; stopped the Node-only sampler');
  }
}

const fallbackNotice = 'Showing CPU and memory from Node only: no power, GPU, temperatures or thermal pressure.';
