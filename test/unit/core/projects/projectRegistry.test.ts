import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { HubError } from '../../../../src/common/errors';
import { type HubEvent } from '../../../../src/common/events';
import { EventBus } from '../../../../src/main/core/eventBus';
import { createSilentLogger } from '../../../../src/main/core/logger';
import { deriveProjectName, ProjectRegistry } from '../../../../src/main/core/projects/projectRegistry';
import { type Db, openDatabase } from '../../../../src/main/core/storage/database';
import { allMigrations } from '../../../../src/main/core/storage/migrations';
import { Tracking } from '../../../../src/main/core/tracking/tracking';

function expectHubError(action: () => unknown, code: string, pattern: RegExp): void {
  let caught: unknown;
  try {
    action();
  } catch (error) {
    caught = error;
  }

  expect(caught).toBeInstanceOf(HubError);
  expect((caught as HubError).code).toBe(code);
  expect((caught as HubError).message).toMatch(pattern);
}

/** Moves a file's modification time forward, as a later edit would, without waiting for the clock. */
function bumpMtime(file: string): void {
  const later = new Date(fs.statSync(file).mtimeMs + 5_000);
  fs.utimesSync(file, later, later);
}

describe('ProjectRegistry', () => {
  let home: string;
  let db: Db;
  let tracking: Tracking;
  let registry: ProjectRegistry;
  let events: HubEvent[];

  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    process.env['MLOPS_HUB_HOME'] = home;
    const log = createSilentLogger();
    const bus = new EventBus(log);
    events = [];
    bus.onDidEmit((event) => events.push(event));
    db = openDatabase({ file: path.join(home, 'hub.db'), migrations: allMigrations, log });
    tracking = new Tracking({ db, log, events: bus, now: () => 1_000 });
    registry = new ProjectRegistry({ db, log, events: bus, now: () => 5_000, tracking });
  });

  afterEach(() => {
    db.close();
  });

  function makeFolder(name: string, config?: string): string {
    const folder = path.join(home, name);
    fs.mkdirSync(folder);
    if (config !== undefined) fs.writeFileSync(path.join(folder, 'mlops.yaml'), config);

    return folder;
  }

  it('lists the built-in default project', () => {
    expect(registry.list().map((project) => project.name)).toEqual(['default']);
    expect(registry.get('default').path).toBeNull();
  });

  it('registers a folder under its derived name', () => {
    const folder = makeFolder('Digits Classifier');
    const project = registry.add({ path: folder });

    expect(project).toMatchObject({ name: 'digits-classifier', path: fs.realpathSync(folder), priority: 'normal', weight: 1, runCount: 0, createdAt: 5_000 });
    expect(events).toEqual([{ type: 'projects:didChange' }]);
  });

  it('takes settings and name from mlops.yaml', () => {
    const folder = makeFolder('proj', 'name: vision\ndescription: CNNs\npriority: high\nweight: 3\n');
    const project = registry.get(registry.add({ path: folder }).name);

    expect(project).toMatchObject({ name: 'vision', description: 'CNNs', priority: 'high', weight: 3 });
    expect(project.config).toEqual({ name: 'vision', description: 'CNNs', priority: 'high', weight: 3 });
  });

  it('accepts an explicit name equal to mlops.yaml', () => {
    const folder = makeFolder('proj', 'name: vision\n');

    expect(registry.add({ path: folder, name: 'vision' }).name).toBe('vision');
  });

  it('rejects a name that differs from mlops.yaml', () => {
    const folder = makeFolder('proj', 'name: vision\n');

    expectHubError(() => registry.add({ path: folder, name: 'other' }), 'INVALID_PARAMETER_VALUE', /mlops\.yaml names the project `vision`, not `other`/);
  });

  it('writes the name into an mlops.yaml without one', () => {
    const folder = makeFolder('proj', '# settings\npriority: low\n');
    registry.add({ path: folder, name: 'vision' });

    expect(fs.readFileSync(path.join(folder, 'mlops.yaml'), 'utf8')).toBe('# settings\npriority: low\nname: vision\n');
  });

  it('leaves a folder without mlops.yaml untouched', () => {
    const folder = makeFolder('proj');
    registry.add({ path: folder });

    expect(fs.readdirSync(folder)).toEqual([]);
  });

  it('rejects a path that does not exist', () => {
    expectHubError(() => registry.add({ path: path.join(home, 'missing') }), 'INVALID_PARAMETER_VALUE', /missing does not exist; pass an existing project folder$/);
  });

  it('rejects a path that is a file', () => {
    const file = path.join(home, 'train.py');
    fs.writeFileSync(file, 'print(1)\n');

    expectHubError(() => registry.add({ path: file }), 'INVALID_PARAMETER_VALUE', /train\.py is not a folder/);
  });

  it('rejects a relative path', () => {
    expectHubError(() => registry.add({ path: 'some/folder' }), 'INVALID_PARAMETER_VALUE', /is not absolute/);
  });

  it('expands a leading ~ to the home folder', () => {
    // os.homedir() reads HOME on POSIX, so the test points it at its own folder.
    const previousHome = process.env['HOME'];
    process.env['HOME'] = home;
    try {
      makeFolder('in-home');

      expect(registry.add({ path: '~/in-home' }).path).toBe(fs.realpathSync(path.join(home, 'in-home')));
    } finally {
      process.env['HOME'] = previousHome;
    }
  });

  it('rejects a duplicate name', () => {
    registry.add({ path: makeFolder('a'), name: 'shared' });

    expectHubError(() => registry.add({ path: makeFolder('b'), name: 'shared' }), 'RESOURCE_ALREADY_EXISTS', /project `shared` already exists/);
    expect(registry.list()).toHaveLength(2);
  });

  it('rejects the same folder twice', () => {
    const folder = makeFolder('a');
    registry.add({ path: folder });

    expectHubError(() => registry.add({ path: folder, name: 'again' }), 'RESOURCE_ALREADY_EXISTS', /is already registered as project `a`/);
  });

  it('rejects a malformed mlops.yaml with key and line', () => {
    const folder = makeFolder('a', 'name: a\npriority: urgent\n');

    expectHubError(() => registry.add({ path: folder }), 'INVALID_PARAMETER_VALUE', /^mlops\.yaml line 2: `priority` must be one of high, normal, low; got `urgent`$/);
    expect(registry.list()).toHaveLength(1);
  });

  it('rejects a folder name with no usable characters', () => {
    expectHubError(() => registry.add({ path: makeFolder('___') }), 'INVALID_PARAMETER_VALUE', /cannot derive a project name from folder .*___; pass one with `--name NAME`/);
  });

  it('renames a project and its experiments', () => {
    registry.add({ path: makeFolder('a') });
    tracking.createExperiment('exp-a', undefined, [{ key: 'mlops_hub.project', value: 'a' }]);
    registry.rename('a', 'b');

    expect(registry.list().map((project) => project.name)).toEqual(['b', 'default']);
    expect(tracking.listExperiments('b', false).map((counts) => counts.experiment.name)).toEqual(['exp-a']);
    expect(tracking.listExperiments('a', false)).toEqual([]);
  });

  it('renames the project in mlops.yaml, keeping comments', () => {
    const folder = makeFolder('a', '# Project settings\nname: a # slug\npriority: high\n');
    registry.add({ path: folder });
    registry.rename('a', 'b');

    expect(fs.readFileSync(path.join(folder, 'mlops.yaml'), 'utf8')).toBe('# Project settings\nname: b # slug\npriority: high\n');
    expect(registry.get('b').config?.name).toBe('b');
  });

  it('rolls back a rename when mlops.yaml cannot be written', () => {
    const folder = makeFolder('a', 'name: a\n');
    registry.add({ path: folder });
    // A folder in place of the file fails the write even for root, unlike a read-only mode.
    fs.rmSync(path.join(folder, 'mlops.yaml'));
    fs.mkdirSync(path.join(folder, 'mlops.yaml'));

    expectHubError(() => registry.rename('a', 'b'), 'INVALID_STATE', /cannot update `name` in .*mlops\.yaml/);
    expect(registry.list().map((project) => project.name)).toEqual(['a', 'default']);
  });

  it('picks up edits to mlops.yaml on the next read', () => {
    const folder = makeFolder('a', 'name: a\npriority: low\n');
    registry.add({ path: folder });
    fs.writeFileSync(path.join(folder, 'mlops.yaml'), 'name: a\npriority: high\nweight: 4\n');
    bumpMtime(path.join(folder, 'mlops.yaml'));

    expect(registry.get('a')).toMatchObject({ priority: 'high', weight: 4 });
    expect(registry.list().find((project) => project.name === 'a')?.priority).toBe('high');
  });

  it('keeps the last valid settings when mlops.yaml breaks', () => {
    const folder = makeFolder('a', 'name: a\npriority: low\n');
    registry.add({ path: folder });
    fs.writeFileSync(path.join(folder, 'mlops.yaml'), 'name: a\npriority: urgent\n');
    bumpMtime(path.join(folder, 'mlops.yaml'));

    expect(registry.get('a').priority).toBe('low');
    expect(registry.get('a').config?.priority).toBe('low');
  });

  it('keeps the settings when mlops.yaml names another project', () => {
    const folder = makeFolder('a', 'name: a\npriority: low\n');
    registry.add({ path: folder });
    fs.writeFileSync(path.join(folder, 'mlops.yaml'), 'name: b\npriority: high\n');
    bumpMtime(path.join(folder, 'mlops.yaml'));

    expect(registry.get('a').priority).toBe('low');
  });

  it('falls back to defaults when mlops.yaml is deleted', () => {
    const folder = makeFolder('a', 'name: a\npriority: low\n');
    registry.add({ path: folder });
    fs.rmSync(path.join(folder, 'mlops.yaml'));

    expect(registry.get('a')).toMatchObject({ priority: 'normal', weight: 1, config: null });
  });

  it('rejects a rename onto an existing name', () => {
    registry.add({ path: makeFolder('a') });
    registry.add({ path: makeFolder('b') });

    expectHubError(() => registry.rename('a', 'b'), 'RESOURCE_ALREADY_EXISTS', /project `b` already exists/);
  });

  it('rejects renaming or removing an unknown project', () => {
    expectHubError(() => registry.rename('ghost', 'b'), 'RESOURCE_DOES_NOT_EXIST', /project `ghost` does not exist/);
    expectHubError(() => registry.remove('ghost', false), 'RESOURCE_DOES_NOT_EXIST', /project `ghost` does not exist/);
  });

  it('protects the default project', () => {
    expectHubError(() => registry.rename('default', 'x'), 'INVALID_PARAMETER_VALUE', /built-in project/);
    expectHubError(() => registry.remove('default', true), 'INVALID_PARAMETER_VALUE', /built-in project/);
  });

  it('keeps runs on remove without purge', () => {
    registry.add({ path: makeFolder('a') });
    const experiment = tracking.createExperiment('exp-a', undefined, [{ key: 'mlops_hub.project', value: 'a' }]);
    tracking.createRun({ experimentId: String(experiment.experiment_id), tags: [] });
    registry.remove('a', false);

    expect(registry.list().filter((project) => project.registered).map((project) => project.name)).toEqual(['default']);
    expect(tracking.listExperiments('a', false)[0]?.runCount).toBe(1);
  });

  it('deletes runs on remove with purge', () => {
    registry.add({ path: makeFolder('a') });
    const experiment = tracking.createExperiment('exp-a', undefined, [{ key: 'mlops_hub.project', value: 'a' }]);
    tracking.createRun({ experimentId: String(experiment.experiment_id), tags: [] });
    registry.remove('a', true);

    expect(tracking.listExperiments('a', true)).toEqual([]);
  });

  function logRun(experimentName: string, project: string): void {
    const experiment = tracking.createExperiment(experimentName, undefined, [{ key: 'mlops_hub.project', value: project }]);
    const run = tracking.createRun({ experimentId: String(experiment.experiment_id), tags: [] });
    tracking.logBatch(run.row.run_id, { metrics: [{ key: 'acc', value: 0.5, timestamp: 1_000, step: 0 }], params: [{ key: 'alpha', value: '1' }], tags: [{ key: 'note', value: 'x' }] });
  }

  function countRows(table: string): number {
    return db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
  }

  it('lists a project that only experiments name as not registered', () => {
    logRun('digits-classifier', 'digits-classifier');

    expect(registry.list().map((project) => [project.name, project.registered, project.path])).toEqual([
      ['default', true, null],
      ['digits-classifier', false, null],
    ]);
    expect(registry.get('digits-classifier')).toMatchObject({ registered: false, runCount: 1, experimentCount: 1, config: null });
  });

  it('lists a removed project whose runs are kept', () => {
    registry.add({ path: makeFolder('a') });
    logRun('exp-a', 'a');
    registry.remove('a', false);

    expect(registry.list().find((project) => project.name === 'a')).toMatchObject({ registered: false, runCount: 1 });
  });

  it('purges an unregistered project and all its rows', () => {
    logRun('exp-a', 'a');

    expect(registry.remove('a', true)).toEqual({ deletedRuns: 1, deletedExperiments: 1 });
    expect(registry.list().map((project) => project.name)).toEqual(['default']);
    for (const table of ['runs', 'metrics', 'latest_metrics', 'params', 'tags', 'experiment_tags']) expect(countRows(table)).toBe(0);
    expect(countRows('experiments')).toBe(1);
  });

  it('rejects removing an unregistered project without purge', () => {
    logRun('exp-a', 'a');

    expectHubError(() => registry.remove('a', false), 'INVALID_PARAMETER_VALUE', /`a` is not registered.*--purge/);
    expect(countRows('runs')).toBe(1);
  });

  it('keeps runs moved by a rename purgeable under the new name', () => {
    const folder = makeFolder('digits-classifier', 'name: digits-classifier\n');
    logRun('digits-classifier', 'digits-classifier');
    registry.add({ path: folder });
    registry.rename('digits-classifier', 'digits');
    registry.remove('digits', false);
    fs.writeFileSync(path.join(folder, 'mlops.yaml'), 'name: digits-classifier\n');
    registry.add({ path: folder });

    // The experiments moved to `digits` with the rename, so purging the re-added name deletes nothing and returns zero counts.
    expect(registry.remove('digits-classifier', true)).toEqual({ deletedRuns: 0, deletedExperiments: 0 });
    expect(registry.remove('digits', true)).toEqual({ deletedRuns: 1, deletedExperiments: 1 });
    expect(countRows('runs')).toBe(0);
  });

  it('reports run counts from tracking', () => {
    registry.add({ path: makeFolder('a') });
    const experiment = tracking.createExperiment('exp-a', undefined, [{ key: 'mlops_hub.project', value: 'a' }]);
    tracking.createRun({ experimentId: String(experiment.experiment_id), tags: [] });

    expect(registry.get('a')).toMatchObject({ runCount: 1, experimentCount: 1, activeRuns: 1 });
  });
});

describe('deriveProjectName', () => {
  it('turns a folder name into a slug', () => {
    expect(deriveProjectName('/x/My Project_2')).toBe('my-project-2');
    expect(deriveProjectName('/x/--a--')).toBe('a');
  });

  it('spells accented and other Latin letters in ASCII', () => {
    expect(deriveProjectName('/x/Ünïcødé Proj')).toBe('unicode-proj');
    expect(deriveProjectName('/x/Straße Æsir')).toBe('strasse-aesir');
  });

  it('keeps slugs at 64 characters', () => {
    expect(deriveProjectName(`/x/${'a'.repeat(80)}`)).toHaveLength(64);
  });
});
