import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** `out/renderer` of this checkout: src/main/core/api is four folders below the root. */
export const defaultStaticDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../../out/renderer');

/**
 * Policy for the dashboard: scripts, data and styles from this origin only.
 * React and the chart library set styles through the DOM (CSSOM), which
 * `style-src 'self'` allows, so no inline styles are needed.
 */
export const contentSecurityPolicy = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
};

const missingBuildPage = `<!doctype html>
<html><head><meta charset="utf-8"><title>MLOps Hub</title></head>
<body><h1>MLOps Hub is running</h1>
<p>The dashboard has not been built. Run <code>npm run build</code> in the MLOps Hub folder, then reload this page.</p>
<p>The API is served under <code>/api/hub/</code> and <code>/api/2.0/mlflow/</code>.</p></body></html>
`;

/**
 * Serves a file of the renderer build. Paths without a file fall back to
 * `index.html` so the dashboard's client-side routes load; `/assets/*` does not.
 */
export function serveStatic(response: http.ServerResponse, pathname: string, staticDir: string, method: string): void {
  const indexFile = path.join(staticDir, 'index.html');
  if (!fs.existsSync(indexFile)) {
    writeFile(response, 200, 'text/html; charset=utf-8', Buffer.from(missingBuildPage), method);
    return;
  }

  const file = resolveInside(staticDir, pathname);
  if (file && isFile(file)) {
    const type = contentTypes[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    writeFile(response, 200, type, fs.readFileSync(file), method, file.includes(`${path.sep}assets${path.sep}`));
    return;
  }

  if (pathname.startsWith('/assets/') || path.extname(pathname) !== '') {
    writeFile(response, 404, 'text/plain; charset=utf-8', Buffer.from(`Not found: ${pathname}\n`), method);
    return;
  }

  writeFile(response, 200, 'text/html; charset=utf-8', fs.readFileSync(indexFile), method);
}

/** Absolute path of `pathname` inside `root`, or null when it escapes the folder. */
function resolveInside(root: string, pathname: string): string | null {
  const relative = pathname === '/' ? 'index.html' : pathname.replace(/^\/+/, '');
  const file = path.resolve(root, relative);

  return file === root || file.startsWith(`${root}${path.sep}`) ? file : null;
}

function isFile(file: string): boolean {
  try {
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function writeFile(response: http.ServerResponse, status: number, type: string, body: Buffer, method: string, immutable = false): void {
  response.writeHead(status, {
    'Content-Type': type,
    'Content-Length': body.length,
    'Content-Security-Policy': contentSecurityPolicy,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    // The dashboard URL carries the token in its query string; no Referer may leak it.
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': immutable ? 'public, max-age=31536000, immutable' : 'no-store',
  });
  response.end(method === 'HEAD' ? undefined : body);
}
