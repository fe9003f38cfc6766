import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { serveStatic } from '../../../../src/main/core/api/static';
import { sendRequest } from '../../../integration/api/httpClient';

describe('serveStatic', () => {
  let root: string;
  let staticDir: string;
  let server: http.Server;
  let port: number;

  beforeEach(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    staticDir = path.join(root, 'renderer');
    fs.writeFileSync(path.join(root, 'secret.txt'), 'outside');
    server = http.createServer((request, response) => serveStatic(response, decodeURIComponent((request.url ?? '/').split('?')[0]!), staticDir, request.method ?? 'GET'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterEach(async () => {
    await new Promise((resolve) => server.close(resolve));
  });

  function writeBuild(): void {
    fs.mkdirSync(path.join(staticDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(staticDir, 'index.html'), '<html>dashboard</html>');
    fs.writeFileSync(path.join(staticDir, 'assets', 'app.js'), 'console.log(1)');
  }

  it('tells the user to build when the build is missing', async () => {
    const response = await sendRequest({ port }, { path: '/' });

    expect(response.status).toBe(200);
    expect(response.text).toContain('npm run build');
  });

  it('serves index.html with a strict CSP', async () => {
    writeBuild();
    const response = await sendRequest({ port }, { path: '/' });

    expect(response.text).toBe('<html>dashboard</html>');
    expect(response.headers['content-security-policy']).toContain("script-src 'self'");
    expect(response.headers['content-security-policy']).toContain("frame-ancestors 'none'");
    expect(response.headers['referrer-policy']).toBe('no-referrer');
  });

  it('serves assets with their content type', async () => {
    writeBuild();
    const response = await sendRequest({ port }, { path: '/assets/app.js' });

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/javascript');
  });

  it('falls back to index.html for client routes', async () => {
    writeBuild();
    const response = await sendRequest({ port }, { path: '/runs/abc' });

    expect(response.status).toBe(200);
    expect(response.text).toBe('<html>dashboard</html>');
  });

  it('answers 404 for a missing asset', async () => {
    writeBuild();
    const response = await sendRequest({ port }, { path: '/assets/missing.js' });

    expect(response.status).toBe(404);
  });

  it('never serves files outside the build folder', async () => {
    writeBuild();
    const response = await sendRequest({ port }, { path: '/%2e%2e/secret.txt' });

    expect(response.text).not.toContain('outside');
  });
});
