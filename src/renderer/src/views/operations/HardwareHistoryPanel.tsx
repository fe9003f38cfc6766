import { useEffect } from 'react';

import { TimeSeriesChart } from '../../charts/TimeSeriesChart';
import { ErrorNotice } from '../../components/ErrorNotice';
import { useHub } from '../../hooks';
import { hardwareRanges } from '../../store/hardwareSlice';
import {
  bytesToGb,
  formatThermalTick,
  historyMemoryQuantities,
  historyPowerQuantities,
  historyTemperatureQuantities,
  historyThermalQuantities,
  memorySeries,
  powerSeries,
  temperatureSeries,
  thermalSeries,
  thermalTicks,
  toHistoryRows,
} from './hardwareRows';

const emptyText = 'No history in this range yet. The hub stores one aggregate per minute while it runs; pick a shorter range or come back later.';

/** Per-minute history over a range the user picks: mean power, temperatures and memory, highest thermal pressure. */
export function HardwareHistoryPanel() {
  const history = useHub((state) => state.hardwareHistory);
  const rangeMs = useHub((state) => state.hardwareRangeMs);
  const error = useHub((state) => state.hardwareHistoryError);
  const setRange = useHub((state) => state.setHardwareRange);
  const loadHistory = useHub((state) => state.loadHardwareHistory);

  useEffect(() => {
    void loadHistory();
    // The hub adds one aggregate per minute, so the history reloads at that pace.
    const timer = setInterval(() => void loadHistory(), 60_000);

    return () => clearInterval(timer);
  }, [loadHistory]);

  return (
    <section data-testid="hardware-history">
      <div className="view-header">
        <h2>History</h2>
        <div className="segmented" role="group" aria-label="History range" data-testid="hardware-range">
          {hardwareRanges.map((range) => (
            <button key={range.rangeMs} type="button" className={range.rangeMs === rangeMs ? 'active' : ''} aria-pressed={range.rangeMs === rangeMs} onClick={() => void setRange(range.rangeMs)}>
              {range.label}
            </button>
          ))}
        </div>
        <span className="muted">{history.length} minutes</span>
      </div>
      {error ? <ErrorNotice error={error} onRetry={loadHistory} /> : null}
      <div className="chart-grid">
        <TimeSeriesChart title="Power, mean per minute" testId="history-power" rows={toHistoryRows(history, historyPowerQuantities)} series={powerSeries} formatValue={(watts) => `${watts.toFixed(1)} W`} emptyText={emptyText} />
        <TimeSeriesChart title="Temperature, mean per minute" testId="history-temperature" rows={toHistoryRows(history, historyTemperatureQuantities)} series={temperatureSeries} formatValue={(celsius) => `${celsius.toFixed(0)} °C`} integerTicks emptyText={emptyText} />
        <TimeSeriesChart title="Memory, mean per minute" testId="history-memory" rows={toHistoryRows(history, historyMemoryQuantities, 'mean', bytesToGb)} series={memorySeries.filter((item) => item.key !== 'cached')} formatValue={(gb) => `${gb.toFixed(1)} GiB`} emptyText={emptyText} />
        <TimeSeriesChart title="Thermal pressure, highest per minute" testId="history-thermal" rows={toHistoryRows(history, historyThermalQuantities, 'max')} series={thermalSeries} formatValue={formatThermalTick} curve="stepAfter" yDomain={[0, 4]} yTicks={thermalTicks} yAxisWidth={84} emptyText={emptyText} />
      </div>
    </section>
  );
}
