import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { describe, expect, it } from 'vitest';

import { resolveProgram, searchFolders } from '../../../../src/main/core/services/detection';

function tempFolder(): string {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
  process.env['MLOPS_HUB_HOME'] = folder;

  return folder;
}

function writeProgram(folder: string, name: string, mode = 0o755): string {
  fs.mkdirSync(folder, { recursive: true });
  const file = path.join(folder, name);
  fs.writeFileSync(file, '#!/bin/sh\n', { mode });

  return file;
}

describe('resolveProgram', () => {
  it('finds a program in the Python environment first', () => {
    const root = tempFolder();
    const fromEnv = writeProgram(path.join(root, 'venv', 'bin'), 'mlflow');
    writeProgram(path.join(root, 'usr'), 'mlflow');

    const found = resolveProgram('mlflow', { pythonEnvDir: path.join(root, 'venv'), pathVariable: path.join(root, 'usr') });

    expect(found).toBe(fromEnv);
  });

  it('falls back to PATH', () => {
    const root = tempFolder();
    const onPath = writeProgram(path.join(root, 'usr'), 'ray');

    expect(resolveProgram('ray', { pythonEnvDir: path.join(root, 'venv'), pathVariable: path.join(root, 'usr') })).toBe(onPath);
  });

  it('skips files that are not executable', () => {
    const root = tempFolder();
    writeProgram(path.join(root, 'usr'), 'evidently', 0o644);

    expect(resolveProgram('evidently', { pythonEnvDir: null, pathVariable: path.join(root, 'usr') })).toBeNull();
  });

  it('checks a path with a slash directly', () => {
    const root = tempFolder();
    const program = writeProgram(root, 'serve');

    expect(resolveProgram(program, { pythonEnvDir: null, pathVariable: '' })).toBe(program);
    expect(resolveProgram(path.join(root, 'missing'), { pythonEnvDir: null, pathVariable: '' })).toBeNull();
  });

  it('lists the environment before PATH', () => {
    expect(searchFolders({ pythonEnvDir: '/venv', pathVariable: '/usr/bin:/bin' })).toEqual(['/venv/bin', '/usr/bin', '/bin']);
  });
});
