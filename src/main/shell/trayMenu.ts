import type { MenuItemConstructorOptions } from 'electron';

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
}

export interface TrayActions extends TrayServiceActions {
  openDashboard(): void;
  openRun(runId: string): void;
  quit(): void;
}

export const maxRecentRuns = 5;

/** One segment of the menu-bar title, or null to leave it out. */
export type TrayTitlePart = (state: TrayState) => string | null;

/** The count of active runs, left out when there are none. */
export const activeRunsTitlePart: TrayTitlePart = (state) => (state.activeRuns ? String(state.activeRuns) : null);

/** Title segments, left to right. Later segments (temperature, power, queue length) are appended here. */
export const trayTitleParts: readonly TrayTitlePart[] = [activeRunsTitlePart];

/** Builds the text shown beside the tray icon; empty when no part has anything to show. */
export function buildTrayTitle(state: TrayState, parts: readonly TrayTitlePart[] = trayTitleParts): string {
  return parts
    .map((part) => part(state))
    .filter((text): text is string => text !== null && text !== '')
    .join('  ');
}

/** Builds the tray menu: status line, recent runs, open dashboard, quit. */
export function buildTrayMenuTemplate(state: TrayState, actions: TrayActions): MenuItemConstructorOptions[] {
  const runItems: MenuItemConstructorOptions[] =
    state.recentRuns.length === 0
      ? [{ label: 'No runs yet', enabled: false }]
      : state.recentRuns.slice(0, maxRecentRuns).map((run) => ({
          label: `${statusSymbol(run.status)} ${run.runName || run.runId.slice(0, 8)}: ${run.status.toLowerCase()}`,
          click: () => actions.openRun(run.runId),
        }));

  return [
    { label: buildStatusLine(state), enabled: false },
    { type: 'separator' },
    { label: 'Recent Runs', enabled: false },
    ...runItems,
    ...buildServiceMenuItems(state.services ?? [], actions),
    { type: 'separator' },
    { label: 'Open Dashboard', click: () => actions.openDashboard() },
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
