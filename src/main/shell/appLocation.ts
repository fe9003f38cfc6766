import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/**
 * Location of the dashboard's renderer: the built `index.html`, or the
 * electron-vite dev server during `npm run dev`. Every URL check of the
 * shell (IPC senders, navigation, window.open, CSP) compares against it.
 */
export type AppLocation = { kind: 'file'; indexFile: string } | { kind: 'dev'; url: string };

/** Loopback host names that a dev server URL may use. */
const loopbackHosts = new Set(['localhost', '127.0.0.1', '[::1]']);

/**
 * Resolves the renderer location. `devUrl` (electron-vite's
 * `ELECTRON_RENDERER_URL`) wins only in an unpackaged app and only when it
 * points at a loopback http address, so a stray variable cannot make the
 * window load a remote page.
 */
export function resolveAppLocation(options: { rendererDir: string; devUrl: string | undefined; isPackaged: boolean }): AppLocation {
  if (!options.isPackaged && options.devUrl && isLoopbackHttpUrl(options.devUrl)) {
    return { kind: 'dev', url: new URL(options.devUrl).href };
  }

  return { kind: 'file', indexFile: path.resolve(options.rendererDir, 'index.html') };
}

/** Returns the URL that loads the dashboard. */
export function appUrl(location: AppLocation): string {
  return location.kind === 'dev' ? new URL(location.url).href : pathToFileURL(location.indexFile).href;
}

/**
 * Returns true when `url` is the dashboard itself: the same dev-server origin,
 * or the built `index.html` file (any query or hash). Other files, other
 * origins and unparsable strings are foreign.
 */
export function isAppUrl(url: string, location: AppLocation): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }

  if (location.kind === 'dev') return parsed.origin === new URL(location.url).origin;
  if (parsed.protocol !== 'file:' || parsed.host !== '') return false;

  return path.resolve(fileURLToPath(parsed)) === path.resolve(location.indexFile);
}

/**
 * Content-Security-Policy of the dashboard: scripts and styles come only from
 * the app (React and recharts set styles through the CSSOM, which the policy
 * allows). The dev server additionally injects `<style>` elements and needs a
 * WebSocket back to itself for hot reload.
 */
export function buildContentSecurityPolicy(location: AppLocation): string {
  const devOrigin = location.kind === 'dev' ? new URL(location.url).origin : null;
  const devSocket = devOrigin ? devOrigin.replace(/^http/, 'ws') : null;

  const directives: [string, string[]][] = [
    ['default-src', ["'self'"]],
    ['script-src', ["'self'"]],
    ['style-src', devOrigin ? ["'self'", "'unsafe-inline'"] : ["'self'"]],
    ['img-src', ["'self'", 'data:']],
    ['font-src', ["'self'", 'data:']],
    ['connect-src', devSocket ? ["'self'", devSocket] : ["'self'"]],
    ['object-src', ["'none'"]],
    ['base-uri', ["'none'"]],
    ['form-action', ["'none'"]],
    ['frame-src', ["'none'"]],
    ['frame-ancestors', ["'none'"]],
  ];

  return directives.map(([name, sources]) => `${name} ${sources.join(' ')}`).join('; ');
}

function isLoopbackHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);

    return (url.protocol === 'http:' || url.protocol === 'https:') && loopbackHosts.has(url.hostname);
  } catch {
    return false;
  }
}
