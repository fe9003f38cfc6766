import { Notification } from 'electron';

import { type HubEvent } from '../../common/events';
import { type Logger } from '../core/logger';
import { shellCallContext, type ShellHub } from './shellHub';
import { ThermalPressureWatch } from './thermalAlert';

export interface RunNotifierOptions {
  hub: ShellHub;
  log: Logger;
  /** Shows the dashboard, on one run when `runId` is given; called when the user clicks a notification. */
  showDashboard: (runId?: string) => void;
}

/** Run statuses that end a run and are worth a notification. KILLED is left out: the user stopped it. */
const notifiedStatuses: ReadonlySet<string> = new Set(['FINISHED', 'FAILED']);

/** Runs remembered to avoid a second banner when a run's end is reported twice; older entries are forgotten. */
const maxRememberedRuns = 500;

/**
 * Shows a local notification when a run finishes or fails, when thermal
 * pressure reaches heavy, and for each `notification` event of the hub
 * (lease paused, lease granted after a wait, service crash loop). A click
 * opens the dashboard, on the run when there is one. Banners appear only in a code-signed app on macOS;
 * unsigned builds get a `failed` event, which is logged.
 */
export class RunNotifier {
  /** Shown notifications, referenced until closed so that their click handler is not garbage collected. */
  private readonly live = new Set<Notification>();
  private readonly notifiedRuns = new Set<string>();
  private readonly thermalWatch = new ThermalPressureWatch();
  private stopListening: (() => void) | null = null;

  constructor(private readonly options: RunNotifierOptions) {}

  start(): void {
    if (!Notification.isSupported()) {
      this.options.log.warn('start(): notifications are not supported on this system');
      return;
    }

    this.stopListening = this.options.hub.events.onDidEmit((event) => void this.handleEvent(event));
  }

  dispose(): void {
    this.stopListening?.();
    this.stopListening = null;
    this.live.clear();
  }

  /** Shows what `event` calls for; resolves once the notification is shown. Exposed for tests. */
  async handleEvent(event: HubEvent): Promise<void> {
    if (event.type === 'notification') {
      this.show(event.title, event.body);
      return;
    }
    if (event.type === 'hardware:didSample') {
      const alert = this.thermalWatch.update(event.sample);
      if (alert) this.show(alert.title, alert.body);
      return;
    }

    if (event.type !== 'runs:didChange' || !notifiedStatuses.has(event.status)) return;

    const key = `${event.runId}:${event.status}`;
    if (this.notifiedRuns.has(key)) return;
    this.remember(key);

    const runName = await this.readRunName(event.runId);
    const verb = event.status === 'FAILED' ? 'failed' : 'finished';
    this.show(`Run ${verb}`, `${runName} ${verb}.`, event.runId);
  }

  private show(title: string, body: string, runId?: string): void {
    const notification = new Notification({ title, body });
    this.live.add(notification);

    notification.on('click', () => {
      this.live.delete(notification);
      this.options.showDashboard(runId);
    });
    notification.on('close', () => this.live.delete(notification));
    notification.on('failed', (_event, error) => {
      this.live.delete(notification);
      this.options.log.warn(`show(): notification failed runId=${runId ?? '-'}: ${error}`);
    });
    notification.show();
  }

  /** Returns the run's name, or its id when the hub has no name for it or cannot be read. */
  private async readRunName(runId: string): Promise<string> {
    try {
      const run = await this.options.hub.call('runs:get', { runId }, shellCallContext);
      const runName = (run as { runName?: unknown } | null)?.runName;

      return typeof runName === 'string' && runName !== '' ? runName : runId;
    } catch (error) {
      this.options.log.error(`readRunName(): runs:get failed runId=${runId}`, error);
      return runId;
    }
  }

  private remember(key: string): void {
    this.notifiedRuns.add(key);
    if (this.notifiedRuns.size <= maxRememberedRuns) return;

    const oldest = this.notifiedRuns.values().next().value;
    if (oldest !== undefined) this.notifiedRuns.delete(oldest);
  }
}
