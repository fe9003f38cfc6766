import { type Migration } from '../storage/database';

/** Schema steps of the project registry. */
export const projectsMigrations: readonly Migration[] = [
  {
    id: 'projects/001-create-projects',
    up(db) {
      // `path` is NULL only for the built-in `default` project; `config_json` is the
      // mlops.yaml read at registration, or NULL when the folder had none.
      db.exec(`
        CREATE TABLE projects (
          name TEXT PRIMARY KEY,
          path TEXT UNIQUE,
          description TEXT NOT NULL DEFAULT '',
          priority TEXT NOT NULL DEFAULT 'normal' CHECK (priority IN ('high', 'normal', 'low')),
          weight REAL NOT NULL DEFAULT 1 CHECK (weight > 0),
          config_json TEXT,
          created_at INTEGER NOT NULL,
          updated_at INTEGER NOT NULL
        )
      `);
      db.prepare("INSERT INTO projects (name, path, description, created_at, updated_at) VALUES ('default', NULL, ?, 0, 0)").run(
        'Experiments created without a project tag.',
      );
    },
  },
  {
    id: 'projects/002-config-mtime',
    up(db) {
      // Modification time (ms) of the mlops.yaml that config_json was read from, so edits are picked up on the next read.
      db.exec('ALTER TABLE projects ADD COLUMN config_mtime_ms REAL');
    },
  },
];
