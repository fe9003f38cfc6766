import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import type { HubEvent } from '../../../src/common/events';
import { EventBus } from '../../../src/main/core/eventBus';
import { createHub, type Hub } from '../../../src/main/core/hub';
import { createSilentLogger } from '../../../src/main/core/logger';
import { resolveHubPaths } from '../../../src/main/core/paths';
import { readStartTime } from '../../../src/main/core/services/processInfo';
import { serviceDefinitionSchema, servicesSettingsSchema, type ServiceDefinitionInput } from '../../../src/main/core/services/definition';
import { Supervisor } from '../../../src/main/core/services/supervisor';

export const fixturesDir = path.join(path.dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** A definition running a fixture script under this Node binary. */
export function fixtureService(name: string, script: string, args: string[] = [], extra: Partial<ServiceDefinitionInput> = {}): ServiceDefinitionInput {
  return { name, command: process.execPath, args: [path.join(fixturesDir, script), ...args], readiness: { type: 'alive', forMs: 100 }, ...extra };
}

export interface Harness {
  dataDir: string;
  supervisor: Supervisor;
  events: HubEvent[];
  close(): Promise<void>;
}

/** Creates a supervisor in a fresh temporary data folder, with `MLOPS_HUB_HOME` pointing at it. */
export async function createHarness(inputs: ServiceDefinitionInput[], options: { logMaxBytes?: number } = {}): Promise<Harness> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  process.env['MLOPS_HUB_HOME'] = dataDir;
  const paths = resolveHubPaths(dataDir);
  const log = createSilentLogger();
  const bus = new EventBus(log);
  const events: HubEvent[] = [];
  bus.onDidEmit((event) => events.push(event));

  const supervisor = new Supervisor({
    dataDir,
    logsDir: paths.logsDir,
    childrenFile: paths.childrenFile,
    log,
    events: bus,
    settings: servicesSettingsSchema.parse({}),
    hubAddress: () => ({ url: 'http://127.0.0.1:5180', socketPath: paths.socketPath, tokenFile: paths.tokenFile }),
    ...options,
  });
  await supervisor.setDefinitions('builtin', inputs.map((input) => serviceDefinitionSchema.parse(input)));

  return { dataDir, supervisor, events, close: () => supervisor.close() };
}

/** Polls `check` every 50 ms until it returns true; throws after `timeoutMs`. */
export async function waitFor(check: () => boolean | Promise<boolean>, what: string, timeoutMs = 20_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Returns whether a pid is a live (non-zombie) process. */
export function isAlive(pid: number): boolean {
  return readStartTime(pid) !== null;
}

/** Creates a fresh temporary folder. */
export function tempFolder(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
}

/** Starts a hub on a free 127.0.0.1 port with a fresh data folder that `MLOPS_HUB_HOME` points at. */
export async function startTempHub(): Promise<Hub> {
  const dataDir = tempFolder();
  process.env['MLOPS_HUB_HOME'] = dataDir;

  return createHub({ dataDir, log: createSilentLogger(), listen: { port: 0 } });
}
