import path from 'node:path';
import { pathToFileURL } from 'node:url';

import { describe, expect, it } from 'vitest';

import { appUrl, buildContentSecurityPolicy, isAppUrl, resolveAppLocation, type AppLocation } from '../../../src/main/shell/appLocation';

const indexFile = path.resolve('/opt/mlops-hub/out/renderer/index.html');
const fileLocation: AppLocation = { kind: 'file', indexFile };
const devLocation: AppLocation = { kind: 'dev', url: 'http://localhost:5173/' };

describe('resolveAppLocation', () => {
  const rendererDir = path.dirname(indexFile);

  it('uses the built file by default', () => {
    expect(resolveAppLocation({ rendererDir, devUrl: undefined, isPackaged: false })).toEqual(fileLocation);
  });

  it('uses a loopback dev server', () => {
    expect(resolveAppLocation({ rendererDir, devUrl: 'http://localhost:5173', isPackaged: false })).toEqual(devLocation);
  });

  it('ignores a remote dev URL', () => {
    expect(resolveAppLocation({ rendererDir, devUrl: 'http://example.com:5173', isPackaged: false })).toEqual(fileLocation);
  });

  it('ignores the dev URL when packaged', () => {
    expect(resolveAppLocation({ rendererDir, devUrl: 'http://localhost:5173', isPackaged: true })).toEqual(fileLocation);
  });
});

describe('isAppUrl', () => {
  it.each([
    [pathToFileURL(indexFile).href, true],
    [`${pathToFileURL(indexFile).href}?token=x#/runs/abc`, true],
    [pathToFileURL(path.join(path.dirname(indexFile), 'other.html')).href, false],
    [pathToFileURL('/etc/passwd').href, false],
    ['https://example.com/', false],
    ['not a url', false],
    ['', false],
  ])('file location: %s is %s', (url, expected) => {
    expect(isAppUrl(url, fileLocation)).toBe(expected);
  });

  it.each([
    ['http://localhost:5173/', true],
    ['http://localhost:5173/src/main.tsx', true],
    ['http://localhost:5174/', false],
    ['http://127.0.0.1:5173/', false],
    [pathToFileURL(indexFile).href, false],
  ])('dev location: %s is %s', (url, expected) => {
    expect(isAppUrl(url, devLocation)).toBe(expected);
  });
});

describe('appUrl', () => {
  it('is the file URL of index.html', () => {
    expect(appUrl(fileLocation)).toBe(pathToFileURL(indexFile).href);
  });
});

describe('buildContentSecurityPolicy', () => {
  it('allows scripts only from the app', () => {
    const policy = buildContentSecurityPolicy(fileLocation);

    expect(policy).toContain("script-src 'self';");
    expect(policy).toContain("style-src 'self';");
    expect(policy).toContain("default-src 'self'");
    expect(policy).toContain("object-src 'none'");
    expect(policy).toContain("frame-ancestors 'none'");
    expect(policy).not.toContain('unsafe-eval');
  });

  it('lets the dev server reload over WebSocket', () => {
    const policy = buildContentSecurityPolicy(devLocation);

    expect(policy).toContain("connect-src 'self' ws://localhost:5173");
    expect(policy).toContain("script-src 'self';");
  });
});
