import { InvalidArgumentError } from 'commander';

/** Creates a commander argument parser that accepts integers within [min, max]. */
export function parseIntegerOption(flag: string, min: number, max: number): (value: string) => number {
  return (value) => {
    const parsed = /^\d+$/.test(value) ? Number(value) : Number.NaN;
    if (!Number.isSafeInteger(parsed) || parsed < min || parsed > max) {
      throw new InvalidArgumentError(`\`${flag}\` must be an integer from ${min} to ${max}; got \`${value}\``);
    }

    return parsed;
  };
}

/** Formats milliseconds since the Unix epoch as local `YYYY-MM-DD HH:MM`, or `-` when absent. */
export function formatTime(ms: number | null | undefined): string {
  if (ms === null || ms === undefined || ms <= 0) return '-';

  const date = new Date(ms);
  const pad = (n: number): string => String(n).padStart(2, '0');

  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}`;
}

/** Lays out rows as columns separated by two spaces; the first row is the header. */
export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, index) => (widths[index] = Math.max(widths[index] ?? 0, cell.length)));

  return rows.map((row) => row.map((cell, index) => (index === row.length - 1 ? cell : cell.padEnd(widths[index] ?? 0))).join('  ')).join('\n');
}
