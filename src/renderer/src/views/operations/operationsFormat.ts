import { formatDuration } from '../../format';

const bytesPerGb = 2 ** 30;

/** Bytes in GiB (2^30 bytes, the unit of leases and of the CLI): `12.4 GiB`; a dash when unknown. */
export function formatGigabytes(bytes: number | null | undefined): string {
  if (bytes == null) return '–';

  const gigabytes = bytes / bytesPerGb;

  return `${gigabytes.toFixed(1)} GiB`;
}

/** Bytes in MiB or GiB, for process memory: `84 MiB`, `1.3 GiB`. */
export function formatMemory(bytes: number | null | undefined): string {
  if (bytes == null) return '–';
  if (bytes < bytesPerGb) return `${Math.round(bytes / 2 ** 20)} MiB`;

  return formatGigabytes(bytes);
}

/** CPU use in cores as percent of one core, as `top` shows it: `0.25` cores is `25 %`. */
export function formatCpuCores(cores: number | null | undefined): string {
  if (cores == null) return '–';

  return `${(cores * 100).toFixed(cores < 0.1 ? 1 : 0)} %`;
}

export function formatWatts(watts: number | null | undefined): string {
  return watts == null ? '–' : `${watts.toFixed(1)} W`;
}

export function formatCelsius(celsius: number | null | undefined): string {
  return celsius == null ? '–' : `${Math.round(celsius)} °C`;
}

/** Formats a ratio from 0 to 1 as a whole percent. */
export function formatRatio(ratio: number | null | undefined): string {
  return ratio == null ? '–' : `${Math.round(ratio * 100)} %`;
}

/** Time since `startedAt` (milliseconds since the Unix epoch); a dash when nothing runs. */
export function formatUptime(startedAt: number | null, nowMs: number): string {
  return startedAt === null ? '–' : formatDuration(Math.max(0, nowMs - startedAt));
}

/** Clock time of an epoch-millisecond value, `14:03:27`. */
export function formatClock(ms: number): string {
  return new Date(ms).toTimeString().slice(0, 8);
}
