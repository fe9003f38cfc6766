import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

import { formatMetric } from '../format';
import type { ChartSeries } from './chartData';

interface MetricChartProps {
  metricKey: string;
  series: ChartSeries[];
  xAxis: 'step' | 'time';
  /** Note under the title, for example that the hub downsampled the history. */
  note?: string;
}

/** Points above which dots are hidden, because they would cover the line. */
const maxDottedPoints = 60;

/** Draws one metric's curves, one line per run, against step or elapsed time. */
export function MetricChart({ metricKey, series, xAxis, note }: MetricChartProps) {
  const pointCount = series.reduce((sum, item) => sum + item.points.length, 0);

  return (
    <figure className="chart-card" data-testid="metric-chart" data-metric-key={metricKey} data-series-count={series.length} data-point-count={pointCount} data-x-axis={xAxis}>
      <figcaption>
        <span className="strong">{metricKey}</span>
        {note ? <span className="muted"> · {note}</span> : null}
      </figcaption>
      {pointCount === 0 ? (
        <p className="muted">No finite values logged for this metric yet.</p>
      ) : (
        <ResponsiveContainer width="100%" height={240}>
          <LineChart margin={{ top: 8, right: 16, bottom: 8, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis
              dataKey="x"
              type="number"
              domain={['dataMin', 'dataMax']}
              allowDuplicatedCategory={false}
              tickFormatter={(value: number) => formatMetric(value)}
              label={{ value: xAxis === 'step' ? 'step' : 'seconds', position: 'insideBottomRight', offset: -4 }}
            />
            <YAxis dataKey="y" type="number" domain={['auto', 'auto']} width={64} tickFormatter={(value: number) => formatMetric(value)} />
            <Tooltip formatter={(value) => (typeof value === 'number' ? formatMetric(value) : String(value))} labelFormatter={(label) => `${xAxis === 'step' ? 'step' : 's'} ${String(label)}`} />
            {series.length > 1 ? <Legend /> : null}
            {series.map((item) => (
              <Line
                key={item.id}
                data={item.points}
                dataKey="y"
                name={item.label}
                type="linear"
                stroke={item.color}
                strokeWidth={2}
                dot={item.points.length <= maxDottedPoints ? { r: 2 } : false}
                isAnimationActive={false}
                className={`series-${item.id}`}
              />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}
