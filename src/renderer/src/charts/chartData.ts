import type { MetricPoint } from '../api';

/** One point as the chart draws it: x is the step, or seconds since the series' first point. */
export interface ChartPoint {
  x: number;
  y: number;
}

export interface ChartSeries {
  id: string;
  label: string;
  color: string;
  points: ChartPoint[];
}

/** Line colors, chosen to stay apart for the first eight runs of a comparison. */
export const seriesColors = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#ca8a04', '#db2777'];

/**
 * Turns stored points into chart points. Values that are not finite numbers
 * (the wire strings "NaN", "Infinity", "-Infinity") are left out, because a
 * line cannot draw them.
 */
export function toChartPoints(points: MetricPoint[], xAxis: 'step' | 'time'): ChartPoint[] {
  const firstTimestamp = points.length > 0 ? Math.min(...points.map((point) => point.timestamp)) : 0;
  const chartPoints: ChartPoint[] = [];

  for (const point of points) {
    const value: unknown = point.value;
    if (typeof value !== 'number' || !Number.isFinite(value)) continue;

    const x = xAxis === 'step' ? point.step : (point.timestamp - firstTimestamp) / 1000;
    chartPoints.push({ x, y: value });
  }

  return chartPoints;
}
