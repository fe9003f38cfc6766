import type { MenuItemConstructorOptions } from 'electron';

import type { Logger } from '../core/logger';
import { shellCallContext, type ShellHub } from './shellHub';

/** A managed service as the tray lists it. */
export interface TrayService {
  name: string;
  /** Service state: not-installed, stopped, starting, running, unhealthy, stopping, backoff or failed. */
  state: string;
}

export interface TrayServiceActions {
  startService?(name: string): void;
  stopService?(name: string): void;
}

/** States in which a process exists or is about to, so Stop applies and Start does not. */
const activeStates = new Set(['starting', 'running', 'unhealthy', 'stopping', 'backoff']);

/** Builds the Services section of the tray menu; empty when the hub has no services. */
export function buildServiceMenuItems(services: readonly TrayService[], actions: TrayServiceActions): MenuItemConstructorOptions[] {
  if (services.length === 0) return [];

  const items = services.map((service): MenuItemConstructorOptions => {
    const active = activeStates.has(service.state);

    return {
      label: `${service.name}: ${service.state}`,
      submenu: [
        { label: 'Start', enabled: !active && service.state !== 'not-installed', click: () => actions.startService?.(service.name) },
        { label: 'Stop', enabled: active && service.state !== 'stopping', click: () => actions.stopService?.(service.name) },
      ],
    };
  });

  return [{ type: 'separator' }, { label: 'Services', enabled: false }, ...items];
}

/** Reads the services for the tray; a failed read is logged and shows no Services section. */
export async function readTrayServices(hub: ShellHub, log: Logger): Promise<TrayService[]> {
  let listed: unknown;
  try {
    listed = await hub.call('services:list', {}, shellCallContext);
  } catch (error) {
    log.error('readTrayServices(): services:list failed', error);

    return [];
  }
  if (!Array.isArray(listed)) return [];

  return listed.flatMap((service: unknown) => {
    const { name, state } = (service ?? {}) as Record<string, unknown>;

    return typeof name === 'string' && typeof state === 'string' ? [{ name, state }] : [];
  });
}

/** Starts or stops a service from the tray; failures are logged, and the service state shows the reason. */
export function runTrayServiceAction(hub: ShellHub, log: Logger, verb: 'start' | 'stop', name: string): void {
  hub.call(`services:${verb}`, { name }, shellCallContext).catch((error: unknown) => {
    log.error(`runTrayServiceAction(): services:${verb} failed service=${name}`, error);
  });
}
