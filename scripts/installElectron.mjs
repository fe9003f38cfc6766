#!/usr/bin/env node
// Downloads Electron's binary on macOS, where the menu-bar app runs. package.json's
// `allowScripts` keeps npm from running Electron's own postinstall, whose failed
// download would fail `npm install` on machines that cannot reach it; this step runs
// that same installer but only on macOS, and never fails the install.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const installer = path.join(root, 'node_modules/electron/install.js');

if (process.platform !== 'darwin' && process.env.MLOPS_HUB_INSTALL_ELECTRON !== '1') {
  console.log('installElectron: skipped (not macOS); `npm start` runs the headless hub. Set MLOPS_HUB_INSTALL_ELECTRON=1 to download Electron anyway.');
  process.exit(0);
}
if (!fs.existsSync(installer)) {
  console.warn('installElectron: node_modules/electron is missing (a production install?); `npm start` runs the headless hub.');
  process.exit(0);
}

const result = spawnSync(process.execPath, [installer], { cwd: path.dirname(installer), stdio: 'inherit' });
if (result.status !== 0) {
  console.warn(`installElectron: downloading Electron's binary failed (exit ${result.status ?? result.error?.message}); \`npm start\` runs the headless hub until \`node node_modules/electron/install.js\` succeeds.`);
}
process.exit(0);
