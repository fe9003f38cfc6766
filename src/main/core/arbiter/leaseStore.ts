import type { Db, Migration } from '../storage/database';
import type { Logger } from '../logger';
import { isActive, type LeaseRecord } from './leaseRecord';

/** Schema steps of the arbiter: active leases, so that a restarted hub can re-adopt them. */
export const leasesMigrations: readonly Migration[] = [
  {
    id: 'leases/001-create-active-leases',
    up(db) {
      // `record_json` is the arbiter's LeaseRecord; ended leases are deleted.
      db.exec('CREATE TABLE active_leases (lease_id TEXT PRIMARY KEY, record_json TEXT NOT NULL, updated_at INTEGER NOT NULL)');
    },
  },
];

/** Active leases in the hub database, written after each change and read once at start. */
export class LeaseStore {
  constructor(
    private readonly db: Db,
    private readonly log: Logger,
  ) {}

  /** Reads the saved active leases; a row that no longer parses is dropped and logged. */
  loadActive(): LeaseRecord[] {
    const rows = this.db.prepare('SELECT lease_id, record_json FROM active_leases').all() as { lease_id: string; record_json: string }[];
    const records: LeaseRecord[] = [];
    for (const row of rows) {
      try {
        records.push(JSON.parse(row.record_json) as LeaseRecord);
      } catch (error) {
        this.log.error(`loadActive(): dropping unreadable lease leaseId=${row.lease_id}`, error);
        this.remove([row.lease_id]);
      }
    }

    return records;
  }

  /** Saves active leases and deletes ended ones, in one transaction. */
  write(records: readonly LeaseRecord[], now: number): void {
    const upsert = this.db.prepare('INSERT INTO active_leases (lease_id, record_json, updated_at) VALUES (?, ?, ?) ON CONFLICT(lease_id) DO UPDATE SET record_json = excluded.record_json, updated_at = excluded.updated_at');
    const remove = this.db.prepare('DELETE FROM active_leases WHERE lease_id = ?');

    this.db.transaction(() => {
      for (const record of records) {
        if (isActive(record)) upsert.run(record.leaseId, JSON.stringify(record), now);
        else remove.run(record.leaseId);
      }
    })();
  }

  remove(leaseIds: readonly string[]): void {
    const remove = this.db.prepare('DELETE FROM active_leases WHERE lease_id = ?');
    for (const leaseId of leaseIds) remove.run(leaseId);
  }
}

/** Delay that batches lease changes into one database write, in milliseconds. A crash loses the changes of this window at most. */
const saveDelayMs = 100;

/** Saves changed leases in batches after `saveDelayMs`, so that request handlers do not write to the database. */
export class LeaseSaver {
  private readonly unsaved = new Set<LeaseRecord>();
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: LeaseStore,
    private readonly log: Logger,
    private readonly now: () => number,
  ) {}

  queue(lease: LeaseRecord): void {
    this.unsaved.add(lease);
    if (this.timer) return;

    this.timer = setTimeout(() => this.flush(), saveDelayMs);
    this.timer.unref();
  }

  /** Writes the queued leases now; a failure is logged and the leases stay in memory. */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.unsaved.size === 0) return;

    const records = [...this.unsaved];
    this.unsaved.clear();
    try {
      this.store.write(records, this.now());
    } catch (error) {
      this.log.error(`flush(): saving ${records.length} leases failed; they stay in memory`, error);
    }
  }
}
