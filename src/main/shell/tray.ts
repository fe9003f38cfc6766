import { Menu, nativeImage, Tray } from 'electron';

import { type HubEventType } from '../../common/events';
import { type Logger } from '../core/logger';
import { shellCallContext, type ShellHub } from './shellHub';
import { createThrottle, type Throttle } from './throttle';
import { buildTrayMenuTemplate, buildTrayTitle, maxRecentRuns, type TrayActions, type TrayRun, type TrayState } from './trayMenu';
import { readTrayServices } from './trayServices';

/** Hub events after which the tray reads the hub again. */
export const trayRefreshEvents: ReadonlySet<HubEventType> = new Set<HubEventType>(['runs:didChange', 'projects:didChange', 'experiments:didChange', 'services:didChange']);

/** Minimum time between two tray rebuilds, in milliseconds; metric-heavy runs emit many events per second. */
export const trayRefreshIntervalMs = 1000;

export interface TrayControllerOptions {
  hub: ShellHub;
  actions: TrayActions;
  /** Path of `trayTemplate.png`; Electron picks `trayTemplate@2x.png` beside it on Retina screens. */
  iconFile: string;
  log: Logger;
  platform?: NodeJS.Platform;
}

/**
 * The menu-bar icon. Its title and menu are rebuilt from the hub after
 * relevant events, at most once per `trayRefreshIntervalMs`.
 */
export class TrayController {
  /** Held here for the app's lifetime: a Tray that only a local variable references is garbage collected and vanishes. */
  private tray: Tray | null = null;
  private menu: Menu | null = null;
  private state: TrayState = { activeRuns: null, recentRuns: [], error: null };
  private readonly throttle: Throttle;
  private stopListening: (() => void) | null = null;
  private refreshing: Promise<void> = Promise.resolve();

  constructor(private readonly options: TrayControllerOptions) {
    this.throttle = createThrottle(() => void this.refresh(), trayRefreshIntervalMs);
  }

  start(): void {
    const { hub, iconFile, actions, log } = this.options;

    const image = nativeImage.createFromPath(iconFile);
    if (image.isEmpty()) log.warn(`start(): tray icon not found or unreadable file=${iconFile}`);
    image.setTemplateImage(true);
    const tray = new Tray(image);
    tray.setToolTip('MLOps Hub');
    this.tray = tray;

    // macOS menu-bar convention: a click opens the menu. The menu is popped up
    // on demand instead of set permanently, because with a permanent context
    // menu some Electron versions emit no click event on macOS.
    tray.on('click', () => this.popUpMenu());
    tray.on('right-click', () => this.popUpMenu());
    tray.on('double-click', () => actions.openDashboard());

    this.stopListening = hub.events.onDidEmit((event) => {
      if (trayRefreshEvents.has(event.type)) this.throttle.request();
    });
    this.apply();
    this.throttle.request();
    log.info('start(): tray created');
  }

  /** Reads the hub and redraws title and menu; resolves when done. Failures show in the status line. */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing.then(async () => {
      this.state = await readTrayState(this.options.hub, this.options.log);
      this.apply();
    });

    return this.refreshing;
  }

  get currentState(): TrayState {
    return this.state;
  }

  dispose(): void {
    this.throttle.dispose();
    this.stopListening?.();
    this.stopListening = null;
    this.tray?.destroy();
    this.tray = null;
  }

  private apply(): void {
    if (!this.tray) return;

    this.tray.setTitle(buildTrayTitle(this.state), { fontType: 'monospacedDigit' });
    this.menu = Menu.buildFromTemplate(buildTrayMenuTemplate(this.state, this.options.actions));

    // Linux trays show only a context menu that was set, and need it set again after each change.
    if ((this.options.platform ?? process.platform) === 'linux') this.tray.setContextMenu(this.menu);
  }

  private popUpMenu(): void {
    if (this.tray && this.menu) this.tray.popUpContextMenu(this.menu);
  }
}

/** Reads the count of active runs and the latest runs. A failed status read becomes `state.error`. */
export async function readTrayState(hub: ShellHub, log: Logger): Promise<TrayState> {
  let activeRuns: number;
  try {
    const status = await hub.call('hub:status', {}, shellCallContext);
    activeRuns = readActiveRuns(status);
  } catch (error) {
    log.error('readTrayState(): hub:status failed', error);
    return { activeRuns: null, recentRuns: [], error: error instanceof Error ? error.message : String(error) };
  }

  let recentRuns: TrayRun[] = [];
  try {
    const listed = await hub.call('runs:list', { orderBy: ['attributes.start_time DESC'], maxResults: maxRecentRuns }, shellCallContext);
    recentRuns = readRuns(listed);
  } catch (error) {
    log.error('readTrayState(): runs:list failed', error);
  }

  return { activeRuns, recentRuns, error: null, services: await readTrayServices(hub, log) };
}

function readActiveRuns(status: unknown): number {
  const value = (status as { activeRuns?: unknown } | null)?.activeRuns;

  return typeof value === 'number' && Number.isFinite(value) && value >= 0 ? value : 0;
}

function readRuns(listed: unknown): TrayRun[] {
  const runs = (listed as { runs?: unknown } | null)?.runs;
  if (!Array.isArray(runs)) return [];

  return runs.slice(0, maxRecentRuns).flatMap((run: unknown) => {
    const { runId, runName, status } = (run ?? {}) as Record<string, unknown>;
    if (typeof runId !== 'string' || typeof status !== 'string') return [];

    return [{ runId, runName: typeof runName === 'string' ? runName : '', status }];
  });
}
