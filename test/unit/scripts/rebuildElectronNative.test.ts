import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { describe, expect, it } from 'vitest';

interface RebuildModule {
  buildNodeGypArgs(options: { nodeGypScript: string; electronVersion: string; arch: string; headers: { dir?: string; url?: string } | null; devDir: string }): string[];
  readHeaderSource(env: Record<string, string | undefined>, platform?: string): { dir?: string; url?: string } | null;
  findNodeGyp(env: Record<string, string | undefined>, execPath: string, exists: (file: string) => boolean): string | null;
  shouldCopy(packageDir: string, file: string): boolean;
}

const scriptUrl = pathToFileURL(path.resolve(import.meta.dirname, '../../../scripts/rebuildElectronNative.mjs')).href;
const rebuild = (await import(scriptUrl)) as RebuildModule;

const base = { nodeGypScript: '/npm/node-gyp/bin/node-gyp.js', electronVersion: '37.10.3', arch: 'arm64', devDir: '/Users/me/.electron-gyp' };

describe('buildNodeGypArgs', () => {
  it('targets Electron with local headers', () => {
    const args = rebuild.buildNodeGypArgs({ ...base, headers: { dir: '/tmp/electron-headers' } });

    expect(args).toEqual([
      '/npm/node-gyp/bin/node-gyp.js',
      'rebuild',
      '--release',
      '--target=37.10.3',
      '--arch=arm64',
      '--devdir=/Users/me/.electron-gyp',
      '--jobs=max',
      '--nodedir=/tmp/electron-headers',
    ]);
  });

  it('uses a header server when given', () => {
    const args = rebuild.buildNodeGypArgs({ ...base, headers: { url: 'http://127.0.0.1:8080/headers' } });

    expect(args.at(-1)).toBe('--dist-url=http://127.0.0.1:8080/headers');
    expect(args.some((arg) => arg.startsWith('--nodedir'))).toBe(false);
  });

  it('rejects a missing header source', () => {
    expect(() => rebuild.buildNodeGypArgs({ ...base, headers: null })).toThrow('no source for Electron headers: set ELECTRON_HEADERS_DIR');
  });

  it('rejects an invalid Electron version', () => {
    expect(() => rebuild.buildNodeGypArgs({ ...base, electronVersion: 'latest', headers: { dir: '/h' } })).toThrow('invalid Electron version "latest"');
  });
});

describe('readHeaderSource', () => {
  it('prefers the local folder', () => {
    expect(rebuild.readHeaderSource({ ELECTRON_HEADERS_DIR: '/h', ELECTRON_HEADERS_URL: 'http://127.0.0.1:1/' })).toEqual({ dir: path.resolve('/h') });
  });

  it('has no default off macOS', () => {
    expect(rebuild.readHeaderSource({}, 'linux')).toBeNull();
  });

  it('defaults to Electron headers on macOS', () => {
    expect(rebuild.readHeaderSource({}, 'darwin')).toEqual({ url: 'https://electronjs.org/headers' });
  });
});

describe('findNodeGyp', () => {
  it('prefers the script npm names', () => {
    expect(rebuild.findNodeGyp({ npm_config_node_gyp: '/npm/bin/node-gyp.js' }, '/usr/bin/node', () => true)).toBe('/npm/bin/node-gyp.js');
  });

  it('returns null when nothing exists', () => {
    expect(rebuild.findNodeGyp({}, '/nowhere/bin/node', () => false)).toBeNull();
  });
});

describe('shouldCopy', () => {
  const packageDir = '/repo/node_modules/better-sqlite3';

  it.each([
    ['src/better_sqlite3.cpp', true],
    ['deps/sqlite3/sqlite3.c', true],
    ['binding.gyp', true],
    ['build/Release/better_sqlite3.node', false],
    ['node_modules/bindings/bindings.js', false],
  ])('%s: %s', (file, expected) => {
    expect(rebuild.shouldCopy(packageDir, path.join(packageDir, file))).toBe(expected);
  });
});
