import { type Migration } from '../storage/database';

/**
 * Per-minute aggregates of hardware samples, one row per minute and quantity,
 * kept for 30 days. WITHOUT ROWID because the primary key is the only access path.
 */
export const hardwareMigrations: readonly Migration[] = [
  {
    id: 'hardware/001-minute-aggregates',
    up(db) {
      db.exec(`
        CREATE TABLE hardware_minutes (
          minute_ms INTEGER NOT NULL,
          quantity TEXT NOT NULL,
          min REAL NOT NULL,
          mean REAL NOT NULL,
          max REAL NOT NULL,
          count INTEGER NOT NULL,
          PRIMARY KEY (minute_ms, quantity)
        ) WITHOUT ROWID;
      `);
    },
  },
];
