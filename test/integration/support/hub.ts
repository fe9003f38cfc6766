import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { createHub, type Hub, type HubOptions } from '../../../src/main/core/hub';
import { createSilentLogger } from '../../../src/main/core/logger';
import { sendRequest, type TestResponse } from '../api/httpClient';

/** A real hub listening on a free 127.0.0.1 port, with its own temporary data folder. */
export interface TestHub {
  /** The data folder, which `MLOPS_HUB_HOME` points at while the hub runs. */
  home: string;
  hub: Hub;
}

/**
 * Starts a hub on a fresh temporary folder with a silent logger and no renderer build.
 * `options.maxArtifactBytes` is passed to `createHub` as is.
 */
export async function startTestHub(options: Pick<HubOptions, 'maxArtifactBytes'> = {}): Promise<TestHub> {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  process.env['MLOPS_HUB_HOME'] = home;
  const hub = await createHub({ dataDir: home, log: createSilentLogger(), listen: { port: 0, staticDir: path.join(home, 'no-build') }, ...options });

  return { home, hub };
}

/** Closes the hub, then removes its data folder. */
export async function stopTestHub(testHub: TestHub): Promise<void> {
  await testHub.hub.close();
  fs.rmSync(testHub.home, { recursive: true, force: true });
}

/** Sends one HTTP request to the hub's TCP port with its bearer token and the given User-Agent. */
export function sendWithToken(hub: Hub, userAgent: string, method: string, requestPath: string, body?: string | Buffer, headers: Record<string, string> = {}): Promise<TestResponse> {
  return sendRequest({ port: hub.port! }, { method, path: requestPath, body, headers: { 'User-Agent': userAgent, Authorization: `Bearer ${hub.token}`, ...headers } });
}
