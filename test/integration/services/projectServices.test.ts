import fs from 'node:fs';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { ServiceInfo } from '../../../src/common/methods/services';
import { type Hub } from '../../../src/main/core/hub';
import { fixturesDir, startTempHub, tempFolder, waitFor } from './supervisorHarness';

const context = { transport: 'internal' } as const;
let hub: Hub | null = null;

afterEach(async () => {
  await hub?.close();
  hub = null;
});

function writeYaml(folder: string, lines: string[]): void {
  fs.writeFileSync(path.join(folder, 'mlops.yaml'), `${lines.join('\n')}\n`);
}

async function services(current: Hub): Promise<ServiceInfo[]> {
  return (await current.call('services:list', {}, context)) as ServiceInfo[];
}

describe('Project services', () => {
  it('injects the hub address and tracking URI', async () => {
    hub = await startTempHub();
    const projectDir = tempFolder();
    const envFile = path.join(projectDir, 'env.json');
    writeYaml(projectDir, ['services:', '  probe:', `    command: ${JSON.stringify(process.execPath)}`, `    args: [${JSON.stringify(path.join(fixturesDir, 'writeEnv.mjs'))}, env.json]`]);

    await hub.call('projects:add', { path: projectDir, name: 'envproj' }, context);
    await waitFor(async () => (await services(hub!)).some((service) => service.name === 'envproj.probe'), 'project service');
    await hub.call('services:start', { name: 'envproj.probe' }, context);
    await waitFor(() => fs.existsSync(envFile) && fs.statSync(envFile).size > 0, 'environment file');

    const env = JSON.parse(fs.readFileSync(envFile, 'utf8')) as Record<string, string>;
    expect(env['MLFLOW_TRACKING_URI']).toBe(`http://127.0.0.1:${hub.port}`);
    expect(env['MLOPS_HUB_URL']).toBe(`http://127.0.0.1:${hub.port}`);
    expect(env['MLOPS_HUB_SOCKET']).toBe(hub.paths.socketPath);
    expect(env['MLFLOW_TRACKING_TOKEN']).toBe(hub.token);
  });

  it('rejects a malformed service block with its key and line', async () => {
    hub = await startTempHub();
    const good = tempFolder();
    writeYaml(good, ['services:', '  idle:', `    command: ${JSON.stringify(process.execPath)}`, `    args: [${JSON.stringify(path.join(fixturesDir, 'idle.mjs'))}]`]);
    await hub.call('projects:add', { path: good, name: 'good' }, context);
    await waitFor(async () => (await services(hub!)).some((service) => service.name === 'good.idle'), 'good project service');
    await hub.call('services:start', { name: 'good.idle' }, context);
    const bad = tempFolder();

    writeYaml(bad, ['services:', '  api:', '    command: python3', '    port: 70000']);
    await expect(hub.call('projects:add', { path: bad, name: 'bad' }, context)).rejects.toThrow('mlops.yaml line 4: `services.api.port` must be a TCP port between 1 and 65535');
    writeYaml(bad, ['services:', '  api:', '    command: python3', '    depends_on: mlflow']);
    await expect(hub.call('projects:add', { path: bad, name: 'bad' }, context)).rejects.toThrow('mlops.yaml line 4: `services.api.depends_on`');
    writeYaml(bad, ['services:', '  api:', '    command: python3', '    stop_sigal: SIGINT']);
    await expect(hub.call('projects:add', { path: bad, name: 'bad' }, context)).rejects.toThrow('`services.api.stop_sigal` is not a service field');
    writeYaml(bad, ['services:', '  Bad_Name:', '    command: python3']);
    await expect(hub.call('projects:add', { path: bad, name: 'bad' }, context)).rejects.toThrow('`services.Bad_Name` is not a valid service name');

    const list = await services(hub);
    expect(list.find((service) => service.name === 'good.idle')?.state).toMatch(/starting|running/);
    expect(list.some((service) => service.source === 'bad')).toBe(false);
  });

  it('reloads an edited mlops.yaml', async () => {
    hub = await startTempHub();
    const projectDir = tempFolder();
    const node = JSON.stringify(process.execPath);
    const idle = JSON.stringify(path.join(fixturesDir, 'idle.mjs'));
    writeYaml(projectDir, ['services:', '  one:', `    command: ${node}`, `    args: [${idle}]`]);
    await hub.call('projects:add', { path: projectDir, name: 'growing' }, context);
    await waitFor(async () => (await services(hub!)).some((service) => service.name === 'growing.one'), 'first service');
    const first = (await hub.call('services:start', { name: 'growing.one' }, context)) as ServiceInfo;

    writeYaml(projectDir, ['services:', '  one:', `    command: ${node}`, `    args: [${idle}, changed]`, '  two:', `    command: ${node}`, `    args: [${idle}]`]);
    // The registry reloads mlops.yaml when its modification time changes.
    fs.utimesSync(path.join(projectDir, 'mlops.yaml'), new Date(), new Date(Date.now() + 5000));
    const list = (await services(hub)).filter((service) => service.source === 'growing');

    expect(list.map((service) => service.name)).toEqual(['growing.one', 'growing.two']);
    const restarted = list.find((service) => service.name === 'growing.one')!;
    expect(restarted.state).toBe('starting');
    expect(restarted.pid).not.toBe(first.pid);
  });

  it('rejects depends_on that forms a cycle', async () => {
    hub = await startTempHub();
    const cyclic = tempFolder();
    const idle = path.join(fixturesDir, 'idle.mjs');
    const node = JSON.stringify(process.execPath);
    writeYaml(cyclic, ['services:', '  a:', `    command: ${node}`, `    args: [${JSON.stringify(idle)}]`, '    depends_on: [b]', '  b:', `    command: ${node}`, `    args: [${JSON.stringify(idle)}]`, '    depends_on: [a]']);

    await expect(hub.call('projects:add', { path: cyclic, name: 'cyclic' }, context)).rejects.toThrow('mlops.yaml line 5: `services.a.depends_on` forms a cycle: a -> b -> a');

    const list = await services(hub);
    expect(list.some((service) => service.source === 'cyclic')).toBe(false);
    expect(list.some((service) => service.name === 'mlflow')).toBe(true);
  });
});
