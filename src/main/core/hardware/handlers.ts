import { type MethodHandlers } from '../../../common/contract';
import { type hardwareMethods } from '../../../common/methods/hardware';
import { type MetricFamily } from '../api/metricsRegistry';
import { type HardwareMonitor } from './hardwareMonitor';
import { packagePowerWatts } from './runMetrics';

export function createHardwareHandlers(monitor: HardwareMonitor): MethodHandlers<typeof hardwareMethods> {
  return {
    'hardware:info': () => monitor.status(),
    'hardware:live': (input) => monitor.live(input.count),
    'hardware:history': (input) => monitor.historyBetween(input.fromMs, input.toMs),
  };
}

/** Prometheus gauges of the latest sample; a quantity the machine cannot provide is left out, not reported as 0. */
export function collectHardwareMetrics(monitor: HardwareMonitor): MetricFamily[] {
  const status = monitor.status();
  const sample = status.latest;
  const families: MetricFamily[] = [
    { name: 'hub_hardware_helper_bad_lines_total', help: 'Helper output lines that were not valid samples.', type: 'counter', samples: [{ value: status.badLines }] },
    { name: 'hub_hardware_helper_restarts_total', help: 'Restarts of the hardware helper after it exited.', type: 'counter', samples: [{ value: status.restarts }] },
    { name: 'hub_hardware_throttled', help: 'Throttling detected (1) or not (0); the signal label names the reading that showed it.', type: 'gauge', samples: [{ labels: { signal: status.throttle.signal ?? 'none' }, value: status.throttle.throttled ? 1 : 0 }] },
  ];
  if (!sample) return families;

  const gauge = (name: string, help: string, value: number | null, labels?: Record<string, string>): void => {
    if (value !== null && Number.isFinite(value)) families.push({ name, help, type: 'gauge', samples: [{ labels, value }] });
  };
  gauge('hub_hardware_cpu_usage_ratio', 'CPU busy share of all cores, 0..1.', sample.cpuUsageRatio);
  gauge('hub_hardware_cpu_power_watts', 'CPU power in watts.', sample.cpuPowerWatts);
  gauge('hub_hardware_gpu_power_watts', 'GPU power in watts.', sample.gpuPowerWatts);
  gauge('hub_hardware_ane_power_watts', 'Neural Engine power in watts.', sample.anePowerWatts);
  gauge('hub_hardware_package_power_watts', 'CPU + GPU + Neural Engine power in watts.', packagePowerWatts(sample));
  gauge('hub_hardware_gpu_active_ratio', 'GPU active residency, 0..1.', sample.gpuActiveRatio);
  gauge('hub_hardware_gpu_frequency_megahertz', 'GPU average active frequency in MHz.', sample.gpuFreqMhz);
  gauge('hub_hardware_cpu_temperature_celsius', 'CPU temperature in degrees Celsius.', sample.cpuTempCelsius);
  gauge('hub_hardware_gpu_temperature_celsius', 'GPU temperature in degrees Celsius.', sample.gpuTempCelsius);
  gauge('hub_hardware_memory_used_bytes', 'Memory in use, in bytes.', sample.memoryUsedBytes);
  gauge('hub_hardware_memory_total_bytes', 'Installed memory, in bytes.', sample.memoryTotalBytes);
  gauge('hub_hardware_swap_used_bytes', 'Swap in use, in bytes.', sample.swapUsedBytes);
  if (sample.thermalPressure !== null) gauge('hub_hardware_thermal_pressure', 'Thermal pressure level (label) as 1.', 1, { level: sample.thermalPressure });
  for (const cluster of sample.cpuClusters) {
    gauge('hub_hardware_cluster_usage_ratio', 'Busy share of one CPU cluster, 0..1.', cluster.usageRatio, { cluster: cluster.name });
  }

  return mergeFamilies(families);
}

/** Merges families of the same name, since the exposition format allows one HELP/TYPE block per name. */
function mergeFamilies(families: MetricFamily[]): MetricFamily[] {
  const byName = new Map<string, MetricFamily>();
  for (const family of families) {
    const existing = byName.get(family.name);
    if (existing) existing.samples.push(...family.samples);
    else byName.set(family.name, { ...family, samples: [...family.samples] });
  }

  return [...byName.values()];
}
