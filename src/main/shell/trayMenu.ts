import type { MenuItemConstructorOptions } from 'electron';

import { buildHardwareMenuItems, buildHardwareTitle, buildQueueTitle, buildTitleSettingMenu, defaultTrayTitleItems, type TrayHardware, type TrayTitleItem } from './trayHardware';
import { buildServiceMenuItems, type TrayService, type TrayServiceActions } from './trayServices';

/** A run as the tray lists it. */
export interface TrayRun {
  runId: string;
  /** MLflow run name; empty when the run has none. */
  runName: string;
  /** MLflow run status: RUNNING, SCHEDULED, FINISHED, FAILED or KILLED. */
  status: string;
}

/** Everything the tray shows. Domains add optional fields and a title part for them. */
export interface TrayState {
  /** Null until the first read, or when the last read of the hub failed. */
  activeRuns: number | null;
  /** Most recent runs first, at most `maxRecentRuns`. */
  recentRuns: TrayRun[];
  /** Reason the last read of the hub failed, shown in the status line; null when it worked. */
  error: string | null;
  /** Managed services; the menu has no Services section when absent or empty. */
  services?: TrayService[];
  /** Latest hardware sample; null or absent until the hub has one. */
  hardware?: TrayHardware | null;
  /** Lease requests waiting in the arbiter's queue; null or absent when unknown. */
  leaseQueueLength?: number | null;
}

export interface TrayActions extends TrayServiceActions {
  openDashboard(): void;
  openRun(runId: string): void;
  quit(): void;
  /** Changes what the title shows; the menu offers the choice only when this is given. */
  setTitleItems?(items: TrayTitleItem[]): void;
}

export const maxRecentRuns = 5;

/** One segment of the menu-bar title, or null to leave it out. */
export type TrayTitlePart = (state: TrayState) => string | null;

/** The count of active runs, left out when there are none. */
export const activeRunsTitlePart: TrayTitlePart = (state) => (state.activeRuns ? String(state.activeRuns) : null);

/** Builds the title segments for the selected items: active runs, then `62° 18W`, then `3 queued`. */
export function buildTitleParts(items: readonly TrayTitleItem[]): TrayTitlePart[] {
  const parts: TrayTitlePart[] = [];
  if (items.includes('runs')) parts.push(activeRunsTitlePart);
  if (items.includes('temperature') || items.includes('power')) parts.push((state) => buildHardwareTitle(state.hardware, items));
  if (items.includes('queue')) parts.push((state) => buildQueueTitle(state.leaseQueueLength));

  return parts;
}

/** Title segments, left to right, with every item selected. */
export const trayTitleParts: readonly TrayTitlePart[] = buildTitleParts(defaultTrayTitleItems);

/** Builds the text shown beside the tray icon; empty when no part has anything to show. */
export function buildTrayTitle(state: TrayState, parts: readonly TrayTitlePart[] = trayTitleParts): string {
  return parts
    .map((part) => part(state))
    .filter((text): text is string => text !== null && text !== '')
    .join('  ');
}

/** Builds the tray menu: status line, memory and thermal pressure, recent runs, services, open dashboard, title choice, quit. */
export function buildTrayMenuTemplate(state: TrayState, actions: TrayActions, titleItems: readonly TrayTitleItem[] = defaultTrayTitleItems): MenuItemConstructorOptions[] {
  const runItems: MenuItemConstructorOptions[] =
    state.recentRuns.length === 0
      ? [{ label: 'No runs yet', enabled: false }]
      : state.recentRuns.slice(0, maxRecentRuns).map((run) => ({
          label: `${statusSymbol(run.status)} ${run.runName || run.runId.slice(0, 8)}: ${run.status.toLowerCase()}`,
          click: () => actions.openRun(run.runId),
        }));

  return [
    { label: buildStatusLine(state), enabled: false },
    ...buildHardwareMenuItems(state.hardware, state.leaseQueueLength),
    { type: 'separator' },
    { label: 'Recent Runs', enabled: false },
    ...runItems,
    ...buildServiceMenuItems(state.services ?? [], actions),
    { type: 'separator' },
    { label: 'Open Dashboard', click: () => actions.openDashboard() },
    ...(actions.setTitleItems ? [buildTitleSettingMenu(titleItems, (items) => actions.setTitleItems?.(items))] : []),
    { type: 'separator' },
    { label: 'Quit MLOps Hub', click: () => actions.quit() },
  ];
}

export function buildStatusLine(state: TrayState): string {
  if (state.error !== null) return `Hub error: ${state.error}`;
  if (state.activeRuns === null) return 'Hub starting…';
  if (state.activeRuns === 0) return 'Hub running: no active runs';

  return `Hub running: ${state.activeRuns} active ${state.activeRuns === 1 ? 'run' : 'runs'}`;
}

/** Text marker of a run status, readable in a menu without colours. */
function statusSymbol(status: string): string {
  switch (status) {
    case 'RUNNING':
      return '▶';
    case 'SCHEDULED':
      return '…';
    case 'FINISHED':
      return '✓';
    case 'FAILED':
      return '✗';
    case 'KILLED':
      return '■';
    default:
      return '•';
  }
}
