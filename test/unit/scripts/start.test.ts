import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { describe, expect, it } from 'vitest';

interface StartMode {
  mode: 'electron' | 'headless';
  electronPath?: string;
  reason?: string;
}

interface StartModule {
  chooseStartMode(options: { platform: string; env: Record<string, string | undefined>; resolveElectron: () => unknown; exists: (file: string) => boolean }): StartMode;
  findStaleOutputs(rootDir: string, outputs: string[], sourcePaths: string[]): string[];
}

const scriptUrl = pathToFileURL(path.resolve(import.meta.dirname, '../../../scripts/start.mjs')).href;
const start = (await import(scriptUrl)) as StartModule;

const installed = () => '/repo/node_modules/electron/dist/electron';
const notInstalled = () => {
  throw new Error('Electron failed to install correctly, please delete node_modules/electron and try installing again');
};

describe('chooseStartMode', () => {
  it('starts Electron on macOS', () => {
    const choice = start.chooseStartMode({ platform: 'darwin', env: {}, resolveElectron: installed, exists: () => true });

    expect(choice).toEqual({ mode: 'electron', electronPath: '/repo/node_modules/electron/dist/electron' });
  });

  it('starts Electron on Linux with a display', () => {
    const choice = start.chooseStartMode({ platform: 'linux', env: { DISPLAY: ':0' }, resolveElectron: installed, exists: () => true });

    expect(choice.mode).toBe('electron');
  });

  it('goes headless without a display', () => {
    const choice = start.chooseStartMode({ platform: 'linux', env: {}, resolveElectron: installed, exists: () => true });

    expect(choice).toEqual({ mode: 'headless', reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' });
  });

  it('goes headless without the binary download', () => {
    const choice = start.chooseStartMode({ platform: 'darwin', env: {}, resolveElectron: notInstalled, exists: () => true });

    expect(choice.mode).toBe('headless');
    expect(choice.reason).toContain("Electron's binary is not installed (Electron failed to install correctly");
  });

  it('explains the skipped download off macOS', () => {
    const choice = start.chooseStartMode({ platform: 'linux', env: { DISPLAY: ':0' }, resolveElectron: notInstalled, exists: () => true });

    expect(choice.mode).toBe('headless');
    expect(choice.reason).toContain("Electron's binary is only downloaded on macOS");
  });

  it('goes headless when the binary file is gone', () => {
    const choice = start.chooseStartMode({ platform: 'darwin', env: {}, resolveElectron: installed, exists: () => false });

    expect(choice.reason).toBe("Electron's binary is missing at /repo/node_modules/electron/dist/electron");
  });

  it('honours MLOPS_HUB_HEADLESS', () => {
    const choice = start.chooseStartMode({ platform: 'darwin', env: { MLOPS_HUB_HEADLESS: '1' }, resolveElectron: installed, exists: () => true });

    expect(choice).toEqual({ mode: 'headless', reason: 'MLOPS_HUB_HEADLESS=1 is set' });
  });
});

describe('findStaleOutputs', () => {
  it('lists missing and older outputs', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    const write = (file: string, mtimeSeconds: number): void => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), '');
      fs.utimesSync(path.join(dir, file), mtimeSeconds, mtimeSeconds);
    };
    write('src/main/index.ts', 2000);
    write('out/main/index.js', 3000);
    write('out/preload/index.cjs', 1000);

    const stale = start.findStaleOutputs(dir, ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'], ['src']);

    expect(stale).toEqual(['out/preload/index.cjs', 'out/renderer/index.html']);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
