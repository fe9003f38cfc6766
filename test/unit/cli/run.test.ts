import fs from 'node:fs';
import path from 'node:path';

import { beforeEach, describe, expect, it } from 'vitest';

import { type CliDeps } from '../../../src/main/cli/deps';
import { runCli } from '../../../src/main/cli/run';
import { EventBus } from '../../../src/main/core/eventBus';
import { createSilentLogger } from '../../../src/main/core/logger';
import { resolveHubPaths } from '../../../src/main/core/paths';
import { openDatabase } from '../../../src/main/core/storage/database';
import { allMigrations } from '../../../src/main/core/storage/migrations';
import { Tracking } from '../../../src/main/core/tracking/tracking';
import { createCliHarness } from './cliHarness';

describe('runCli', () => {
  let home: string;
  let out: string[];
  let err: string[];
  let deps: CliDeps;

  beforeEach(() => {
    ({ home, out, err, deps } = createCliHarness());
  });

  const run = (...args: string[]): Promise<number> => runCli(['node', 'mlops-hub', ...args], deps);

  /** Logs one run in an experiment tagged with `project`, as a script does before its folder is registered. */
  function logRunInProject(project: string): void {
    const log = createSilentLogger();
    const db = openDatabase({ file: resolveHubPaths(home).databaseFile, migrations: allMigrations, log });
    const tracking = new Tracking({ db, log, events: new EventBus(log), now: () => 1_000 });
    const experiment = tracking.createExperiment(project, undefined, [{ key: 'mlops_hub.project', value: project }]);
    tracking.createRun({ experimentId: String(experiment.experiment_id), tags: [] });
    db.close();
  }

  it('adds and lists projects without a running hub', async () => {
    fs.mkdirSync(path.join(home, 'digits'));

    expect(await run('projects', 'add', 'digits')).toBe(0);
    expect(out[0]).toBe(`Registered project digits (${fs.realpathSync(path.join(home, 'digits'))})`);
    expect(err[0]).toMatch(/^mlops-hub: no hub is running; using the store in /);

    expect(await run('projects', 'list', '--json')).toBe(0);
    expect((JSON.parse(out[1]!) as { name: string }[]).map((project) => project.name)).toEqual(['default', 'digits']);
  });

  it('reports a missing project path in one line', async () => {
    expect(await run('projects', 'add', '/nonexistent-mlops-folder')).toBe(1);
    expect(err.at(-1)).toBe('mlops-hub: projects add: path /nonexistent-mlops-folder does not exist; pass an existing project folder');
  });

  it('reports a duplicate project name', async () => {
    fs.mkdirSync(path.join(home, 'a'));
    fs.mkdirSync(path.join(home, 'b'));
    await run('projects', 'add', 'a', '--name', 'shared');

    expect(await run('projects', 'add', 'b', '--name', 'shared')).toBe(1);
    expect(err.at(-1)).toBe('mlops-hub: projects add: project `shared` already exists; choose another name');
  });

  it('reports a malformed mlops.yaml with key and line', async () => {
    fs.mkdirSync(path.join(home, 'a'));
    fs.writeFileSync(path.join(home, 'a', 'mlops.yaml'), 'name: a\nweight: heavy\n');

    expect(await run('projects', 'add', 'a')).toBe(1);
    expect(err.at(-1)).toBe('mlops-hub: projects add: mlops.yaml line 2: `weight` must be a number; got `heavy`');
  });

  it('writes mlops.yaml on init and never overwrites it', async () => {
    expect(await run('init', '--name', 'first')).toBe(0);
    expect(fs.readFileSync(path.join(home, 'mlops.yaml'), 'utf8')).toContain('name: first');

    expect(await run('init', '--name', 'second')).toBe(1);
    expect(err.at(-1)).toMatch(/^mlops-hub: init: .*mlops\.yaml already exists and the folder is registered as project `first`; edit the file/);
    expect(fs.readFileSync(path.join(home, 'mlops.yaml'), 'utf8')).toContain('name: first');
  });

  it('init keeps the name of a registered folder', async () => {
    await run('projects', 'add', '.', '--name', 'registered');

    expect(await run('init')).toBe(0);
    expect(out.at(-1)).toBe('Project registered was already registered');
    expect(fs.readFileSync(path.join(home, 'mlops.yaml'), 'utf8')).toContain('name: registered');
  });

  it('init rejects another name for a registered folder', async () => {
    await run('projects', 'add', '.', '--name', 'registered');

    expect(await run('init', '--name', 'other')).toBe(1);
    expect(err.at(-1)).toMatch(/is already registered as project `registered`; rename it with `mlops-hub projects rename registered other`$/);
    expect(fs.existsSync(path.join(home, 'mlops.yaml'))).toBe(false);
  });

  it('init names the registered project when mlops.yaml exists', async () => {
    expect(await run('init', '--name', 'first')).toBe(0);

    expect(await run('init')).toBe(1);
    expect(err.at(-1)).toMatch(/already exists and the folder is registered as project `first`; edit the file to change its settings$/);
    expect(err.at(-1)).not.toContain('projects add');
  });

  it('init suggests projects add for an unregistered mlops.yaml', async () => {
    fs.writeFileSync(path.join(home, 'mlops.yaml'), 'name: kept\n');

    expect(await run('init')).toBe(1);
    expect(err.at(-1)).toMatch(/mlops\.yaml already exists; edit it, or register the folder with `mlops-hub projects add \.`$/);
    expect(await run('projects', 'add', '.')).toBe(0);
  });

  it('init names --name when the folder has no letters', async () => {
    deps.cwd = path.join(home, '___');
    fs.mkdirSync(deps.cwd);

    expect(await run('init')).toBe(1);
    expect(err.at(-1)).toMatch(/^mlops-hub: init: cannot derive a project name from folder .*___; pass one with `--name NAME`/);
  });

  it('init slugifies a Unicode folder name', async () => {
    deps.cwd = path.join(home, 'Ünïcødé Proj');
    fs.mkdirSync(deps.cwd);

    expect(await run('init')).toBe(0);
    expect(out.at(-1)).toBe('Registered project unicode-proj');
  });

  it('prints a slug error once, without the method name', async () => {
    expect(await run('projects', 'add', '.', '--name', 'Bad_Name')).toBe(1);
    expect(err.at(-1)).toMatch(/^mlops-hub: projects add: invalid `name`: must be a slug/);
  });

  it('reports an overindented mlops.yaml key on its own line', async () => {
    fs.writeFileSync(path.join(home, 'mlops.yaml'), 'name: a\npriority: normal\n  weight: 2\n');

    expect(await run('projects', 'add', '.')).toBe(1);
    expect(err.at(-1)).toMatch(/^mlops-hub: projects add: mlops\.yaml line 3: /);
  });

  it('lists and purges a project that only experiments name', async () => {
    logRunInProject('digits-classifier');

    expect(await run('projects', 'list')).toBe(0);
    expect(out.at(-1)).toMatch(/\ndigits-classifier .* \(not registered\)$/);
    expect(await run('projects', 'remove', 'digits-classifier', '--purge')).toBe(0);
    expect(out.at(-1)).toBe('Removed project digits-classifier and deleted 1 run in 1 experiment');
    expect(err.at(-1)).not.toMatch(/no experiment belongs/);
    expect(await run('runs', 'list', '--json')).toBe(0);
    expect(JSON.parse(out.at(-1)!)).toMatchObject({ total: 0 });
  });

  it('warns when a purge finds no experiments', async () => {
    fs.mkdirSync(path.join(home, 'empty'));
    await run('projects', 'add', 'empty');

    expect(await run('projects', 'remove', 'empty', '--purge')).toBe(0);
    expect(out.at(-1)).toBe('Removed project empty and deleted 0 runs in 0 experiments');
    expect(err.at(-1)).toBe('mlops-hub: no experiment belongs to project empty; `mlops-hub projects list` lists the projects that have runs');
  });

  it('rejects runs list of an unknown project', async () => {
    expect(await run('runs', 'list', '--project', 'nope')).toBe(1);
    expect(err.at(-1)).toBe('mlops-hub: runs list: project `nope` does not exist; list projects with `mlops-hub projects list`');
  });

  it('lists runs of a project that only experiments name', async () => {
    logRunInProject('digits-classifier');

    expect(await run('runs', 'list', '--project', 'digits-classifier', '--json')).toBe(0);
    expect(JSON.parse(out.at(-1)!)).toMatchObject({ total: 1 });
  });

  it('warns when an added folder has no mlops.yaml', async () => {
    fs.mkdirSync(path.join(home, 'bare'));

    expect(await run('projects', 'add', 'bare')).toBe(0);
    expect(err.at(-1)).toMatch(/has no mlops\.yaml, so scripts log to this project only with start_run\(project="bare"\)/);
  });

  it('exits 1 from status when no hub runs', async () => {
    expect(await run('status')).toBe(1);
    expect(err.at(-1)).toMatch(/^mlops-hub: status: the hub is not running .*; start it with `mlops-hub serve`$/);
  });

  it('rejects a non-loopback host for serve', async () => {
    expect(await run('serve', '--host', '0.0.0.0')).toBe(1);
    expect(err.at(-1)).toMatch(/^mlops-hub: serve: `--host` must be 127\.0\.0\.1; got `0\.0\.0\.0`/);
  });

  it('lists runs from the store as JSON', async () => {
    expect(await run('runs', 'list', '--json')).toBe(0);
    expect(JSON.parse(out[0]!)).toMatchObject({ runs: [], total: 0 });
  });
});
