import fs from 'node:fs';

import Database from 'better-sqlite3';

import { type Logger } from '../logger';

export type Db = Database.Database;

/** One schema step. `id` is `domain/NNN-name`; steps run once, in the order given, each in a transaction. */
export interface Migration {
  id: string;
  up(db: Db): void;
}

export interface OpenDatabaseOptions {
  /** File path, or `:memory:` for tests. */
  file: string;
  migrations: readonly Migration[];
  log: Logger;
  /** Path of a better-sqlite3 binary built for Electron's ABI; Node's build is used when absent. */
  nativeBinding?: string;
}

/**
 * Opens the hub database in WAL mode and applies the migrations it has not seen yet.
 * A file database is made readable by its owner only (0600), whatever the folder's mode.
 */
export function openDatabase(options: OpenDatabaseOptions): Db {
  if (options.file !== ':memory:') restrictToOwner(options.file);

  const db = new Database(options.file, options.nativeBinding ? { nativeBinding: options.nativeBinding } : {});

  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('foreign_keys = ON');
  db.pragma('busy_timeout = 5000');

  applyMigrations(db, options.migrations, options.log);

  return db;
}

/**
 * Creates the file 0600 if it is missing and sets 0600 if it exists. SQLite gives
 * the -wal and -shm files the mode of the database file, so they follow.
 */
function restrictToOwner(file: string): void {
  fs.closeSync(fs.openSync(file, 'a', 0o600));
  fs.chmodSync(file, 0o600);
  for (const suffix of ['-wal', '-shm']) {
    if (fs.existsSync(file + suffix)) fs.chmodSync(file + suffix, 0o600);
  }
}

export function applyMigrations(db: Db, migrations: readonly Migration[], log: Logger): void {
  db.exec('CREATE TABLE IF NOT EXISTS schema_migrations (id TEXT PRIMARY KEY, applied_at INTEGER NOT NULL)');
  const applied = new Set(db.prepare('SELECT id FROM schema_migrations').pluck().all() as string[]);

  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;

    db.transaction(() => {
      migration.up(db);
      db.prepare('INSERT INTO schema_migrations (id, applied_at) VALUES (?, ?)').run(migration.id, Date.now());
    })();
    log.info(`applyMigrations(): applied ${migration.id}`);
  }
}
