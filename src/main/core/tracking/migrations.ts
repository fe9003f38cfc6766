import { type Migration } from '../storage/database';

/**
 * Schema of the MLflow-compatible store. Runs get an integer `run_key` so that
 * the per-point tables repeat 8 bytes instead of a 32-character run id.
 * Metric points live in one narrow WITHOUT ROWID table whose primary key
 * (run, key, step, timestamp, value, is_nan) both orders the history for
 * charts and drops exact duplicates, as MLflow's SQL store does.
 */
export const trackingMigrations: readonly Migration[] = [
  {
    id: 'tracking/001-experiments-runs-metrics',
    up(db) {
      db.exec(`
        CREATE TABLE experiments (
          experiment_id INTEGER PRIMARY KEY,
          name TEXT NOT NULL UNIQUE,
          project TEXT NOT NULL DEFAULT 'default',
          artifact_location TEXT NOT NULL,
          lifecycle_stage TEXT NOT NULL DEFAULT 'active',
          creation_time INTEGER NOT NULL,
          last_update_time INTEGER NOT NULL
        );
        CREATE INDEX experiments_by_project ON experiments (project);

        CREATE TABLE experiment_tags (
          experiment_id INTEGER NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
          key TEXT NOT NULL,
          value TEXT NOT NULL,
          PRIMARY KEY (experiment_id, key)
        ) WITHOUT ROWID;

        CREATE TABLE runs (
          run_key INTEGER PRIMARY KEY,
          run_id TEXT NOT NULL UNIQUE,
          experiment_id INTEGER NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
          run_name TEXT NOT NULL,
          user_id TEXT NOT NULL DEFAULT '',
          status TEXT NOT NULL,
          start_time INTEGER NOT NULL,
          end_time INTEGER,
          lifecycle_stage TEXT NOT NULL DEFAULT 'active',
          artifact_uri TEXT NOT NULL,
          last_update_time INTEGER NOT NULL
        );
        CREATE INDEX runs_by_experiment ON runs (experiment_id, start_time);

        CREATE TABLE params (
          run_key INTEGER NOT NULL REFERENCES runs (run_key) ON DELETE CASCADE,
          key TEXT NOT NULL,
          value TEXT NOT NULL,
          PRIMARY KEY (run_key, key)
        ) WITHOUT ROWID;

        CREATE TABLE tags (
          run_key INTEGER NOT NULL REFERENCES runs (run_key) ON DELETE CASCADE,
          key TEXT NOT NULL,
          value TEXT NOT NULL,
          PRIMARY KEY (run_key, key)
        ) WITHOUT ROWID;

        CREATE TABLE metrics (
          run_key INTEGER NOT NULL,
          key TEXT NOT NULL,
          step INTEGER NOT NULL,
          timestamp INTEGER NOT NULL,
          value REAL NOT NULL,
          is_nan INTEGER NOT NULL,
          PRIMARY KEY (run_key, key, step, timestamp, value, is_nan)
        ) WITHOUT ROWID;

        CREATE TABLE latest_metrics (
          run_key INTEGER NOT NULL REFERENCES runs (run_key) ON DELETE CASCADE,
          key TEXT NOT NULL,
          step INTEGER NOT NULL,
          timestamp INTEGER NOT NULL,
          value REAL NOT NULL,
          is_nan INTEGER NOT NULL,
          PRIMARY KEY (run_key, key)
        ) WITHOUT ROWID;
      `);

      // MLflow clients log to experiment "0" when no experiment is set, without looking it up first.
      const now = Date.now();
      db.prepare(
        `INSERT INTO experiments (experiment_id, name, project, artifact_location, lifecycle_stage, creation_time, last_update_time)
         VALUES (0, 'Default', 'default', 'mlflow-artifacts:/0', 'active', ?, ?)`,
      ).run(now, now);
    },
  },
  {
    // MLflow 3.x LoggedModels: a model has its own artifact folder and outlives the run that made it.
    id: 'tracking/002-logged-models',
    up(db) {
      db.exec(`
        CREATE TABLE logged_models (
          model_id TEXT PRIMARY KEY,
          experiment_id INTEGER NOT NULL REFERENCES experiments (experiment_id) ON DELETE CASCADE,
          name TEXT NOT NULL,
          model_type TEXT NOT NULL DEFAULT '',
          source_run_id TEXT NOT NULL DEFAULT '',
          status TEXT NOT NULL,
          artifact_uri TEXT NOT NULL,
          lifecycle_stage TEXT NOT NULL DEFAULT 'active',
          creation_timestamp_ms INTEGER NOT NULL,
          last_updated_timestamp_ms INTEGER NOT NULL
        );
        CREATE INDEX logged_models_by_experiment ON logged_models (experiment_id, creation_timestamp_ms);

        CREATE TABLE logged_model_tags (
          model_id TEXT NOT NULL REFERENCES logged_models (model_id) ON DELETE CASCADE,
          key TEXT NOT NULL,
          value TEXT NOT NULL,
          PRIMARY KEY (model_id, key)
        ) WITHOUT ROWID;

        CREATE TABLE logged_model_params (
          model_id TEXT NOT NULL REFERENCES logged_models (model_id) ON DELETE CASCADE,
          key TEXT NOT NULL,
          value TEXT NOT NULL,
          PRIMARY KEY (model_id, key)
        ) WITHOUT ROWID;

        CREATE TABLE run_model_outputs (
          run_id TEXT NOT NULL,
          model_id TEXT NOT NULL REFERENCES logged_models (model_id) ON DELETE CASCADE,
          step INTEGER NOT NULL,
          PRIMARY KEY (run_id, model_id)
        ) WITHOUT ROWID;
      `);
    },
  },
];
