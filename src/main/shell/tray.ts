import { Menu, nativeImage, Tray } from 'electron';

import { type HubEventType } from '../../common/events';
import { type Logger } from '../core/logger';
import { shellCallContext, type ShellHub } from './shellHub';
import { createThrottle, type Throttle } from './throttle';
import { defaultTrayTitleItems, readTrayHardware, readTrayOperations, type TrayTitleItem } from './trayHardware';
import { buildTitleParts, buildTrayMenuTemplate, buildTrayTitle, maxRecentRuns, type TrayActions, type TrayRun, type TrayState } from './trayMenu';
import { readTrayServices } from './trayServices';

/** Hub events after which the tray reads the hub again. */
export const trayRefreshEvents: ReadonlySet<HubEventType> = new Set<HubEventType>(['runs:didChange', 'projects:didChange', 'experiments:didChange', 'services:didChange', 'leases:didChange']);

/** Minimum time between two tray rebuilds, in milliseconds; metric-heavy runs emit many events per second. */
export const trayRefreshIntervalMs = 1000;

export interface TrayControllerOptions {
  hub: ShellHub;
  actions: TrayActions;
  /** Path of `trayTemplate.png`; Electron picks `trayTemplate@2x.png` beside it on Retina screens. */
  iconFile: string;
  log: Logger;
  platform?: NodeJS.Platform;
  /** Title items shown at start (default: all). The menu's Show in Menu Bar items change them. */
  titleItems?: readonly TrayTitleItem[];
  /** Called with the new title items after each Show in Menu Bar change, to keep the choice for the next launch. */
  saveTitleItems?: (items: readonly TrayTitleItem[]) => void;
}

/**
 * The menu-bar icon. Its title and menu are rebuilt from the hub after
 * relevant events, at most once per `trayRefreshIntervalMs`. Each pushed
 * hardware sample also redraws the title, without reading the hub.
 */
export class TrayController {
  /** Held here for the app's lifetime: a Tray that only a local variable references is garbage collected and vanishes. */
  private tray: Tray | null = null;
  private menu: Menu | null = null;
  private state: TrayState = { activeRuns: null, recentRuns: [], error: null };
  private readonly throttle: Throttle;
  private stopListening: (() => void) | null = null;
  private refreshing: Promise<void> = Promise.resolve();
  private titleItems: readonly TrayTitleItem[];
  /** Set when a sample changed the state but only the title was redrawn; the menu is rebuilt before it opens. */
  private menuStale = false;

  constructor(private readonly options: TrayControllerOptions) {
    this.throttle = createThrottle(() => void this.refresh(), trayRefreshIntervalMs);
    this.titleItems = options.titleItems ?? defaultTrayTitleItems;
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
      if (event.type === 'hardware:didSample') this.applySample(event.sample);
    });
    this.apply();
    this.throttle.request();
    log.info('start(): tray created');
  }

  /** Reads the hub and redraws title and menu; resolves when done. Failures show in the status line. */
  refresh(): Promise<void> {
    this.refreshing = this.refreshing.then(async () => {
      const [state, operations] = await Promise.all([readTrayState(this.options.hub, this.options.log), readTrayOperations(this.options.hub, this.options.log)]);
      this.state = { ...state, ...operations, hardware: operations.hardware ?? this.state.hardware ?? null };
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

    this.tray.setTitle(buildTrayTitle(this.state, buildTitleParts(this.titleItems)), { fontType: 'monospacedDigit' });
    const actions: TrayActions = { ...this.options.actions, setTitleItems: (items) => this.setTitleItems(items) };
    this.menu = Menu.buildFromTemplate(buildTrayMenuTemplate(this.state, actions, this.titleItems));
    this.menuStale = false;

    // Linux trays show only a context menu that was set, and need it set again after each change.
    if ((this.options.platform ?? process.platform) === 'linux') this.tray.setContextMenu(this.menu);
  }

  private popUpMenu(): void {
    if (this.menuStale) this.apply();
    if (this.tray && this.menu) this.tray.popUpContextMenu(this.menu);
  }

  /**
   * Redraws the title from a pushed sample without reading the hub. The menu
   * is rebuilt lazily, so that a menu open on Linux is not replaced every second.
   */
  private applySample(sample: unknown): void {
    const hardware = readTrayHardware(sample);
    if (!this.tray || hardware === null) return;

    this.state = { ...this.state, hardware };
    this.tray.setTitle(buildTrayTitle(this.state, buildTitleParts(this.titleItems)), { fontType: 'monospacedDigit' });
    this.menuStale = true;
  }

  private setTitleItems(items: TrayTitleItem[]): void {
    this.titleItems = items;
    this.options.log.info(`setTitleItems(): title shows ${items.join(',') || 'nothing'}`);
    this.options.saveTitleItems?.(items);
    this.apply();
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
