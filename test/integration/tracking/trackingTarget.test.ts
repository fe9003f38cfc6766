import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HubError } from '../../../src/common/errors';
import type { HubStatus } from '../../../src/common/methods/hub';
import type { ServiceInfo } from '../../../src/common/methods/services';
import type { RunDetail, RunPage } from '../../../src/common/methods/tracking';
import { createHub, type Hub } from '../../../src/main/core/hub';
import { createSilentLogger } from '../../../src/main/core/logger';
import { waitFor } from '../services/supervisorHarness';
import { seedRuns, startMlflowServerHub, type MlflowServerHub, type SeededRuns } from './mlflowServerHub';

const context = { transport: 'internal' } as const;

let server: MlflowServerHub;
let seeded: SeededRuns;
let hub: Hub;

/**
 * The hub under test prefers the managed server. Its `mlflow` service is replaced
 * by an idle Node process, and `trackingServerUrl` points the managed target at
 * the second hub, which serves the MLflow REST API.
 */
beforeEach(async () => {
  server = await startMlflowServerHub();
  seeded = await seedRuns(server);

  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  process.env['MLOPS_HUB_HOME'] = dataDir;
  const idleService = { command: process.execPath, args: ['-e', 'setInterval(() => {}, 1 << 30)'], port: null, readiness: { type: 'alive', forMs: 0 } };
  const settings = { trackingTarget: 'managed', trackingServerUrl: server.url, trackingServerTokenFile: server.hub.paths.tokenFile, overrides: { mlflow: idleService } };
  fs.writeFileSync(path.join(dataDir, 'services.json'), JSON.stringify(settings));
  hub = await createHub({ dataDir, log: createSilentLogger(), listen: { port: 0, staticDir: path.join(dataDir, 'no-build') } });
});

afterEach(async () => {
  await hub.close();
  await server.hub.close();
});

async function startMlflowService(): Promise<void> {
  await hub.call('services:start', { name: 'mlflow' }, context);
  await waitFor(async () => ((await hub.call('services:list', {}, context)) as ServiceInfo[]).some((service) => service.name === 'mlflow' && service.state === 'running'), 'mlflow running');
}

async function status(): Promise<HubStatus> {
  return (await hub.call('hub:status', {}, context)) as HubStatus;
}

describe('createHub tracking target', () => {
  it('reads the embedded store while the managed service is stopped', async () => {
    const page = (await hub.call('runs:list', {}, context)) as RunPage;

    expect((await status()).trackingTarget).toEqual({ kind: 'embedded', url: null });
    expect(page.runs).toEqual([]);
  });

  it('reads runs from the managed server while it runs', async () => {
    await startMlflowService();

    const page = (await hub.call('runs:list', {}, context)) as RunPage;
    const detail = (await hub.call('runs:get', { runId: seeded.cnnRunId }, context)) as RunDetail;

    expect((await status()).trackingTarget).toEqual({ kind: 'managed', url: server.url });
    expect(page.runs.map((run) => run.runName)).toEqual(['cnn', 'plain']);
    expect(detail.project).toBe('vision');
  });

  it('returns to the embedded store when the user switches back', async () => {
    await startMlflowService();

    await hub.call('services:trackingTarget', { preference: 'embedded' }, context);
    const page = (await hub.call('runs:list', {}, context)) as RunPage;

    expect((await status()).trackingTarget.kind).toBe('embedded');
    expect(page.runs).toEqual([]);
  });

  it('fails with TEMPORARILY_UNAVAILABLE when the server is down', async () => {
    await startMlflowService();
    await server.hub.close();

    const error: unknown = await hub.call('experiments:list', {}, context).catch((reason: unknown) => reason);

    expect(error).toBeInstanceOf(HubError);
    expect((error as HubError).code).toBe('TEMPORARILY_UNAVAILABLE');
    expect((error as HubError).message).toContain(`managed MLflow server at ${server.url} does not answer`);
    expect((error as HubError).message).toContain('switch the tracking target back to the embedded store');
  });
});
