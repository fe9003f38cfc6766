import path from 'node:path';

import { defineConfig } from 'vite';

// `npm run build`: the dashboard bundle that the headless hub serves at `/` and
// the Electron window loads from disk, hence relative asset paths (`base: './'`).
// React's JSX goes through esbuild's automatic runtime, so no React plugin is needed.
export default defineConfig({
  root: path.resolve(import.meta.dirname, 'src/renderer'),
  base: './',
  esbuild: { jsx: 'automatic' },
  build: {
    outDir: path.resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    // The polyfill would be inlined into the page, which the Content-Security-Policy forbids.
    modulePreload: { polyfill: false },
    chunkSizeWarningLimit: 1500,
  },
});
