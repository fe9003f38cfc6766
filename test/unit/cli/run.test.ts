import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { beforeEach, describe, expect, it } from 'vitest';

import { type CliDeps } from '../../../src/main/cli/deps';
import { runCli } from '../../../src/main/cli/run';

describe('runCli', () => {
  let home: string;
  let out: string[];
  let err: string[];
  let deps: CliDeps;

  beforeEach(() => {
    home = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    process.env['MLOPS_HUB_HOME'] = home;
    out = [];
    err = [];
    deps = { dataDir: home, cwd: home, print: (line) => out.push(line), warn: (line) => err.push(line) };
  });

  const run = (...args: string[]): Promise<number> => runCli(['node', 'mlops-hub', ...args], deps);

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
    expect(err.at(-1)).toMatch(/^mlops-hub: init: .*mlops\.yaml already exists; edit it/);
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
