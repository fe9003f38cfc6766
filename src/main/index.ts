// Entry point of the Electron app (electron-vite builds it to out/main/index.js).
// It only connects Electron's paths to the core; the shell files do the rest.
import path from 'node:path';

import { app } from 'electron';

import { createHub } from './core/hub';
import { createLogger } from './core/logger';
import { resolveDataDir, resolveHubPaths } from './core/paths';
import { runDesktopApp } from './shell/desktopApp';

const dataDir = resolveDataDir();
const log = createLogger({ file: path.join(resolveHubPaths(dataDir).logsDir, 'hub.log'), echo: !app.isPackaged });

runDesktopApp({
  appRoot: app.getAppPath(),
  outDir: path.resolve(import.meta.dirname, '..'),
  log,
  createHub: ({ nativeBinding, staticDir }) => createHub({ dataDir, log, nativeBinding, listen: { staticDir } }),
}).catch((error: unknown) => {
  log.error('main(): the app failed to start', error);
  app.exit(1);
});
