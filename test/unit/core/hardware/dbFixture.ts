import { createSilentLogger } from '../../../../src/main/core/logger';
import { type Db, type Migration, openDatabase } from '../../../../src/main/core/storage/database';
import { allMigrations } from '../../../../src/main/core/storage/migrations';

/** Returns the migrations of one domain (`hardware/...`). */
export function migrationsOf(domain: string): Migration[] {
  return allMigrations.filter((migration) => migration.id.startsWith(`${domain}/`));
}

/** Opens an in-memory database with the given migrations applied. */
export function openMemoryDb(migrations: readonly Migration[]): Db {
  return openDatabase({ file: ':memory:', migrations, log: createSilentLogger() });
}
