import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';

/** One row of a time series chart: `t` in milliseconds since the Unix epoch, then one value per series key. */
export type TimeRow = { t: number } & Record<string, number | null>;

export interface TimeSeries {
  key: string;
  label: string;
  color: string;
}

interface TimeSeriesChartProps {
  title: string;
  testId: string;
  rows: TimeRow[];
  series: TimeSeries[];
  /** Formats y values in ticks and the tooltip, with their unit. */
  formatValue(value: number): string;
  /** `stepAfter` for levels that hold until the next change. */
  curve?: 'linear' | 'stepAfter';
  yDomain?: [number, number];
  yTicks?: number[];
  /** Whole-number y ticks only, for units whose fractions would round to duplicate labels (°C). */
  integerTicks?: boolean;
  /** Room for the y tick labels, in pixels. */
  yAxisWidth?: number;
  /** Shown instead of the chart when no row has a value. */
  emptyText: string;
  height?: number;
}

/** Several series against clock time; gaps where a value is null. Data comes only through props. */
export function TimeSeriesChart({ title, testId, rows, series, formatValue, curve = 'linear', yDomain, yTicks, integerTicks = false, yAxisWidth = 72, emptyText, height = 200 }: TimeSeriesChartProps) {
  const hasValues = rows.some((row) => series.some((item) => typeof row[item.key] === 'number'));
  const spanMs = rows.length > 1 ? (rows.at(-1)?.t ?? 0) - (rows[0]?.t ?? 0) : 0;
  const formatTime = (ms: number) => formatTick(ms, spanMs);

  return (
    <figure className="chart-card" data-testid={testId} data-row-count={rows.length}>
      <figcaption className="strong">{title}</figcaption>
      {!hasValues ? (
        <p className="muted">{emptyText}</p>
      ) : (
        <ResponsiveContainer width="100%" height={height}>
          <LineChart data={rows} margin={{ top: 8, right: 16, bottom: 4, left: 0 }}>
            <CartesianGrid strokeDasharray="3 3" stroke="#e5e7eb" />
            <XAxis dataKey="t" type="number" scale="time" domain={['dataMin', 'dataMax']} tickFormatter={formatTime} minTickGap={40} />
            <YAxis type="number" width={yAxisWidth} domain={yDomain ?? ['auto', 'auto']} ticks={yTicks} allowDecimals={!integerTicks} tickFormatter={formatValue} />
            <Tooltip formatter={(value) => (typeof value === 'number' ? formatValue(value) : String(value))} labelFormatter={(label) => new Date(Number(label)).toLocaleString()} />
            {series.length > 1 ? <Legend /> : null}
            {series.map((item) => (
              <Line key={item.key} dataKey={item.key} name={item.label} type={curve} stroke={item.color} strokeWidth={2} dot={false} connectNulls={false} isAnimationActive={false} />
            ))}
          </LineChart>
        </ResponsiveContainer>
      )}
    </figure>
  );
}

/** Clock time for spans under a day, else month-day and hour. */
function formatTick(ms: number, spanMs: number): string {
  const date = new Date(ms);
  const pad = (value: number) => String(value).padStart(2, '0');
  if (spanMs < 86_400_000) return `${pad(date.getHours())}:${pad(date.getMinutes())}${spanMs < 600_000 ? `:${pad(date.getSeconds())}` : ''}`;

  return `${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}h`;
}
