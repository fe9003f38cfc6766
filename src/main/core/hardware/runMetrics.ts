import { type HardwareInfo, type HardwareSample } from '../../../common/methods/hardware';
import { type EventBus } from '../eventBus';
import { type Logger } from '../logger';
import { type Tracking } from '../tracking/tracking';
import { type KeyValue, type MetricPoint } from '../tracking/types';

/**
 * Most RUNNING runs that get system metrics at once. Runs whose scripts died
 * without ending them stay RUNNING forever; past this count the longest-followed
 * run is dropped, so one sample never turns into thousands of writes.
 */
export const maxFollowedRuns = 32;

/** Metric key of a run's total CPU + GPU + Neural Engine energy, in joules. */
export const energyMetricKey = 'system/energy_joules';

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

/** CPU + GPU + Neural Engine power in watts; null when none of them is known. */
export function packagePowerWatts(sample: HardwareSample): number | null {
  const parts = [sample.cpuPowerWatts, sample.gpuPowerWatts, sample.anePowerWatts].filter((value): value is number => value !== null);

  return parts.length === 0 ? null : parts.reduce((sum, value) => sum + value, 0);
}

/** Energy of one sample in joules: package power times the sample's measured window. */
export function sampleEnergyJoules(sample: HardwareSample): number {
  const watts = packagePowerWatts(sample);

  return watts === null || sample.intervalMs === null ? 0 : (watts * sample.intervalMs) / 1000;
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
}

interface ActiveRun {
  energyJoules: number;
  step: number;
  lastLoggedMs: number;
  tagged: boolean;
}

/**
 * Logs hardware samples to every RUNNING run as `system/...` metrics, tags
 * each run with the chip, and keeps `system/energy_joules` (integrated
 * package power) up to date, with a last point when the run ends.
 * Runs are found at start and followed through `runs:didChange` events.
 */
export class RunMetricsLogger {
  private readonly active = new Map<string, ActiveRun>();
  private readonly unsubscribe: () => void;
  private info: HardwareInfo | null = null;
  private readonly minIntervalMs: number;

  constructor(private readonly options: RunMetricsOptions) {
    this.minIntervalMs = options.minIntervalMs ?? 1000;
    for (const [runId, run] of this.findRunningRuns()) this.active.set(runId, run);
    this.unsubscribe = options.events.onDidEmit((event) => {
      if (event.type === 'runs:didChange') this.handleRunChange(event.runId, event.status);
    });
  }

  get activeRunIds(): string[] {
    return [...this.active.keys()];
  }

  setInfo(info: HardwareInfo | null): void {
    this.info = info;
  }

  handleSample(sample: HardwareSample): void {
    const energy = sampleEnergyJoules(sample);

    for (const [runId, run] of this.active) {
      run.energyJoules += energy;
      if (sample.timestampMs - run.lastLoggedMs < this.minIntervalMs) continue;

      run.lastLoggedMs = sample.timestampMs;
      const metrics = Object.entries(sampleToMetrics(sample)).map(([key, value]) => ({ key, value, timestamp: sample.timestampMs, step: run.step }));
      metrics.push({ key: energyMetricKey, value: run.energyJoules, timestamp: sample.timestampMs, step: run.step });
      run.step++;
      this.write(runId, run, metrics);
    }
  }

  dispose(): void {
    this.unsubscribe();
    this.active.clear();
  }

  private handleRunChange(runId: string, status: string): void {
    const run = this.active.get(runId);
    if (status === 'RUNNING' && !run) {
      if (this.active.size >= maxFollowedRuns) this.dropOldestRun();
      this.active.set(runId, newActiveRun());
      this.options.log.info(`handleRunChange(): logging system metrics runId=${runId}`);
      return;
    }
    if (status === 'RUNNING' || !run) return;

    // The run ended: write the final energy total, then stop following it.
    this.active.delete(runId);
    this.write(runId, run, [{ key: energyMetricKey, value: run.energyJoules, timestamp: (this.options.now ?? Date.now)(), step: run.step }]);
    this.options.log.info(`handleRunChange(): run ended runId=${runId} status=${status} energyJoules=${run.energyJoules.toFixed(1)}`);
  }

  /** Stops following the run followed longest (Map order is insertion order), writing its energy total first. */
  private dropOldestRun(): void {
    const oldest = this.active.entries().next().value;
    if (!oldest) return;

    const [runId, run] = oldest;
    this.active.delete(runId);
    this.write(runId, run, [{ key: energyMetricKey, value: run.energyJoules, timestamp: (this.options.now ?? Date.now)(), step: run.step }]);
    this.options.log.warn(`dropOldestRun(): more than ${maxFollowedRuns} runs are RUNNING; no more system metrics for runId=${runId}`);
  }

  private write(runId: string, run: ActiveRun, metrics: MetricPoint[]): void {
    const tags = !run.tagged && this.info ? infoToTags(this.info) : [];
    try {
      this.options.tracking.logBatch(runId, { metrics, params: [], tags });
      if (tags.length > 0) run.tagged = true;
    } catch (error) {
      // A deleted or missing run stops being followed; the samples themselves are kept in the hardware history.
      this.active.delete(runId);
      this.options.log.error(`write(): logging system metrics failed runId=${runId}; no longer following this run`, error);
    }
  }

  /**
   * Finds the runs that were RUNNING when the hub started. A run that already
   * has an energy total continues from it, so a hub restart does not reset the
   * total. The time the hub was down is not counted.
   */
  private findRunningRuns(): Map<string, ActiveRun> {
    const { tracking, log } = this.options;
    const runs = new Map<string, ActiveRun>();
    try {
      const experimentIds = tracking.listExperiments(undefined, false).map((entry) => String(entry.experiment.experiment_id));
      if (experimentIds.length === 0) return runs;

      // Oldest first, so that the Map's insertion order matches start order for dropOldestRun().
      const page = tracking.searchRuns({ experimentIds, filter: "attributes.status = 'RUNNING'", viewType: 'ACTIVE_ONLY', maxResults: maxFollowedRuns, orderBy: ['attributes.start_time DESC'] });
      for (const run of [...page.runs].reverse()) {
        const energy = run.metrics.get(energyMetricKey);
        runs.set(run.row.run_id, energy ? { ...newActiveRun(), energyJoules: energy.value, step: energy.step + 1 } : newActiveRun());
      }
    } catch (error) {
      log.error('findRunningRuns(): listing running runs failed; system metrics start with the next run', error);
    }

    return runs;
  }
}

function newActiveRun(): ActiveRun {
  return { energyJoules: 0, step: 0, lastLoggedMs: 0, tagged: false };
}
