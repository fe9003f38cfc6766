import type { MenuItemConstructorOptions } from 'electron';

import type { Logger } from '../core/logger';
import { shellCallContext, type ShellHub } from './shellHub';

/** The latest hardware sample, reduced to what the tray shows. Every value is null when the machine does not report it. */
export interface TrayHardware {
  /** CPU temperature, else GPU temperature, in degrees Celsius. */
  temperatureCelsius: number | null;
  /** CPU + GPU + Neural Engine power in watts, summed over the units that report one. */
  packagePowerWatts: number | null;
  memoryUsedBytes: number | null;
  memoryTotalBytes: number | null;
  /** `normal`, `warning` or `critical`. */
  memoryPressure: string | null;
  /** `nominal`, `moderate`, `heavy`, `trapping` or `sleeping`. */
  thermalPressure: string | null;
}

/** Items the menu-bar title can show, in title order. */
export const trayTitleItems = ['runs', 'temperature', 'power', 'queue'] as const;
export type TrayTitleItem = (typeof trayTitleItems)[number];

/** Items shown by default: all of them. */
export const defaultTrayTitleItems: readonly TrayTitleItem[] = trayTitleItems;

/**
 * Parses the title setting, a comma-separated list such as `temperature,power`
 * (from `MLOPS_HUB_TRAY_TITLE`). An empty or missing value means the default;
 * `none` shows the icon alone. Throws on an unknown item, naming it and the valid ones.
 */
export function parseTrayTitleSetting(text: string | undefined): TrayTitleItem[] {
  const trimmed = text?.trim() ?? '';
  if (trimmed === '') return [...defaultTrayTitleItems];
  if (trimmed === 'none') return [];

  const items = trimmed.split(',').map((item) => item.trim());
  const unknown = items.find((item) => !(trayTitleItems as readonly string[]).includes(item));
  if (unknown !== undefined) throw new Error(`Invalid tray title item \`${unknown}\`: use a comma-separated list of ${trayTitleItems.join(', ')}, or none.`);

  return trayTitleItems.filter((item) => items.includes(item));
}

/** Reads `MLOPS_HUB_TRAY_TITLE` from `env`; an invalid value is logged and the default applies. */
export function readTrayTitleSetting(env: NodeJS.ProcessEnv, log: Logger): TrayTitleItem[] {
  try {
    return parseTrayTitleSetting(env['MLOPS_HUB_TRAY_TITLE']);
  } catch (error) {
    log.warn(`readTrayTitleSetting(): ${error instanceof Error ? error.message : String(error)} Showing ${defaultTrayTitleItems.join(',')}.`);

    return [...defaultTrayTitleItems];
  }
}

/** `62° 18W`, `62°` or `18W` as `items` select; null when the selected values are unknown. */
export function buildHardwareTitle(hardware: TrayHardware | null | undefined, items: readonly TrayTitleItem[]): string | null {
  if (!hardware) return null;

  const parts = [
    items.includes('temperature') && hardware.temperatureCelsius !== null ? `${Math.round(hardware.temperatureCelsius)}°` : null,
    items.includes('power') && hardware.packagePowerWatts !== null ? `${Math.round(hardware.packagePowerWatts)}W` : null,
  ].filter((part): part is string => part !== null);

  return parts.length === 0 ? null : parts.join(' ');
}

/** `3 queued` while lease requests wait; null when none does. */
export function buildQueueTitle(queueLength: number | null | undefined): string | null {
  return queueLength ? `${queueLength} queued` : null;
}

/** Menu lines for memory, thermal pressure and waiting leases; nothing for values the hub has not reported. */
export function buildHardwareMenuItems(hardware: TrayHardware | null | undefined, queueLength: number | null | undefined): MenuItemConstructorOptions[] {
  const lines: string[] = [];
  if (hardware?.memoryUsedBytes != null) {
    const total = hardware.memoryTotalBytes === null ? '' : ` of ${formatGigabytes(hardware.memoryTotalBytes)}`;
    const pressure = hardware.memoryPressure === null ? '' : `, pressure ${hardware.memoryPressure}`;
    lines.push(`Memory: ${formatGigabytes(hardware.memoryUsedBytes)}${total} used${pressure}`);
  }
  if (hardware?.thermalPressure != null) lines.push(`Thermal pressure: ${hardware.thermalPressure}`);
  if (queueLength) lines.push(`Leases: ${queueLength} ${queueLength === 1 ? 'request' : 'requests'} waiting`);
  if (lines.length === 0) return [];

  return [{ type: 'separator' }, ...lines.map((label) => ({ label, enabled: false }))];
}

/** Checkbox items that choose what the title shows; `onChange` gets the new selection in title order. */
export function buildTitleSettingMenu(items: readonly TrayTitleItem[], onChange: (items: TrayTitleItem[]) => void): MenuItemConstructorOptions {
  const labels: Record<TrayTitleItem, string> = { runs: 'Active Runs', temperature: 'Temperature', power: 'Package Power', queue: 'Lease Queue' };

  return {
    label: 'Show in Menu Bar',
    submenu: trayTitleItems.map((item) => ({
      label: labels[item],
      type: 'checkbox',
      checked: items.includes(item),
      click: () => onChange(items.includes(item) ? items.filter((selected) => selected !== item) : trayTitleItems.filter((candidate) => candidate === item || items.includes(candidate))),
    })),
  };
}

/** Reduces a `hardware:didSample` payload or `hardware:info`'s `latest` to the tray's fields; null when it is not a sample. */
export function readTrayHardware(sample: unknown): TrayHardware | null {
  if (typeof sample !== 'object' || sample === null || typeof (sample as { timestampMs?: unknown }).timestampMs !== 'number') return null;

  const fields = sample as Record<string, unknown>;
  const number = (key: string) => (typeof fields[key] === 'number' && Number.isFinite(fields[key]) ? (fields[key] as number) : null);
  const text = (key: string) => (typeof fields[key] === 'string' ? (fields[key] as string) : null);
  const powers = [number('cpuPowerWatts'), number('gpuPowerWatts'), number('anePowerWatts')].filter((watts): watts is number => watts !== null);

  return {
    temperatureCelsius: number('cpuTempCelsius') ?? number('gpuTempCelsius'),
    packagePowerWatts: powers.length === 0 ? null : powers.reduce((sum, watts) => sum + watts, 0),
    memoryUsedBytes: number('memoryUsedBytes'),
    memoryTotalBytes: number('memoryTotalBytes'),
    memoryPressure: text('memoryPressure'),
    thermalPressure: text('thermalPressure'),
  };
}

/** Reads the latest sample and the lease queue length; a failed read is logged and leaves that value null. */
export async function readTrayOperations(hub: ShellHub, log: Logger): Promise<{ hardware: TrayHardware | null; leaseQueueLength: number | null }> {
  let hardware: TrayHardware | null = null;
  try {
    const status = await hub.call('hardware:info', {}, shellCallContext);
    hardware = readTrayHardware((status as { latest?: unknown } | null)?.latest);
  } catch (error) {
    log.error('readTrayOperations(): hardware:info failed', error);
  }

  let leaseQueueLength: number | null = null;
  try {
    const overview = await hub.call('leases:list', {}, shellCallContext);
    const length = (overview as { queueLength?: unknown } | null)?.queueLength;
    leaseQueueLength = typeof length === 'number' ? length : null;
  } catch (error) {
    log.error('readTrayOperations(): leases:list failed', error);
  }

  return { hardware, leaseQueueLength };
}

/** GB of 2^30 bytes with one decimal: `12.4 GB`. */
function formatGigabytes(bytes: number): string {
  return `${(bytes / 2 ** 30).toFixed(1)} GB`;
}
