import { describe, expect, it, vi } from 'vitest';

import { createSilentLogger } from '../../../src/main/core/logger';
import { buildServiceMenuItems, readTrayServices } from '../../../src/main/shell/trayServices';
import { createStubHub } from './support';

describe('buildServiceMenuItems', () => {
  it('lists services with their state', () => {
    const items = buildServiceMenuItems(
      [
        { name: 'mlflow', state: 'running' },
        { name: 'ray', state: 'not-installed' },
      ],
      {},
    );

    expect(items.map((item) => item.label)).toEqual([undefined, 'Services', 'mlflow: running', 'ray: not-installed']);
  });

  it('enables Stop for a running service', () => {
    const stopService = vi.fn();
    const [, , item] = buildServiceMenuItems([{ name: 'mlflow', state: 'running' }], { stopService });
    const [start, stop] = item!.submenu as { label: string; enabled: boolean; click: () => void }[];

    expect(start!.enabled).toBe(false);
    expect(stop!.enabled).toBe(true);
    stop!.click();
    expect(stopService).toHaveBeenCalledWith('mlflow');
  });

  it('disables Start for a program not installed', () => {
    const [, , item] = buildServiceMenuItems([{ name: 'ray', state: 'not-installed' }], {});
    const [start] = item!.submenu as { enabled: boolean }[];

    expect(start!.enabled).toBe(false);
  });

  it('adds nothing without services', () => {
    expect(buildServiceMenuItems([], {})).toEqual([]);
  });
});

describe('readTrayServices', () => {
  it('keeps name and state', async () => {
    const hub = createStubHub({ 'services:list': () => [{ name: 'mlflow', state: 'stopped', pid: null }, { bad: true }] });

    expect(await readTrayServices(hub, createSilentLogger())).toEqual([{ name: 'mlflow', state: 'stopped' }]);
  });

  it('returns no services when the call fails', async () => {
    const hub = createStubHub({});

    expect(await readTrayServices(hub, createSilentLogger())).toEqual([]);
  });
});
