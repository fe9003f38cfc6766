import type { HardwareStatus } from '../../../../common/methods/hardware';
import { formatCelsius, formatGigabytes, formatRatio, formatWatts } from './operationsFormat';

const sourceLabels: Record<HardwareStatus['source'], string> = {
  helper: 'native helper',
  node: 'fallback sampler (Node.js os module)',
  replay: 'replayed trace',
  powermetrics: 'powermetrics output',
};

/** Shows the chip, the sample source and the latest reading, one line each. Values the machine cannot provide show a dash. */
export function HardwareInfoPanel({ status }: { status: HardwareStatus }) {
  const { info, latest } = status;
  const cores = info ? [info.performanceCores && `${info.performanceCores}P`, info.efficiencyCores && `${info.efficiencyCores}E`].filter(Boolean).join(' + ') : '';
  const packageWatts = latest ? sumKnown([latest.cpuPowerWatts, latest.gpuPowerWatts, latest.anePowerWatts]) : null;

  return (
    <dl className="fact-grid" data-testid="hardware-info">
      <dt>Chip</dt>
      <dd data-testid="hardware-chip">{info?.chip ?? info?.model ?? 'unknown'}</dd>
      <dt>Cores</dt>
      <dd>{cores || '–'}{info?.gpuCores ? `, ${info.gpuCores}-core GPU` : ''}{info?.neuralEngine ? ', Neural Engine' : ''}</dd>
      <dt>Memory</dt>
      <dd>{formatGigabytes(info?.memoryBytes)}</dd>
      <dt>System</dt>
      <dd>{[info?.osName, info?.osVersion].filter(Boolean).join(' ') || '–'}</dd>
      <dt>Source</dt>
      <dd data-testid="hardware-source">
        {status.sampling ? `${sourceLabels[status.source]}${status.sourceDetail ? ` (${status.sourceDetail})` : ''}, every ${status.intervalMs} ms` : 'not sampling: the hub has not started its sampler'}
      </dd>
      <dt>Now</dt>
      <dd data-testid="hardware-latest">
        {latest
          ? `CPU ${formatRatio(latest.cpuUsageRatio)} · package ${formatWatts(packageWatts)} · CPU ${formatCelsius(latest.cpuTempCelsius)} · thermal pressure ${latest.thermalPressure ?? 'unknown'}`
          : 'no sample yet'}
      </dd>
      {status.throttle.throttled ? (
        <>
          <dt>Throttling</dt>
          <dd className="warning-text">{status.throttle.detail ?? 'The chip is throttling.'}</dd>
        </>
      ) : null}
    </dl>
  );
}

/** Sum of the values that are known; null when none is. */
export function sumKnown(values: readonly (number | null)[]): number | null {
  const known = values.filter((value): value is number => value !== null);

  return known.length === 0 ? null : known.reduce((sum, value) => sum + value, 0);
}
