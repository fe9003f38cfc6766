import os from 'node:os';

/** One line of the results table. */
export interface BenchRow {
  benchmark: string;
  /** Measured value with its unit, for example `182,000 points/s`. */
  result: string;
  /** Target with its unit, or `-` when the row is for reference only. */
  target: string;
  status: 'met' | 'missed' | 'reference';
  /** Method used to take the figure, in a few words. */
  note: string;
}

/** Default export of a `bench/*.bench.ts` file: a title and a function that measures and returns rows. */
export interface BenchModule {
  title: string;
  run(): Promise<BenchRow[]>;
}

export interface MachineInfo {
  cpu: string;
  cores: number;
  memoryGiB: number;
  node: string;
  platform: string;
}

export function readMachineInfo(): MachineInfo {
  return {
    cpu: os.cpus()[0]?.model.trim() ?? 'unknown',
    cores: os.availableParallelism(),
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  };
}

/** Renders rows as a Markdown table. */
export function formatTable(rows: readonly BenchRow[]): string {
  const lines = ['| benchmark | result | target | status | how |', '| --- | --- | --- | --- | --- |'];
  for (const row of rows) lines.push(`| ${row.benchmark} | ${row.result} | ${row.target} | ${row.status} | ${row.note} |`);

  return lines.join('\n');
}

export function formatNumber(value: number, fractionDigits = 0): string {
  return value.toLocaleString('en-US', { maximumFractionDigits: fractionDigits, minimumFractionDigits: fractionDigits });
}

/** Median of a list of numbers; the input is not changed. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);

  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/** Runs `work` `repeats` times after one warm-up call and returns each duration in milliseconds. */
export function timeRepeated(work: () => void, repeats: number): number[] {
  work();
  const durations: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const start = process.hrtime.bigint();
    work();
    durations.push(Number(process.hrtime.bigint() - start) / 1e6);
  }

  return durations;
}
