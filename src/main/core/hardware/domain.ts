import path from 'node:path';

import { type MethodHandlers } from '../../../common/contract';
import { type hardwareMethods } from '../../../common/methods/hardware';
import { type MetricsRegistry } from '../api/metricsRegistry';
import { type EventBus } from '../eventBus';
import { type Logger } from '../logger';
import { type Db } from '../storage/database';
import { type Tracking } from '../tracking/tracking';
import { collectHardwareMetrics, createHardwareHandlers } from './handlers';
import { HardwareMonitor } from './hardwareMonitor';

/** Helper binary of this checkout: `native/build/hwhelper`, built by `npm install` (`make -C native`). */
export const defaultHelperPath = path.resolve(import.meta.dirname, '../../../../native/build/hwhelper');

/** Settings of the hardware domain; every field has a default. */
export interface HardwareSettings {
  /** Path of `hwhelper`; `MLOPS_HUB_HWHELPER` or the checkout's build when absent. */
  helperPath?: string;
  /** Time between samples, in milliseconds (100..60000, default 1000). */
  intervalMs?: number;
  /** Recorded trace to replay instead of sampling (`MLOPS_HUB_HW_REPLAY`). */
  replayFile?: string;
}

export interface HardwareDomainOptions {
  db: Db;
  log: Logger;
  events: EventBus;
  metrics: MetricsRegistry;
  tracking: Tracking;
  now: () => number;
  settings?: HardwareSettings;
  env?: NodeJS.ProcessEnv;
}

export interface HardwareDomain {
  monitor: HardwareMonitor;
  handlers: MethodHandlers<typeof hardwareMethods>;
  /** Starts sampling; only a serving hub calls it, so in-process CLI hubs read history without sampling. */
  start(): Promise<void>;
  close(): Promise<void>;
}

/** Builds the hardware monitor, its hub methods and its `/metrics` gauges. */
export function createHardwareDomain(options: HardwareDomainOptions): HardwareDomain {
  const env = options.env ?? process.env;
  const settings = options.settings ?? {};
  const monitor = new HardwareMonitor({
    db: options.db,
    log: options.log,
    events: options.events,
    tracking: options.tracking,
    now: options.now,
    helperPath: settings.helperPath ?? env['MLOPS_HUB_HWHELPER'] ?? defaultHelperPath,
    intervalMs: settings.intervalMs,
    replayFile: settings.replayFile ?? (env['MLOPS_HUB_HW_REPLAY'] || undefined),
  });
  const unregister = options.metrics.registerCollector(() => collectHardwareMetrics(monitor));

  return {
    monitor,
    handlers: createHardwareHandlers(monitor),
    start: () => monitor.start(),
    close: async () => {
      unregister();
      await monitor.stop();
    },
  };
}
