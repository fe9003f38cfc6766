#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into build/electron-native/, for
// `npm run dev` and `npm run build:app`. Electron embeds its own Node with a
// different NODE_MODULE_VERSION, so Node's build in node_modules cannot load
// in the app, and an in-place rebuild would break the tests, which run under
// plain Node. This script therefore compiles a copy of the package folder and
// leaves node_modules/better-sqlite3 alone; the app passes the result to
// better-sqlite3 as `nativeBinding`.
//
// node-gyp needs Electron's headers, taken from one of:
//   ELECTRON_HEADERS_DIR  a folder with the unpacked headers of this Electron version (node-gyp --nodedir)
//   ELECTRON_HEADERS_URL  a server that hosts them, such as Electron's own https://electronjs.org/headers (node-gyp --dist-url)
// On macOS, where the app runs, the URL defaults to Electron's header server;
// elsewhere nothing is downloaded unless one of them is set.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');
const outputDir = path.join(root, 'build', 'electron-native');
const require = createRequire(import.meta.url);

/** Electron's own header server, as its docs give for node-gyp's `--dist-url`. */
export const electronHeadersUrl = 'https://electronjs.org/headers';

/** An expected failure: its message is printed without a stack and the script exits with status 1. */
export class RebuildError extends Error {}

/**
 * Returns node-gyp's command-line arguments (after `node`) for building the
 * module for `electronVersion`. `headers` is `{dir}` for local headers or
 * `{url}` for a header server. `devDir` caches downloaded headers apart from
 * Node's, because node-gyp keys its cache by version number only.
 */
export function buildNodeGypArgs({ nodeGypScript, electronVersion, arch, headers, devDir }) {
  if (!/^\d+\.\d+\.\d+/.test(electronVersion ?? '')) throw new RebuildError(`invalid Electron version ${JSON.stringify(electronVersion)}: expected x.y.z from node_modules/electron/package.json`);

  const args = [nodeGypScript, 'rebuild', '--release', `--target=${electronVersion}`, `--arch=${arch}`, `--devdir=${devDir}`, '--jobs=max'];
  if (headers?.dir) args.push(`--nodedir=${headers.dir}`);
  else if (headers?.url) args.push(`--dist-url=${headers.url}`);
  else throw new RebuildError('no source for Electron headers: set ELECTRON_HEADERS_DIR to an unpacked headers folder, or ELECTRON_HEADERS_URL to a header server (Electron hosts them at https://electronjs.org/headers)');

  return args;
}

/** Reads the header source from the environment; a local folder wins over a URL. */
export function readHeaderSource(env, platform = process.platform) {
  if (env.ELECTRON_HEADERS_DIR) return { dir: path.resolve(env.ELECTRON_HEADERS_DIR) };
  if (env.ELECTRON_HEADERS_URL) return { url: env.ELECTRON_HEADERS_URL };
  if (platform === 'darwin') return { url: electronHeadersUrl };

  return null;
}

/**
 * Finds node-gyp's entry script: `npm_config_node_gyp` (npm sets it for
 * scripts), then a node-gyp package in this project, then the copy bundled
 * with npm next to the running node. Returns null when none exists.
 */
export function findNodeGyp(env, execPath, exists = fs.existsSync) {
  const candidates = [env.npm_config_node_gyp, resolveOrNull('node-gyp/bin/node-gyp.js'), path.join(path.dirname(execPath), '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js')];

  return candidates.find((candidate) => candidate && exists(candidate)) ?? null;
}

/** True when a path inside the package folder belongs in the build copy: sources yes, old build output and dependencies no. */
export function shouldCopy(packageDir, file) {
  const relative = path.relative(packageDir, file);
  const top = relative.split(path.sep)[0];

  return top !== 'build' && top !== 'node_modules';
}

function resolveOrNull(specifier) {
  try {
    return require.resolve(specifier);
  } catch {
    return null;
  }
}

function readVersion(packageJson) {
  return JSON.parse(fs.readFileSync(packageJson, 'utf8')).version;
}

function rebuild() {
  const electronVersion = readVersion(path.join(root, 'node_modules', 'electron', 'package.json'));
  const packageDir = path.dirname(require.resolve('better-sqlite3/package.json'));
  const stamp = { electron: electronVersion, betterSqlite3: readVersion(path.join(packageDir, 'package.json')), platform: process.platform, arch: process.arch };
  const stampFile = path.join(outputDir, 'stamp.json');
  const binary = path.join(outputDir, 'better_sqlite3.node');

  if (fs.existsSync(binary) && fs.existsSync(stampFile) && fs.readFileSync(stampFile, 'utf8') === JSON.stringify(stamp)) {
    console.error(`rebuildElectronNative: ${path.relative(root, binary)} is up to date for Electron ${electronVersion}`);
    return;
  }

  const nodeGyp = findNodeGyp(process.env, process.execPath);
  if (!nodeGyp) throw new RebuildError('node-gyp not found: install it (`npm install -g node-gyp`) or run this script through npm, which sets npm_config_node_gyp');
  const args = buildNodeGypArgs({ nodeGypScript: nodeGyp, electronVersion, arch: process.arch, headers: readHeaderSource(process.env), devDir: path.join(os.homedir(), '.electron-gyp') });

  const sourceCopy = path.join(outputDir, 'better-sqlite3');
  fs.mkdirSync(outputDir, { recursive: true });
  fs.rmSync(sourceCopy, { recursive: true, force: true });
  fs.cpSync(packageDir, sourceCopy, { recursive: true, filter: (file) => shouldCopy(packageDir, file) });

  console.error(`rebuildElectronNative: building better-sqlite3 ${stamp.betterSqlite3} for Electron ${electronVersion} (${process.arch}) in ${path.relative(root, sourceCopy)}`);
  const result = spawnSync(process.execPath, args, { cwd: sourceCopy, stdio: 'inherit' });
  if (result.error) throw new RebuildError(`node-gyp could not start: ${result.error.message}`);
  if (result.status !== 0) throw new RebuildError(`node-gyp failed with status ${result.status}; see its output above (a C++ toolchain and Electron's headers are required)`);

  fs.copyFileSync(path.join(sourceCopy, 'build', 'Release', 'better_sqlite3.node'), binary);
  fs.writeFileSync(stampFile, JSON.stringify(stamp));
  console.error(`rebuildElectronNative: wrote ${path.relative(root, binary)}`);
}

function main() {
  try {
    rebuild();
  } catch (error) {
    const message = error instanceof RebuildError ? error.message : `unexpected failure: ${error instanceof Error ? error.message : String(error)}`;
    console.error(`rebuildElectronNative: ${message}`);
    process.exit(1);
  }
}

// Tests import this file for its functions; only a direct run builds anything.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
