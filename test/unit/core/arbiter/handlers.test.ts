import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HubError } from '../../../../src/common/errors';
import type { LeaseOverview, LeaseView } from '../../../../src/common/methods/leases';
import { createHub, type Hub } from '../../../../src/main/core/hub';
import { createSilentLogger } from '../../../../src/main/core/logger';

const context = { transport: 'internal' } as const;
let home: string;
let hub: Hub;

beforeEach(async () => {
  home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  process.env['MLOPS_HUB_HOME'] = home;
  hub = await createHub({ dataDir: home, log: createSilentLogger(), listen: false });
});

afterEach(async () => {
  await hub.close();
  fs.rmSync(home, { recursive: true, force: true });
});

async function callError(name: string, input: unknown): Promise<HubError> {
  try {
    await hub.call(name, input, context);
  } catch (error) {
    if (error instanceof HubError) return error;
    throw error;
  }
  throw new Error(`${name} succeeded; expected a HubError`);
}

describe('createLeasesHandlers', () => {
  it('rejects bad amounts by name', async () => {
    const cases: [unknown, string][] = [
      [{ memoryGb: -1 }, 'invalid `resources.memoryGb`: expected >= 0, received number -1'],
      [{ memoryGb: '12' }, 'invalid `resources.memoryGb`: expected number, received string "12"'],
      [{ gpuShare: 1.5 }, 'invalid `resources.gpuShare`: expected <= 1, received number 1.5'],
      [{ vram: 4 }, 'unknown field `vram` in `resources`; remove it'],
      [{ neuralEngine: 1 }, 'invalid `resources.neuralEngine`: expected boolean, received number 1'],
    ];

    for (const [resources, message] of cases) {
      const error = await callError('leases:request', { pid: process.pid, resources });
      expect(error.code).toBe('INVALID_PARAMETER_VALUE');
      expect(error.message).toContain(message);
    }
  });

  it('leaves other leases untouched on bad input', async () => {
    const lease = (await hub.call('leases:request', { pid: process.pid, resources: { cpuCores: 1 } }, context)) as LeaseView;
    await callError('leases:request', { pid: process.pid, resources: { memoryGb: 100_000 } });
    await callError('leases:heartbeat', { leaseId: 'missing' });
    await callError('leases:release', { leaseId: lease.leaseId, project: 'other' });
    await callError('leases:release', { leaseId: lease.leaseId, pid: process.pid + 1 });

    const overview = (await hub.call('leases:list', {}, context)) as LeaseOverview;
    expect(overview.leases).toHaveLength(1);
    expect(overview.leases[0]?.state).toBe('granted');
  });

  it('rejects a project that is not registered', async () => {
    const error = await callError('leases:request', { project: 'ghost', pid: process.pid, resources: { cpuCores: 1 } });

    expect(error.code).toBe('RESOURCE_DOES_NOT_EXIST');
    expect(error.message).toContain('project ghost is not registered');
  });

  it('reads priority and weight from mlops.yaml', async () => {
    const folder = path.join(home, 'lora');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'mlops.yaml'), 'name: lora\npriority: high\nweight: 3\nresources:\n  memory_gb: 4\n');
    await hub.call('projects:add', { path: folder }, context);

    const lease = (await hub.call('leases:request', { project: 'lora', pid: process.pid, resources: { memoryGb: 2 } }, context)) as LeaseView;
    const overCap = await callError('leases:request', { project: 'lora', pid: process.pid, resources: { memoryGb: 6 } });

    expect(lease.priority).toBe('high');
    expect(((await hub.call('leases:list', {}, context)) as LeaseOverview).shares[0]?.weight).toBe(3);
    expect(overCap.message).toContain("project lora's mlops.yaml resources cap: requests 6 GB of memory but the cap is 4 GB of memory");
  });

  it('applies mlops.yaml edits without a restart', async () => {
    const folder = path.join(home, 'lora');
    fs.mkdirSync(folder);
    const configFile = path.join(folder, 'mlops.yaml');
    fs.writeFileSync(configFile, 'name: lora\npriority: high\nweight: 3\nresources:\n  memory_gb: 4\n');
    await hub.call('projects:add', { path: folder }, context);
    await hub.call('leases:request', { project: 'lora', pid: process.pid, resources: { memoryGb: 2 } }, context);

    fs.writeFileSync(configFile, 'name: lora\npriority: low\nweight: 2\nresources:\n  memory_gb: 8\n');
    // A later modification time, because the edit may land within the file system's time resolution.
    const later = new Date(Date.now() + 60_000);
    fs.utimesSync(configFile, later, later);
    const lease = (await hub.call('leases:request', { project: 'lora', pid: process.pid, resources: { memoryGb: 5 } }, context)) as LeaseView;

    expect(lease.priority).toBe('low');
    expect(lease.resources.memoryGb).toBe(5);
    expect(((await hub.call('leases:list', {}, context)) as LeaseOverview).shares[0]?.weight).toBe(2);
  });
});
