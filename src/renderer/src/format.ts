/** Display helpers. Times are milliseconds since the Unix epoch, durations milliseconds. */

/** Formats a size in bytes with binary units: `512 B`, `1.5 KiB`, `2.0 GiB`. */
export function formatBytes(bytes: number | undefined): string {
  if (bytes === undefined) return '';
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }

  return unit === 0 ? `${value} B` : `${value.toFixed(1)} ${units[unit]}`;
}

export function formatDateTime(ms: number | null | undefined): string {
  if (ms == null) return '–';

  const date = new Date(ms);
  const pad = (value: number) => String(value).padStart(2, '0');

  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

/** `1h 02m`, `3m 05s`, `12.3s`; a dash when the run has not ended. */
export function formatDuration(ms: number | null | undefined): string {
  if (ms == null || ms < 0) return '–';
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;

  const totalSeconds = Math.round(ms / 1000);
  const hours = Math.floor(totalSeconds / 3600);
  const minutes = Math.floor((totalSeconds % 3600) / 60);
  const seconds = totalSeconds % 60;

  return hours > 0 ? `${hours}h ${String(minutes).padStart(2, '0')}m` : `${minutes}m ${String(seconds).padStart(2, '0')}s`;
}

/** Age relative to `nowMs`: `just now`, `5 min ago`, `3 h ago`, else the date. */
export function formatAge(ms: number | null | undefined, nowMs: number): string {
  if (ms == null) return 'never';

  const ageMs = nowMs - ms;
  if (ageMs < 60_000) return 'just now';
  if (ageMs < 3_600_000) return `${Math.floor(ageMs / 60_000)} min ago`;
  if (ageMs < 86_400_000) return `${Math.floor(ageMs / 3_600_000)} h ago`;

  return formatDateTime(ms).slice(0, 10);
}

/**
 * Formats a metric value with up to 4 significant decimals, as a plain number that tests and
 * users can read back. The strings "NaN", "Infinity" and "-Infinity" pass through.
 */
export function formatMetric(value: number | string | undefined): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  if (Number.isInteger(value)) return String(value);
  if (Math.abs(value) >= 1e6 || Math.abs(value) < 1e-4) return value.toExponential(3);

  return String(Number(value.toFixed(4)));
}
