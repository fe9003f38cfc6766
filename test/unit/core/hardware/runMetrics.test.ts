import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { type HardwareInfo } from '../../../../src/common/methods/hardware';
import { EventBus } from '../../../../src/main/core/eventBus';
import { energyMetricKey, maxFollowedRuns, RunMetricsLogger, sampleToMetrics } from '../../../../src/main/core/hardware/runMetrics';
import { createSilentLogger } from '../../../../src/main/core/logger';
import { Tracking } from '../../../../src/main/core/tracking/tracking';
import { createTrackingFixture, type TrackingFixture } from '../tracking/trackingFixture';
import { makeSample } from './sampleFactory';

const info: HardwareInfo = {
  chip: 'Apple M2 Max',
  model: 'Mac14,6',
  performanceCores: 8,
  efficiencyCores: 4,
  gpuCores: 38,
  neuralEngine: true,
  memoryBytes: 64 * 2 ** 30,
  osName: 'macOS',
  osVersion: '15.1',
};

let fixture: TrackingFixture;
let bus: EventBus;

beforeEach(() => {
  fixture = createTrackingFixture();
  // The tracking fixture keeps its bus private, so events reach the logger through a second bus fed by hand.
  bus = new EventBus(createSilentLogger());
});

afterEach(() => {
  fixture.close();
});

function startRun(name: string): string {
  const { experiment_id: experimentId } = fixture.ok('POST', 'experiments/create', { name }) as { experiment_id: string };
  const { run } = fixture.ok('POST', 'runs/create', { experiment_id: experimentId, start_time: 1000 }) as { run: { info: { run_id: string } } };

  return run.info.run_id;
}

function latestMetrics(runId: string): Record<string, number> {
  const { run } = fixture.ok('GET', 'runs/get', { run_id: runId }) as { run: { data: { metrics?: { key: string; value: number }[] } } };

  return Object.fromEntries((run.data.metrics ?? []).map((metric) => [metric.key, metric.value]));
}

function runTags(runId: string): Record<string, string> {
  const { run } = fixture.ok('GET', 'runs/get', { run_id: runId }) as { run: { data: { tags?: { key: string; value: string }[] } } };

  return Object.fromEntries((run.data.tags ?? []).map((tag) => [tag.key, tag.value]));
}

describe('sampleToMetrics', () => {
  it('uses MLflow names and percent units', () => {
    const metrics = sampleToMetrics(makeSample({ cpuUsageRatio: 0.25, memoryUsedBytes: 8e9, memoryTotalBytes: 16e9, gpuActiveRatio: 0.5, gpuPowerWatts: 12 }));

    expect(metrics['system/cpu_utilization_percentage']).toBe(25);
    expect(metrics['system/system_memory_usage_megabytes']).toBe(8000);
    expect(metrics['system/system_memory_usage_percentage']).toBe(50);
    expect(metrics['system/gpu_0_utilization_percentage']).toBe(50);
    expect(metrics['system/gpu_0_power_usage_watts']).toBe(12);
  });

  it('leaves out what the machine cannot provide', () => {
    expect(Object.keys(sampleToMetrics(makeSample({ cpuUsageRatio: 0.1 })))).toEqual(['system/cpu_utilization_percentage']);
  });
});

describe('RunMetricsLogger', () => {
  it('logs samples and chip tags to a running run', () => {
    const runId = startRun('a');
    const logger = new RunMetricsLogger({ tracking: fixture.tracking, events: bus, log: createSilentLogger() });
    logger.setInfo(info);

    logger.handleSample(makeSample({ timestampMs: 2000, cpuPowerWatts: 10, gpuPowerWatts: 5, anePowerWatts: 1, cpuTempCelsius: 61 }));

    const metrics = latestMetrics(runId);
    expect(metrics['system/cpu_power_watts']).toBe(10);
    expect(metrics['system/ane_power_watts']).toBe(1);
    expect(metrics['system/cpu_temperature_celsius']).toBe(61);
    expect(metrics[energyMetricKey]).toBe(16);
    expect(runTags(runId)['mlops_hub.hardware.chip']).toBe('Apple M2 Max');
    expect(runTags(runId)['mlops_hub.hardware.gpu_cores']).toBe('38');
    logger.dispose();
  });

  it('integrates energy over the run and writes the total at the end', () => {
    const runId = startRun('b');
    const logger = new RunMetricsLogger({ tracking: fixture.tracking, events: bus, log: createSilentLogger(), minIntervalMs: 10_000 });

    // 20 W for three 500 ms windows; only the first is logged at once because of minIntervalMs.
    for (const at of [10_000, 10_500, 11_000]) logger.handleSample(makeSample({ timestampMs: at, intervalMs: 500, cpuPowerWatts: 15, gpuPowerWatts: 5 }));
    expect(latestMetrics(runId)[energyMetricKey]).toBe(10);

    bus.emit({ type: 'runs:didChange', runId, experimentId: '1', status: 'FINISHED' });

    expect(latestMetrics(runId)[energyMetricKey]).toBe(30);
    expect(logger.activeRunIds).toEqual([]);
    logger.dispose();
  });

  it('continues the energy total after a hub restart', () => {
    const runId = startRun('restart');
    const first = new RunMetricsLogger({ tracking: fixture.tracking, events: bus, log: createSilentLogger() });
    first.handleSample(makeSample({ timestampMs: 2000, intervalMs: 1000, cpuPowerWatts: 7 }));
    first.dispose();

    const second = new RunMetricsLogger({ tracking: fixture.tracking, events: bus, log: createSilentLogger() });
    second.handleSample(makeSample({ timestampMs: 9000, intervalMs: 1000, cpuPowerWatts: 3 }));

    expect(latestMetrics(runId)[energyMetricKey]).toBe(10);
    second.dispose();
  });

  it('follows runs that start later', () => {
    const logger = new RunMetricsLogger({ tracking: fixture.tracking, events: bus, log: createSilentLogger() });
    const runId = startRun('c');
    expect(logger.activeRunIds).toEqual([]);

    bus.emit({ type: 'runs:didChange', runId, experimentId: '1', status: 'RUNNING' });
    logger.handleSample(makeSample({ timestampMs: 5000, cpuUsageRatio: 0.5 }));

    expect(latestMetrics(runId)['system/cpu_utilization_percentage']).toBe(50);
    logger.dispose();
  });

  it('follows at most maxFollowedRuns runs', () => {
    const logger = new RunMetricsLogger({ tracking: fixture.tracking, events: bus, log: createSilentLogger() });
    const runIds = Array.from({ length: maxFollowedRuns + 2 }, (_, index) => startRun(`many-${index}`));

    for (const runId of runIds) bus.emit({ type: 'runs:didChange', runId, experimentId: '1', status: 'RUNNING' });

    expect(logger.activeRunIds).toHaveLength(maxFollowedRuns);
    expect(logger.activeRunIds).not.toContain(runIds[0]);
    expect(logger.activeRunIds).not.toContain(runIds[1]);
    expect(logger.activeRunIds).toContain(runIds.at(-1));
    expect(latestMetrics(runIds[0]!)).not.toHaveProperty(energyMetricKey);
    logger.dispose();
  });

  it('stops following a run that cannot be written', () => {
    const logger = new RunMetricsLogger({ tracking: fixture.tracking, events: bus, log: createSilentLogger() });
    bus.emit({ type: 'runs:didChange', runId: 'f'.repeat(32), experimentId: '1', status: 'RUNNING' });

    logger.handleSample(makeSample({ timestampMs: 5000, cpuUsageRatio: 0.5 }));

    expect(logger.activeRunIds).toEqual([]);
    logger.dispose();
  });
});

describe('RunMetricsLogger energy', () => {
  it('logs no energy while power is unknown', () => {
    const runId = startRun('no-power');
    const logger = new RunMetricsLogger({ tracking: fixture.tracking, events: bus, log: createSilentLogger() });

    logger.handleSample(makeSample({ timestampMs: 2000, cpuUsageRatio: 0.5 }));
    bus.emit({ type: 'runs:didChange', runId, experimentId: '1', status: 'FINISHED' });

    expect(latestMetrics(runId)['system/cpu_utilization_percentage']).toBe(50);
    expect(latestMetrics(runId)).not.toHaveProperty(energyMetricKey);
    logger.dispose();
  });

  it('starts the total at the first known power', () => {
    const runId = startRun('late-power');
    const logger = new RunMetricsLogger({ tracking: fixture.tracking, events: bus, log: createSilentLogger() });

    logger.handleSample(makeSample({ timestampMs: 2000, cpuUsageRatio: 0.5 }));
    logger.handleSample(makeSample({ timestampMs: 3000, intervalMs: 1000, cpuPowerWatts: 4 }));

    expect(latestMetrics(runId)[energyMetricKey]).toBe(4);
    logger.dispose();
  });
});

describe('RunMetricsLogger liveness', () => {
  const minute = 60_000;
  let clockMs: number;
  const now = (): number => clockMs;

  beforeEach(() => {
    clockMs = 1_000_000;
  });

  function startLogger(alivePids: Set<number>, events: EventBus = bus, tracking: Tracking = fixture.tracking): RunMetricsLogger {
    return new RunMetricsLogger({ tracking, events, log: createSilentLogger(), now, isProcessAlive: (pid) => alivePids.has(pid) });
  }

  function sampleAt(atMs: number): ReturnType<typeof makeSample> {
    return makeSample({ timestampMs: atMs, intervalMs: 1000, cpuPowerWatts: 2 });
  }

  function setPidTag(runId: string, pid: number): void {
    fixture.ok('POST', 'runs/set-tag', { run_id: runId, key: 'mlops_hub.pid', value: String(pid) });
  }

  it('stops when the pid tag process exits', () => {
    const runId = startRun('dead-pid');
    setPidTag(runId, 4242);
    const alive = new Set([4242]);
    const logger = startLogger(alive);

    logger.handleSample(sampleAt(clockMs));
    expect(logger.activeRunIds).toEqual([runId]);

    alive.delete(4242);
    clockMs += 5000;
    logger.handleSample(sampleAt(clockMs));

    expect(logger.activeRunIds).toEqual([]);
    expect(latestMetrics(runId)[energyMetricKey]).toBe(2);
    logger.dispose();
  });

  it('checks pids at most every few seconds', () => {
    const runId = startRun('pid-interval');
    setPidTag(runId, 4242);
    const probed: number[] = [];
    const logger = new RunMetricsLogger({ tracking: fixture.tracking, events: bus, log: createSilentLogger(), now, isProcessAlive: (pid) => probed.push(pid) > 0 });

    for (let second = 0; second < 10; second++) logger.handleSample(sampleAt(clockMs + second * 1000));
    clockMs += 5000;
    logger.handleSample(sampleAt(clockMs));

    expect(probed).toEqual([4242, 4242]);
    logger.dispose();
  });

  it('keeps a live pid run past the idle timeout', () => {
    const runId = startRun('live-pid');
    setPidTag(runId, 4242);
    const logger = startLogger(new Set([4242]));

    clockMs += 60 * minute;
    logger.handleSample(sampleAt(clockMs));

    expect(logger.activeRunIds).toEqual([runId]);
    logger.dispose();
  });

  it('stops an untagged run after 10 idle minutes', () => {
    const runId = startRun('idle');
    const logger = startLogger(new Set());

    clockMs += 9 * minute;
    logger.handleSample(sampleAt(clockMs));
    bus.emit({ type: 'metrics:didLog', runId, keys: ['loss'] });
    clockMs += 9 * minute;
    logger.handleSample(sampleAt(clockMs));
    expect(logger.activeRunIds).toEqual([runId]);

    clockMs += 1 * minute;
    logger.handleSample(sampleAt(clockMs));

    expect(logger.activeRunIds).toEqual([]);
    expect(latestMetrics(runId)[energyMetricKey]).toBe(4);
    logger.dispose();
  });

  it('resumes an idle run on a client write', () => {
    const runId = startRun('resume');
    const logger = startLogger(new Set());
    logger.handleSample(sampleAt(clockMs));
    clockMs += 10 * minute;
    logger.handleSample(sampleAt(clockMs));
    expect(logger.activeRunIds).toEqual([]);

    bus.emit({ type: 'metrics:didLog', runId, keys: ['loss'] });
    clockMs += 1000;
    logger.handleSample(sampleAt(clockMs));

    expect(logger.activeRunIds).toEqual([runId]);
    expect(latestMetrics(runId)[energyMetricKey]).toBe(4);
    logger.dispose();
  });

  it('does not resume a run whose process exited', () => {
    const runId = startRun('no-resume');
    setPidTag(runId, 4242);
    const logger = startLogger(new Set());
    logger.handleSample(sampleAt(clockMs));

    bus.emit({ type: 'runs:didChange', runId, experimentId: '1', status: 'RUNNING' });
    bus.emit({ type: 'metrics:didLog', runId, keys: ['loss'] });

    expect(logger.activeRunIds).toEqual([]);
    logger.dispose();
  });

  it('resumes a run tagged with a new live pid', () => {
    const runId = startRun('new-pid');
    setPidTag(runId, 4242);
    const logger = startLogger(new Set([5151]));
    logger.handleSample(sampleAt(clockMs));
    expect(logger.activeRunIds).toEqual([]);

    setPidTag(runId, 5151);
    bus.emit({ type: 'runs:didChange', runId, experimentId: '1', status: 'RUNNING' });
    clockMs += 5000;
    logger.handleSample(sampleAt(clockMs));

    expect(logger.activeRunIds).toEqual([runId]);
    logger.dispose();
  });

  it('ignores its own writes as client writes', () => {
    const sharedBus = new EventBus(createSilentLogger());
    const tracking = new Tracking({ db: fixture.db, log: createSilentLogger(), events: sharedBus, now });
    const runId = startRun('own-writes');
    const logger = startLogger(new Set(), sharedBus, tracking);
    logger.setInfo(info);

    for (let second = 0; second <= 10 * 60; second += 30) {
      clockMs = 1_000_000 + second * 1000;
      logger.handleSample(sampleAt(clockMs));
    }

    expect(latestMetrics(runId)['system/cpu_power_watts']).toBe(2);
    expect(logger.activeRunIds).toEqual([]);
    logger.dispose();
  });
});

describe('RunMetricsLogger energy overlap', () => {
  let clockMs: number;
  let logger: RunMetricsLogger;

  beforeEach(() => {
    clockMs = 0;
    logger = new RunMetricsLogger({ tracking: fixture.tracking, events: bus, log: createSilentLogger(), now: () => clockMs });
  });

  afterEach(() => {
    logger.dispose();
  });

  function beginRun(name: string, startMs: number): string {
    const { experiment_id: experimentId } = fixture.ok('POST', 'experiments/create', { name }) as { experiment_id: string };
    const { run } = fixture.ok('POST', 'runs/create', { experiment_id: experimentId, start_time: startMs }) as { run: { info: { run_id: string } } };
    bus.emit({ type: 'runs:didChange', runId: run.info.run_id, experimentId, status: 'RUNNING' });

    return run.info.run_id;
  }

  function endRun(runId: string, endMs: number): void {
    fixture.ok('POST', 'runs/update', { run_id: runId, status: 'FINISHED', end_time: endMs });
    bus.emit({ type: 'runs:didChange', runId, experimentId: '1', status: 'FINISHED' });
  }

  /** Plays samples of constant power every `intervalMs` from 0 to `untilMs`, starting and ending runs at their times in between. */
  function play(intervalMs: number, untilMs: number, runs: { name: string; startMs: number; endMs: number }[]): string[] {
    const runIds = new Map<string, string>();
    for (let sampleMs = intervalMs; sampleMs <= untilMs; sampleMs += intervalMs) {
      for (const run of runs) {
        if (run.startMs < sampleMs && run.startMs >= sampleMs - intervalMs) runIds.set(run.name, beginRun(run.name, run.startMs));
        if (run.endMs < sampleMs && run.endMs >= sampleMs - intervalMs) endRun(runIds.get(run.name) ?? '', run.endMs);
      }
      clockMs = sampleMs;
      logger.handleSample(makeSample({ timestampMs: sampleMs, intervalMs, cpuPowerWatts: 10 }));
    }

    return runs.map((run) => runIds.get(run.name) ?? '');
  }

  it('counts only the run time of 1 s samples', () => {
    const runs = [0, 200, 500, 900, 999].map((offsetMs, index) => ({ name: `short-${index}`, startMs: 10_000 + index * 3000 + offsetMs, endMs: 11_500 + index * 3000 + offsetMs }));

    const runIds = play(1000, 30_000, runs);

    for (const runId of runIds) expect(latestMetrics(runId)[energyMetricKey]).toBeCloseTo(15, 2);
  });

  it('counts only the run time of a 10 s sample', () => {
    const [runId] = play(10_000, 30_000, [{ name: 'inside-one-window', startMs: 12_000, endMs: 15_000 }]);

    expect(latestMetrics(runId ?? '')[energyMetricKey]).toBeCloseTo(30, 2);
  });

  it('adds nothing after the end time', () => {
    const [runId] = play(1000, 5000, [{ name: 'ended', startMs: 1000, endMs: 2500 }]);

    expect(latestMetrics(runId ?? '')[energyMetricKey]).toBeCloseTo(15, 2);
    expect(logger.activeRunIds).toEqual([]);
  });
});
