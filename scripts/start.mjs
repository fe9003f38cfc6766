#!/usr/bin/env node
// `npm start [-- ARGS]`: starts the menu-bar app where Electron can run (its
// binary is installed, and the machine is a Mac or has a display), otherwise
// the headless hub, `mlops-hub serve ARGS`, whose first stdout line is the
// dashboard URL with its token. Every message of this script goes to stderr,
// so stdout carries only the hub's own output.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const root = path.resolve(import.meta.dirname, '..');

/** Files that `electron-vite build` writes; the app cannot start without all of them. */
export const electronOutputs = ['out/main/index.js', 'out/preload/index.cjs', 'out/renderer/index.html'];

/** better-sqlite3 built for Electron's ABI by scripts/rebuildElectronNative.mjs. */
export const electronNativeModule = 'build/electron-native/better_sqlite3.node';

/**
 * Decides between the Electron app and the headless hub. `resolveElectron`
 * returns the binary path as `require('electron')` does, and throws when the
 * binary was never downloaded. Returns `{mode: 'electron', electronPath}` or
 * `{mode: 'headless', reason}`.
 */
export function chooseStartMode({ platform, env, resolveElectron, exists }) {
  if (env.MLOPS_HUB_HEADLESS === '1') return { mode: 'headless', reason: 'MLOPS_HUB_HEADLESS=1 is set' };

  let electronPath;
  try {
    electronPath = resolveElectron();
  } catch (error) {
    // npm install downloads the binary on macOS only (scripts/installElectron.mjs), so elsewhere its absence is expected.
    if (platform !== 'darwin') return { mode: 'headless', reason: "Electron's binary is only downloaded on macOS (set MLOPS_HUB_INSTALL_ELECTRON=1 and run `npm install` to get it here)" };

    return { mode: 'headless', reason: `Electron's binary is not installed (${firstLine(error)})` };
  }
  if (typeof electronPath !== 'string' || !exists(electronPath)) {
    return { mode: 'headless', reason: `Electron's binary is missing at ${String(electronPath)}` };
  }

  // macOS and Windows always have a desktop; on Linux Electron needs an X11 or Wayland display.
  if (platform === 'darwin' || platform === 'win32' || env.DISPLAY || env.WAYLAND_DISPLAY) return { mode: 'electron', electronPath };

  return { mode: 'headless', reason: 'there is no display (neither DISPLAY nor WAYLAND_DISPLAY is set)' };
}

/** Returns the build outputs of the app that are missing, or older than the newest source file (folders' own times are ignored). */
export function findStaleOutputs(rootDir, outputs, sourcePaths) {
  const newestSource = Math.max(...sourcePaths.map((source) => newestModification(path.join(rootDir, source))));

  return outputs.filter((output) => {
    const file = path.join(rootDir, output);

    return !fs.existsSync(file) || fs.statSync(file).mtimeMs < newestSource;
  });
}

function newestModification(file) {
  if (!fs.existsSync(file)) return 0;

  const stat = fs.statSync(file);
  if (!stat.isDirectory()) return stat.mtimeMs;

  return Math.max(0, ...fs.readdirSync(file).map((name) => newestModification(path.join(file, name))));
}

function firstLine(error) {
  const message = error instanceof Error ? error.message : String(error);

  return message.split('\n')[0];
}

function say(message) {
  process.stderr.write(`start: ${message}\n`);
}

/** Runs an npm script with its output on stderr; returns true when it succeeded. */
function runNpmScript(name) {
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli && npmCli.endsWith('.js') ? [process.execPath, [npmCli, 'run', name]] : ['npm', ['run', name]];
  const result = spawnSync(command, args, { cwd: root, stdio: ['ignore', 2, 2] });
  if (result.error) say(`\`npm run ${name}\` could not start: ${result.error.message}`);

  return result.status === 0;
}

/**
 * Runs `command` until it exits, then exits with its status. The child gets
 * its own process group, so a Ctrl-C reaches it once, forwarded from here,
 * instead of twice (from the terminal and from this script).
 */
function runChild(command, args, env) {
  const child = spawn(command, args, { cwd: root, env, stdio: 'inherit', detached: true });
  const forward = (signal) => {
    if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  };
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) process.on(signal, () => forward(signal));

  watchParent(child);

  child.on('error', (error) => {
    say(`${path.basename(command)} could not start: ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => {
    process.exit(code ?? (signal ? 128 + (signalNumbers[signal] ?? 1) : 1));
  });
}

const signalNumbers = { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 };

/** How often the parent check runs, in milliseconds. */
const parentPollIntervalMs = 1_000;

/**
 * Stops the child's process group when this script's parent dies. `npm start`
 * runs this script through `sh -c`, and a SIGTERM sent to npm reaches neither
 * the shell's child nor this script, so without the check the hub would stay
 * on, orphaned. An orphan is adopted by init or a subreaper, which changes
 * `process.ppid`.
 */
function watchParent(child) {
  const parentPid = process.ppid;
  const timer = setInterval(() => {
    if (process.ppid === parentPid) return;

    clearInterval(timer);
    say(`the parent process ${parentPid} exited; stopping the child process group ${child.pid}`);
    try {
      process.kill(-child.pid, 'SIGTERM');
    } catch (error) {
      // ESRCH: the group is already gone.
      if (error.code !== 'ESRCH') say(`cannot stop the child process group ${child.pid}: ${error.message}`);
    }
    process.exit(128 + signalNumbers.SIGTERM);
  }, parentPollIntervalMs);
  timer.unref();
}

/** Starts the menu-bar app, building it first when needed; falls back to the headless hub when the build fails. */
function startElectron(electronPath, args) {
  const stale = findStaleOutputs(root, electronOutputs, ['src', 'electron.vite.config.ts', 'vite.renderer.config.ts']);
  if (!fs.existsSync(path.join(root, electronNativeModule))) stale.push(electronNativeModule);

  if (stale.length > 0) {
    say(`building the app (${stale.join(', ')} missing or out of date)`);
    if (!runNpmScript('build:app')) {
      startHeadless('`npm run build:app` failed (see its output above)', args);
      return;
    }
  }

  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  say('starting the menu-bar app');
  runChild(electronPath, [root, ...args], env);
}

function startHeadless(reason, args) {
  say(`starting the headless hub because ${reason}; the dashboard URL follows on stdout`);

  if (!fs.existsSync(path.join(root, 'out/renderer/index.html'))) {
    say('building the dashboard (out/renderer/index.html is missing)');
    if (!runNpmScript('build')) say('`npm run build` failed (see above): the API works, but the dashboard page is unavailable until the build succeeds');
  }

  runChild(process.execPath, [path.join(root, 'bin/mlops-hub.mjs'), 'serve', ...args], process.env);
}

function main() {
  // `node scripts/start.mjs -- ARGS` passes the `--` through, which npm strips from `npm start -- ARGS`.
  const args = process.argv.slice(2);
  if (args[0] === '--') args.shift();
  const choice = chooseStartMode({
    platform: process.platform,
    env: process.env,
    resolveElectron: () => createRequire(import.meta.url)('electron'),
    exists: fs.existsSync,
  });

  if (choice.mode === 'electron') startElectron(choice.electronPath, args);
  else startHeadless(choice.reason, args);
}

// Tests import this file for its functions; only a direct run starts anything.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) main();
