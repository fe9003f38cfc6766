import path from 'node:path';

import { defineConfig } from 'electron-vite';

import rendererConfig from './vite.renderer.config';

const root = import.meta.dirname;

// `npm run dev` and `npm run build:app`: the Electron main process, its preload
// and the dashboard renderer, built into out/main, out/preload and out/renderer.
export default defineConfig({
  main: {
    build: {
      outDir: path.join(root, 'out/main'),
      rollupOptions: {
        input: { index: path.join(root, 'src/main/index.ts') },
        // A native module: loaded from node_modules (or build/electron-native) at run time, never bundled.
        external: ['better-sqlite3'],
      },
    },
  },
  preload: {
    build: {
      outDir: path.join(root, 'out/preload'),
      // A sandboxed preload can require only `electron` and a few Node built-ins,
      // so the contract (and zod) must be bundled into it, and it must be CommonJS.
      externalizeDeps: false,
      rollupOptions: {
        input: { index: path.join(root, 'src/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    ...rendererConfig,
    build: {
      ...rendererConfig.build,
      rollupOptions: { input: path.join(root, 'src/renderer/index.html') },
    },
  },
});
