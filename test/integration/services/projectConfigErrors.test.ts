import fs from 'node:fs';
import path from 'node:path';

import { afterEach, describe, expect, it } from 'vitest';

import type { ServiceInfo } from '../../../src/common/methods/services';
import { type Hub } from '../../../src/main/core/hub';
import { fixturesDir, startTempHub, tempFolder } from './supervisorHarness';

const context = { transport: 'internal' } as const;
const node = JSON.stringify(process.execPath);
const idle = JSON.stringify(path.join(fixturesDir, 'idle.mjs'));
let hub: Hub | null = null;

afterEach(async () => {
  await hub?.close();
  hub = null;
});

/** Starts a hub with the project `edited`, whose mlops.yaml first declares one valid service. */
async function startHubWithProject(): Promise<{ current: Hub; projectDir: string }> {
  const current = await startTempHub();
  const projectDir = tempFolder();
  writeYaml(projectDir, ['services:', '  one:', `    command: ${node}`, `    args: [${idle}]`]);
  await current.call('projects:add', { path: projectDir, name: 'edited' }, context);

  return { current, projectDir };
}

function writeYaml(folder: string, lines: string[]): void {
  fs.writeFileSync(path.join(folder, 'mlops.yaml'), `${lines.join('\n')}\n`);
}

async function projectRows(current: Hub): Promise<ServiceInfo[]> {
  return ((await current.call('services:list', {}, context)) as ServiceInfo[]).filter((service) => service.source === 'edited');
}

describe('Supervisor config errors of a project', () => {
  it('lists a bad port and keeps the valid service', async () => {
    const started = await startHubWithProject();
    hub = started.current;
    writeYaml(started.projectDir, ['services:', '  one:', `    command: ${node}`, `    args: [${idle}]`, '  two:', `    command: ${node}`, '    port: 70000']);

    const rows = await projectRows(hub);

    expect(rows.map((row) => row.name)).toEqual(['edited.one', 'edited']);
    expect(rows[1]!.configError).toBe(true);
    expect(rows[1]!.reason).toContain('line 7: `services.two.port` must be a TCP port between 1 and 65535');
    await expect(hub.call('services:start', { name: 'edited.two' }, context)).rejects.toThrow('services block of project `edited` is invalid');
  });

  it('lists a misspelled field with its fix', async () => {
    const started = await startHubWithProject();
    hub = started.current;
    writeYaml(started.projectDir, ['services:', '  one:', `    command: ${node}`, '    depend_on: [two]']);

    const rows = await projectRows(hub);

    expect(rows.map((row) => row.name)).toEqual(['edited']);
    expect(rows[0]!.reason).toContain('`services.one.depend_on` is not a service field: check its spelling');
  });

  it('lists depends_on on an unknown service and keeps the others', async () => {
    const started = await startHubWithProject();
    hub = started.current;
    writeYaml(started.projectDir, ['services:', '  one:', `    command: ${node}`, `    args: [${idle}]`, '  two:', `    command: ${node}`, '    depends_on: [nothere]']);

    const rows = await projectRows(hub);

    expect(rows.map((row) => row.name)).toEqual(['edited.one', 'edited']);
    expect(rows[1]!.reason).toContain('Service `edited.two` depends on unknown service `nothere`');
  });

  it('lists malformed YAML and a cycle as errors of the whole block', async () => {
    const started = await startHubWithProject();
    hub = started.current;
    writeYaml(started.projectDir, ['services:', '  one:', `    command: ${node}`, '      args: [x]']);

    const malformed = await projectRows(hub);

    expect(malformed.map((row) => row.name)).toEqual(['edited']);
    expect(malformed[0]!.reason).toContain('invalid YAML');
    await expect(hub.call('services:start', { name: 'edited.one' }, context)).rejects.toThrow('invalid YAML');

    writeYaml(started.projectDir, ['services:', '  a:', `    command: ${node}`, '    depends_on: [b]', '  b:', `    command: ${node}`, '    depends_on: [a]']);
    const cyclic = await projectRows(hub);

    expect(cyclic.map((row) => row.name)).toEqual(['edited']);
    expect(cyclic[0]!.reason).toContain('`services.a.depends_on` forms a cycle');
  });
});
