/** One sample of a metric family: label values and the value. */
export interface MetricSample {
  labels?: Record<string, string>;
  value: number;
}

/** A Prometheus metric family in text exposition format 0.0.4. */
export interface MetricFamily {
  name: string;
  help: string;
  type: 'gauge' | 'counter';
  samples: MetricSample[];
}

export type MetricCollector = () => MetricFamily[];

const metricNamePattern = /^[a-zA-Z_:][a-zA-Z0-9_:]*$/;

/** Collectors that domains register; `/metrics` renders them on each scrape. */
export class MetricsRegistry {
  private readonly collectors = new Set<MetricCollector>();

  /** Adds a collector; the returned function removes it. */
  registerCollector(collector: MetricCollector): () => void {
    this.collectors.add(collector);

    return () => {
      this.collectors.delete(collector);
    };
  }

  /** Runs every collector; a collector that throws is skipped and reported through `onError`. */
  collect(onError: (error: unknown) => void): MetricFamily[] {
    const families: MetricFamily[] = [];
    for (const collector of this.collectors) {
      try {
        families.push(...collector());
      } catch (error) {
        onError(error);
      }
    }

    return families;
  }
}

/** Renders metric families as Prometheus text exposition (`text/plain; version=0.0.4`). */
export function renderExposition(families: readonly MetricFamily[]): string {
  const lines: string[] = [];
  for (const family of families) {
    if (!metricNamePattern.test(family.name)) continue;

    lines.push(`# HELP ${family.name} ${escapeHelp(family.help)}`);
    lines.push(`# TYPE ${family.name} ${family.type}`);
    for (const sample of family.samples) lines.push(`${family.name}${renderLabels(sample.labels)} ${renderValue(sample.value)}`);
  }

  return `${lines.join('\n')}\n`;
}

function renderLabels(labels: Record<string, string> | undefined): string {
  const entries = Object.entries(labels ?? {});
  if (entries.length === 0) return '';

  return `{${entries.map(([key, value]) => `${key}="${escapeLabelValue(value)}"`).join(',')}}`;
}

function renderValue(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Infinity) return '+Inf';
  if (value === -Infinity) return '-Inf';

  return String(value);
}

function escapeHelp(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n');
}

function escapeLabelValue(text: string): string {
  return text.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
}
