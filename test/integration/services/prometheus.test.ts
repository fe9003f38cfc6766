import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { ServiceInfo } from '../../../src/common/methods/services';
import { createHub, type Hub } from '../../../src/main/core/hub';
import { createSilentLogger } from '../../../src/main/core/logger';
import { resolveProgram } from '../../../src/main/core/services/detection';
import { pickFreePort } from '../../../src/main/core/services/portCheck';
import { waitFor } from './supervisorHarness';

const prometheusInstalled = resolveProgram('prometheus', { pythonEnvDir: null, pathVariable: process.env['PATH'] ?? '' }) !== null;
let hub: Hub | null = null;

afterEach(async () => {
  await hub?.close();
  hub = null;
});

function getJson(url: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    http
      .get(url, { agent: false }, (response) => {
        let body = '';
        response.on('data', (chunk: Buffer) => (body += chunk.toString()));
        response.on('end', () => resolve(JSON.parse(body)));
      })
      .once('error', reject);
  });
}

interface TargetsReply {
  data: { activeTargets: { health: string; scrapeUrl: string; lastError: string }[] };
}

describe('Supervisor with Prometheus', () => {
  // Debian's `prometheus` package provides the binary; `.ci/run` installs it.
  it.skipIf(!prometheusInstalled)('runs Prometheus scraping the hub /metrics with the token', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    process.env['MLOPS_HUB_HOME'] = dataDir;
    const port = await pickFreePort();
    fs.writeFileSync(path.join(dataDir, 'services.json'), JSON.stringify({ overrides: { prometheus: { port } } }));
    hub = await createHub({ dataDir, log: createSilentLogger(), listen: { port: 0 } });
    const context = { transport: 'internal' } as const;

    await hub.call('services:start', { name: 'prometheus' }, context);
    const state = async (): Promise<string> => ((await hub!.call('services:list', {}, context)) as ServiceInfo[]).find((service) => service.name === 'prometheus')!.state;
    await waitFor(async () => (await state()) === 'running', 'Prometheus readiness', 30_000);

    const targets = async (): Promise<TargetsReply['data']['activeTargets']> => ((await getJson(`http://127.0.0.1:${port}/api/v1/targets`)) as TargetsReply).data.activeTargets;
    await waitFor(async () => (await targets())[0]?.health === 'up', 'a successful scrape of the hub', 45_000);

    const [target] = await targets();
    expect(target!.scrapeUrl).toBe(`http://127.0.0.1:${hub.port}/metrics`);
    expect(fs.readFileSync(path.join(dataDir, 'services', 'prometheus', 'prometheus.yml'), 'utf8')).not.toContain(hub.token);
    const query = encodeURIComponent('mlops_hub_service_state{service="prometheus"}');
    const reply = (await getJson(`http://127.0.0.1:${port}/api/v1/query?query=${query}`)) as { data: { result: unknown[] } };
    expect(reply.data.result.length).toBe(8);
  }, 90_000);
});
