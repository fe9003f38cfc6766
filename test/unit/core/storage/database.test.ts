import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createSilentLogger } from '../../../../src/main/core/logger';
import { openDatabase, type Db } from '../../../../src/main/core/storage/database';

describe('openDatabase', () => {
  let folder: string;
  let db: Db | undefined;

  beforeEach(() => {
    folder = fs.mkdtempSync(path.join(os.tmpdir(), 'mlops-hub-test-'));
    fs.chmodSync(folder, 0o755);
  });

  afterEach(() => {
    db?.close();
    fs.rmSync(folder, { recursive: true, force: true });
  });

  it('creates the database and its WAL files 0600 in an open folder', () => {
    const file = path.join(folder, 'hub.db');

    db = openDatabase({ file, migrations: [{ id: 'test/001-table', up: (handle) => handle.exec('CREATE TABLE t (x)') }], log: createSilentLogger() });
    db.prepare('INSERT INTO t VALUES (1)').run();

    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(`${file}-wal`).mode & 0o777).toBe(0o600);
    expect(fs.statSync(`${file}-shm`).mode & 0o777).toBe(0o600);
  });

  it('tightens an existing database file', () => {
    const file = path.join(folder, 'hub.db');
    fs.writeFileSync(file, '', { mode: 0o644 });

    db = openDatabase({ file, migrations: [], log: createSilentLogger() });

    expect(fs.statSync(file).mode & 0o777).toBe(0o600);
  });
});
