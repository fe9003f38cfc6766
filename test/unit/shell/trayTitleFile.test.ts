import fs from 'node:fs';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

vi.mock('electron', () => import('../../fakes/electron'));

import { resetElectronFake, Tray } from '../../fakes/electron';
import { createSilentLogger, type Logger } from '../../../src/main/core/logger';
import { readStartTitleItems } from '../../../src/main/shell/desktopShell';
import { TrayController } from '../../../src/main/shell/tray';
import { type TrayTitleItem } from '../../../src/main/shell/trayHardware';
import { saveTrayTitleItems, trayTitleFilePath } from '../../../src/main/shell/trayTitleFile';
import { createStubHub, makeTempHome } from './support';

type Template = { label?: string; submenu?: Template[]; click?: () => void };

/** A logger that keeps its warn and error lines, for tests that check what was logged. */
function createRecordingLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  const logger: Logger = {
    trace: () => undefined,
    info: () => undefined,
    warn: (message) => lines.push(`warn ${message}`),
    error: (message) => lines.push(`error ${message}`),
    child: () => logger,
  };

  return Object.assign(logger, { lines });
}

describe('tray title file', () => {
  let dataDir: string;
  let trayFile: string;
  const previousHome = process.env['MLOPS_HUB_HOME'];

  beforeEach(() => {
    resetElectronFake();
    dataDir = makeTempHome();
    trayFile = trayTitleFilePath(dataDir);
  });

  afterEach(() => {
    if (previousHome === undefined) delete process.env['MLOPS_HUB_HOME'];
    else process.env['MLOPS_HUB_HOME'] = previousHome;
  });

  async function startTray(titleItems: readonly TrayTitleItem[]): Promise<TrayController> {
    const hub = createStubHub({ 'hub:status': () => ({ activeRuns: 3 }), 'runs:list': () => ({ runs: [], nextPageToken: null, total: 0 }) });
    const log = createSilentLogger();
    const actions = { openDashboard: vi.fn(), openRun: vi.fn(), quit: vi.fn() };
    const controller = new TrayController({ hub, actions, iconFile: '/app/trayTemplate.png', log, platform: 'darwin', titleItems, saveTitleItems: (items) => saveTrayTitleItems(trayFile, items, log) });
    controller.start();
    await controller.refresh();

    return controller;
  }

  it('keeps the menu choice for the next start', async () => {
    const first = await startTray(readStartTitleItems(trayFile, createSilentLogger(), {}));
    Tray.instances[0]?.emit('click');
    const setting = (Tray.instances[0]?.poppedUpMenus[0]?.template as Template[]).find((item) => item.label === 'Show in Menu Bar');
    setting?.submenu?.find((item) => item.label === 'Active Runs')?.click?.();
    first.dispose();

    const saved = readStartTitleItems(trayFile, createSilentLogger(), {});
    await startTray(saved);

    expect(JSON.parse(fs.readFileSync(trayFile, 'utf8'))).toEqual({ titleItems: ['temperature', 'power', 'queue'] });
    expect(saved).toEqual(['temperature', 'power', 'queue']);
    expect(Tray.instances[1]?.title).toBe('');
  });

  it('starts with every item without a file', () => {
    expect(readStartTitleItems(trayFile, createSilentLogger(), {})).toEqual(['runs', 'temperature', 'power', 'queue']);
  });

  it('logs and ignores a malformed file', () => {
    const log = createRecordingLogger();
    fs.writeFileSync(trayFile, '{"titleItems": ["runs", "fan"]}');

    expect(readStartTitleItems(trayFile, log, {})).toEqual(['runs', 'temperature', 'power', 'queue']);
    expect(log.lines).toHaveLength(1);
    expect(log.lines[0]).toContain('"fan"');
    expect(log.lines[0]).toContain(path.basename(trayFile));
  });

  it('logs and ignores a file that is not JSON', () => {
    const log = createRecordingLogger();
    fs.writeFileSync(trayFile, 'runs,power');

    expect(readStartTitleItems(trayFile, log, {})).toEqual(['runs', 'temperature', 'power', 'queue']);
    expect(log.lines[0]).toContain('malformed');
  });

  it('lets MLOPS_HUB_TRAY_TITLE override the saved choice', () => {
    saveTrayTitleItems(trayFile, ['queue'], createSilentLogger());

    expect(readStartTitleItems(trayFile, createSilentLogger(), { MLOPS_HUB_TRAY_TITLE: 'power' })).toEqual(['power']);
    expect(readStartTitleItems(trayFile, createSilentLogger(), {})).toEqual(['queue']);
  });
});
