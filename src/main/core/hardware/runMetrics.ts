import { type HardwareInfo, type HardwareSample } from '../../../common/methods/hardware';
import { type EventBus } from '../eventBus';
import { type Logger } from '../logger';
import { type Tracking } from '../tracking/tracking';
import { type KeyValue, type MetricPoint } from '../tracking/types';
import { overlapEnergyJoules, packagePowerWatts } from './runEnergy';
import { defaultIdleTimeoutMs, defaultLivenessCheckIntervalMs, isProcessAlive, parsePidTag, pidTagKey, type StopReason } from './runLiveness';

/**
 * Maximum number of RUNNING runs that get system metrics at once. Runs whose
 * scripts died without ending them stay RUNNING forever. Past this count the
 * longest-followed run is dropped, so one sample never turns into thousands of writes.
 */
export const maxFollowedRuns = 32;

/** Metric key of a run's total CPU + GPU + Neural Engine energy, in joules. */
export const energyMetricKey = 'system/energy_joules';

export { packagePowerWatts } from './runEnergy';

/**
 * Metric names for one sample. Names that MLflow's own system-metrics
 * monitors log keep MLflow's spelling (mlflow/system_metrics/metrics:
 * cpu_utilization_percentage, system_memory_usage_megabytes = used / 1e6,
 * gpu_0_utilization_percentage, gpu_0_power_usage_watts); the rest are ours.
 */
export function sampleToMetrics(sample: HardwareSample): Record<string, number> {
  const values: Record<string, number | null> = {
    'system/cpu_utilization_percentage': percent(sample.cpuUsageRatio),
    'system/system_memory_usage_megabytes': sample.memoryUsedBytes === null ? null : sample.memoryUsedBytes / 1e6,
    'system/system_memory_usage_percentage':
      sample.memoryUsedBytes !== null && sample.memoryTotalBytes ? (sample.memoryUsedBytes / sample.memoryTotalBytes) * 100 : null,
    'system/gpu_0_utilization_percentage': percent(sample.gpuActiveRatio),
    'system/gpu_0_power_usage_watts': sample.gpuPowerWatts,
    'system/gpu_0_frequency_megahertz': sample.gpuFreqMhz,
    'system/cpu_power_watts': sample.cpuPowerWatts,
    'system/ane_power_watts': sample.anePowerWatts,
    'system/package_power_watts': packagePowerWatts(sample),
    'system/cpu_temperature_celsius': sample.cpuTempCelsius,
    'system/gpu_0_temperature_celsius': sample.gpuTempCelsius,
    'system/swap_usage_megabytes': sample.swapUsedBytes === null ? null : sample.swapUsedBytes / 1e6,
  };

  return Object.fromEntries(Object.entries(values).filter((entry): entry is [string, number] => entry[1] !== null && Number.isFinite(entry[1])));
}

/** Run tags that describe the machine, so runs can be grouped by chip. */
export function infoToTags(info: HardwareInfo): KeyValue[] {
  const tags: [string, string | number | boolean | null][] = [
    ['mlops_hub.hardware.chip', info.chip],
    ['mlops_hub.hardware.model', info.model],
    ['mlops_hub.hardware.performance_cores', info.performanceCores],
    ['mlops_hub.hardware.efficiency_cores', info.efficiencyCores],
    ['mlops_hub.hardware.gpu_cores', info.gpuCores],
    ['mlops_hub.hardware.neural_engine', info.neuralEngine],
    ['mlops_hub.hardware.memory_bytes', info.memoryBytes],
    ['mlops_hub.hardware.os', info.osName === null ? null : `${info.osName} ${info.osVersion ?? ''}`.trim()],
  ];

  return tags.filter((entry): entry is [string, string | number | boolean] => entry[1] !== null).map(([key, value]) => ({ key, value: String(value) }));
}

function percent(ratio: number | null): number | null {
  return ratio === null ? null : ratio * 100;
}

export interface RunMetricsOptions {
  tracking: Tracking;
  events: EventBus;
  log: Logger;
  /** Minimum time between two metric batches to the same run, in milliseconds. */
  minIntervalMs?: number;
  /** Clock in milliseconds since the Unix epoch. */
  now?: () => number;
  /** Probe for the process named by a run's `mlops_hub.pid` tag; `isProcessAlive` (kill with signal 0) by default. */
  isProcessAlive?: (pid: number) => boolean;
  /** Time without a client write after which a run without a pid tag stops getting system metrics, in milliseconds. */
  idleTimeoutMs?: number;
  /** Minimum time between two liveness checks of the followed runs, in milliseconds. */
  livenessCheckIntervalMs?: number;
}

interface FollowedRun {
  /** Integrated package energy in joules; null until a sample carries a known power. */
  energyJoules: number | null;
  /** The run's `start_time`, in milliseconds since the epoch; energy before it is not counted. */
  startMs: number;
  /** End of the time already integrated, so that overlapping sample windows are not counted twice. */
  integratedUntilMs: number;
  step: number;
  lastLoggedMs: number;
  tagged: boolean;
  /** Hub clock time of the latest write from a client, not from this logger, in milliseconds since the epoch. */
  lastClientWriteMs: number;
  /** Process id from the run's `mlops_hub.pid` tag; null while the run has no valid one. */
  pid: number | null;
}

/** An ended run whose energy still takes the part of the next sample window that falls before `endMs`. */
interface EndingRun {
  run: FollowedRun;
  endMs: number;
}

/** Most RUNNING runs remembered after they stopped getting system metrics; past it the oldest is forgotten. */
const maxStoppedRuns = 1000;

/**
 * Logs hardware samples to every RUNNING run as `system/...` metrics, tags
 * each run with the chip, and keeps `system/energy_joules` (integrated
 * package power over the run's start_time..end_time) up to date, with a last point when the run ends.
 * Runs are found at start and followed through `runs:didChange` events.
 * A RUNNING run stops being followed when the process in its `mlops_hub.pid`
 * tag exits. A run without that tag stops after `idleTimeoutMs` without a
 * client write, and is followed again on its next client write.
 */
export class RunMetricsLogger {
  private readonly active = new Map<string, FollowedRun>();
  /** Runs that stopped being followed while RUNNING, kept so that a resumed run continues its energy total and step. */
  private readonly stopped = new Map<string, { run: FollowedRun; reason: StopReason }>();
  /** Ended runs waiting for the sample whose window covers their `end_time`; at most `maxFollowedRuns`. */
  private readonly ending = new Map<string, EndingRun>();
  private readonly unsubscribe: () => void;
  private info: HardwareInfo | null = null;
  private readonly minIntervalMs: number;
  private readonly idleTimeoutMs: number;
  private readonly now: () => number;
  private lastLivenessCheckMs = -Infinity;
  /** True while this logger's own logBatch runs, so that the events it causes do not count as client writes. */
  private writing = false;

  constructor(private readonly options: RunMetricsOptions) {
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    this.idleTimeoutMs = options.idleTimeoutMs ?? defaultIdleTimeoutMs;
    this.now = options.now ?? Date.now;
    for (const [runId, run] of this.findRunningRuns()) this.active.set(runId, run);
    this.unsubscribe = options.events.onDidEmit((event) => {
      if (this.writing) return;
      if (event.type === 'runs:didChange') this.handleRunChange(event.runId, event.status);
      if (event.type === 'metrics:didLog') this.handleClientWrite(event.runId);
    });
  }

  get activeRunIds(): string[] {
    return [...this.active.keys()];
  }

  setInfo(info: HardwareInfo | null): void {
    this.info = info;
  }

  handleSample(sample: HardwareSample): void {
    this.checkLiveness();
    this.finishEndingRuns(sample);

    for (const [runId, run] of this.active) {
      addOverlapEnergy(run, sample, Number.POSITIVE_INFINITY);
      if (sample.timestampMs - run.lastLoggedMs < this.minIntervalMs) continue;

      run.lastLoggedMs = sample.timestampMs;
      const metrics = Object.entries(sampleToMetrics(sample)).map(([key, value]) => ({ key, value, timestamp: sample.timestampMs, step: run.step }));
      if (run.energyJoules !== null) metrics.push({ key: energyMetricKey, value: run.energyJoules, timestamp: sample.timestampMs, step: run.step });
      run.step++;
      this.write(runId, run, metrics);
    }
  }

  dispose(): void {
    this.unsubscribe();
    this.ending.clear();
    this.active.clear();
    this.stopped.clear();
  }

  private handleRunChange(runId: string, status: string): void {
    if (status === 'RUNNING') {
      this.handleClientWrite(runId, true);
      return;
    }

    // The run ended: write the energy total so far, stop following it, and add its last stretch when the next sample arrives.
    this.stopped.delete(runId);
    const run = this.active.get(runId);
    if (!run) return;

    this.active.delete(runId);
    this.writeEnergyTotal(runId, run);
    this.startEnding(runId, run);
    this.options.log.info(`handleRunChange(): run ended runId=${runId} status=${status} energyJoules=${run.energyJoules?.toFixed(1) ?? 'unknown'}`);
  }

  /**
   * Keeps an ended run until a sample window reaches its `end_time`: the
   * window of the sample after the end still overlaps the run's last stretch.
   */
  private startEnding(runId: string, run: FollowedRun): void {
    const endMs = this.readRunTimes(runId)?.endMs ?? this.now();
    if (run.integratedUntilMs >= endMs) return;

    this.ending.set(runId, { run, endMs });
    const oldest = this.ending.size > maxFollowedRuns ? this.ending.keys().next().value : undefined;
    if (oldest !== undefined) this.ending.delete(oldest);
  }

  /** Adds each ended run's share of the sample, up to its `end_time`, and writes the final total once a window reaches it. */
  private finishEndingRuns(sample: HardwareSample): void {
    for (const [runId, { run, endMs }] of this.ending) {
      const before = run.energyJoules;
      addOverlapEnergy(run, sample, endMs);
      if (sample.timestampMs < endMs) continue;

      this.ending.delete(runId);
      if (run.energyJoules === before) continue;
      run.step++;
      this.writeEnergyTotal(runId, run);
    }
  }

  /** Reads the run's `start_time` and `end_time`; null when the run cannot be read. */
  private readRunTimes(runId: string): { startMs: number; endMs: number | null } | null {
    try {
      const row = this.options.tracking.runs.getRow(runId);
      return { startMs: row.start_time, endMs: row.end_time };
    } catch (error) {
      this.options.log.error(`readRunTimes(): reading the run failed runId=${runId}`, error);
      return null;
    }
  }

  /**
   * Notes a client write to a run. A RUNNING event also starts following a
   * new run; any client write resumes a run stopped as idle. A run whose
   * process exited stays stopped unless its pid tag now names another live
   * process, because no other writer can make its script run again.
   */
  private handleClientWrite(runId: string, isRunning = false): void {
    const run = this.active.get(runId);
    if (run) {
      run.lastClientWriteMs = this.now();
      return;
    }

    const stopped = this.stopped.get(runId);
    if (!stopped && !isRunning) return;
    if (stopped?.reason === 'process-exited' && !(isRunning && this.hasNewLivePid(runId, stopped.run.pid))) return;

    this.stopped.delete(runId);
    if (this.active.size >= maxFollowedRuns) this.dropOldestRun();
    this.active.set(runId, { ...(stopped?.run ?? newFollowedRun(0, this.readRunTimes(runId)?.startMs ?? this.now())), lastClientWriteMs: this.now(), pid: null });
    this.options.log.info(`handleClientWrite(): ${stopped ? 'resumed' : 'started'} logging system metrics runId=${runId}`);
  }

  /** Stops following dead and idle runs; does the work at most once per `livenessCheckIntervalMs` of the hub clock. */
  private checkLiveness(): void {
    const nowMs = this.now();
    if (nowMs - this.lastLivenessCheckMs < (this.options.livenessCheckIntervalMs ?? defaultLivenessCheckIntervalMs)) return;

    this.lastLivenessCheckMs = nowMs;
    for (const [runId, run] of this.active) {
      run.pid ??= this.readPidTag(runId);
      const isAlive = this.options.isProcessAlive ?? isProcessAlive;
      if (run.pid !== null && !isAlive(run.pid)) this.stopFollowing(runId, run, 'process-exited');
      if (run.pid === null && nowMs - run.lastClientWriteMs >= this.idleTimeoutMs) this.stopFollowing(runId, run, 'idle');
    }
  }

  private stopFollowing(runId: string, run: FollowedRun, reason: StopReason): void {
    this.active.delete(runId);
    this.stopped.set(runId, { run, reason });
    const forgotten = this.stopped.size > maxStoppedRuns ? this.stopped.keys().next().value : undefined;
    if (forgotten !== undefined) this.stopped.delete(forgotten);

    this.writeEnergyTotal(runId, run);
    const cause = reason === 'idle' ? `no client wrote to it for ${this.idleTimeoutMs} ms` : `its process pid=${run.pid} exited`;
    this.options.log.warn(`checkLiveness(): run is RUNNING but ${cause}; no more system metrics runId=${runId} energyJoules=${run.energyJoules?.toFixed(1) ?? 'unknown'}`);
  }

  private hasNewLivePid(runId: string, oldPid: number | null): boolean {
    const pid = this.readPidTag(runId);

    return pid !== null && pid !== oldPid && (this.options.isProcessAlive ?? isProcessAlive)(pid);
  }

  /** Reads the run's `mlops_hub.pid` tag; null when it is missing or invalid, or the run cannot be read. */
  private readPidTag(runId: string): number | null {
    const { runs } = this.options.tracking;
    try {
      const [loaded] = runs.attachData([runs.getRow(runId)], { metric: [], param: [], tag: [pidTagKey] });
      return parsePidTag(loaded?.tags.get(pidTagKey));
    } catch (error) {
      this.options.log.error(`readPidTag(): reading the run's tags failed runId=${runId}`, error);
      return null;
    }
  }

  /** Stops following the run followed longest (Map order is insertion order), writing its energy total first. */
  private dropOldestRun(): void {
    const oldest = this.active.entries().next().value;
    if (!oldest) return;

    const [runId, run] = oldest;
    this.active.delete(runId);
    this.writeEnergyTotal(runId, run);
    this.options.log.warn(`dropOldestRun(): more than ${maxFollowedRuns} runs are RUNNING; no more system metrics for runId=${runId}`);
  }

  /** Writes the energy total as the run's latest point; writes nothing while no sample carried a known power. */
  private writeEnergyTotal(runId: string, run: FollowedRun): void {
    if (run.energyJoules === null) return;

    this.write(runId, run, [{ key: energyMetricKey, value: run.energyJoules, timestamp: this.now(), step: run.step }]);
  }

  private write(runId: string, run: FollowedRun, metrics: MetricPoint[]): void {
    const tags = !run.tagged && this.info ? infoToTags(this.info) : [];
    this.writing = true;
    try {
      this.options.tracking.logBatch(runId, { metrics, params: [], tags });
      if (tags.length > 0) run.tagged = true;
    } catch (error) {
      // A deleted or missing run stops being followed; the samples themselves are kept in the hardware history.
      this.active.delete(runId);
      this.options.log.error(`write(): logging system metrics failed runId=${runId}; no longer following this run`, error);
    } finally {
      this.writing = false;
    }
  }

  /**
   * Finds the runs that were RUNNING when the hub started. A run that already
   * has an energy total continues from it, so a hub restart does not reset the
   * total. The time the hub was down is not counted. Each run's idle time
   * counts from the hub's start, because timestamps that clients send may use
   * another clock, and a run that was idle before stops `idleTimeoutMs` later.
   */
  private findRunningRuns(): Map<string, FollowedRun> {
    const { tracking, log } = this.options;
    const runs = new Map<string, FollowedRun>();
    const startMs = this.now();
    try {
      const experimentIds = tracking.listExperiments(undefined, false).map((entry) => String(entry.experiment.experiment_id));
      if (experimentIds.length === 0) return runs;

      // Oldest first, so that the Map's insertion order matches start order for dropOldestRun().
      const page = tracking.searchRuns({ experimentIds, filter: "attributes.status = 'RUNNING'", viewType: 'ACTIVE_ONLY', maxResults: maxFollowedRuns, orderBy: ['attributes.start_time DESC'] });
      for (const run of [...page.runs].reverse()) {
        const energy = run.metrics.get(energyMetricKey);
        runs.set(run.row.run_id, { ...newFollowedRun(startMs, run.row.start_time), energyJoules: energy?.value ?? null, step: energy ? energy.step + 1 : 0, pid: parsePidTag(run.tags.get(pidTagKey)) });
      }
    } catch (error) {
      log.error('findRunningRuns(): listing running runs failed; system metrics start with the next run', error);
    }

    return runs;
  }
}

function newFollowedRun(lastClientWriteMs: number, startMs: number): FollowedRun {
  return { energyJoules: null, startMs, integratedUntilMs: startMs, step: 0, lastLoggedMs: 0, tagged: false, lastClientWriteMs, pid: null };
}

/**
 * Adds the part of the sample's window inside [the run's integrated end, `untilMs`].
 * A sample without power adds nothing and leaves an unknown total unknown.
 */
function addOverlapEnergy(run: FollowedRun, sample: HardwareSample, untilMs: number): void {
  const energy = overlapEnergyJoules(sample, Math.max(run.startMs, run.integratedUntilMs), untilMs);
  if (energy === null) return;

  run.energyJoules = (run.energyJoules ?? 0) + energy;
  run.integratedUntilMs = Math.max(run.integratedUntilMs, Math.min(sample.timestampMs, untilMs));
}
