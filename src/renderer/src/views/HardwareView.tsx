import { useEffect } from 'react';

import { TimeSeriesChart } from '../charts/TimeSeriesChart';
import { EmptyState } from '../components/EmptyState';
import { ErrorNotice } from '../components/ErrorNotice';
import { useHub } from '../hooks';
import { HardwareHistoryPanel } from './operations/HardwareHistoryPanel';
import { HardwareInfoPanel } from './operations/HardwareInfoPanel';
import {
  formatThermalTick,
  memorySeries,
  powerSeries,
  temperatureSeries,
  thermalSeries,
  thermalTicks,
  toMemoryRows,
  toPowerRows,
  toTemperatureRows,
  toThermalRows,
  toUsageRows,
  usageSeries,
} from './operations/hardwareRows';
import './operations/operations.css';

const noPower = 'No power readings: this machine does not report them. On Linux, power needs a readable powercap (RAPL) zone.';
const noTemperature = 'No temperature readings: this machine does not report them. On Linux, temperature needs a thermal zone or an hwmon sensor.';

/** Shows the chip, live charts from `hardware:live` plus pushed samples, and the per-minute history. */
export function HardwareView() {
  const status = useHub((state) => state.hardwareStatus);
  const loadState = useHub((state) => state.hardwareState);
  const error = useHub((state) => state.hardwareError);
  const samples = useHub((state) => state.liveSamples);
  const timeline = useHub((state) => state.thermalTimeline);
  const loadHardware = useHub((state) => state.loadHardware);
  const lastSampleMs = samples.at(-1)?.timestampMs ?? 0;

  useEffect(() => {
    void loadHardware();
  }, [loadHardware]);

  return (
    <section className="view" data-testid="hardware-view">
      <h1>Hardware</h1>
      {error ? <ErrorNotice error={error} onRetry={loadHardware} /> : null}
      {status?.notice ? (
        <p className="notice" role="status" data-testid="hardware-notice">
          {status.notice}
        </p>
      ) : null}
      {status ? <HardwareInfoPanel status={status} /> : null}
      {loadState === 'ready' && samples.length === 0 ? (
        <EmptyState title="No samples yet.">The hub takes its first sample within a few seconds of starting; this page updates by itself. If it stays empty, check the notice above or the hub log.</EmptyState>
      ) : null}
      {samples.length > 0 ? (
        <>
          <h2>Live</h2>
          <div className="chart-grid" data-testid="hardware-live" data-sample-count={samples.length}>
            <TimeSeriesChart title="Power" testId="live-power" rows={toPowerRows(samples)} series={powerSeries} formatValue={(watts) => `${watts.toFixed(1)} W`} emptyText={noPower} />
            <TimeSeriesChart title="Temperature" testId="live-temperature" rows={toTemperatureRows(samples)} series={temperatureSeries} formatValue={(celsius) => `${celsius.toFixed(0)} °C`} integerTicks emptyText={noTemperature} />
            <TimeSeriesChart title="CPU and GPU use" testId="live-usage" rows={toUsageRows(samples)} series={usageSeries} formatValue={(ratio) => `${Math.round(ratio * 100)} %`} yDomain={[0, 1]} emptyText="No usage readings." />
            <TimeSeriesChart title="Memory" testId="live-memory" rows={toMemoryRows(samples)} series={memorySeries} formatValue={(gb) => `${gb.toFixed(1)} GiB`} emptyText="No memory readings." />
            <TimeSeriesChart title="Thermal pressure" testId="live-thermal" rows={toThermalRows(timeline, lastSampleMs)} series={thermalSeries} formatValue={formatThermalTick} curve="stepAfter" yDomain={[0, 4]} yTicks={thermalTicks} yAxisWidth={84} emptyText="The OS reports no thermal pressure level here (macOS only)." />
          </div>
        </>
      ) : null}
      {loadState === 'ready' ? <HardwareHistoryPanel /> : null}
    </section>
  );
}
