// Applying numbered migrations. Each run happens in one transaction holding a lock, so two
// processes opening a new database at the same moment cannot both apply migration 1.

import type { Driver } from './driver.js';
import { LATEST_MIGRATION, MIGRATIONS, type Migration } from './migrations/index.js';
import { int } from './row.js';

const CREATE_LEDGER = `CREATE TABLE IF NOT EXISTS schema_migrations (
  number INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  applied_at TEXT NOT NULL
)`;

const TABLE_EXISTS = {
  sqlite: `SELECT 1 AS present FROM sqlite_master WHERE type = 'table' AND name = ?`,
  postgres: `SELECT 1 AS present FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = ?`,
} as const;

/** Applies the migrations not yet applied; returns their numbers. */
export async function migrate(driver: Driver, migrations: readonly Migration[] = MIGRATIONS): Promise<number[]> {
  return driver.transaction(async (tx) => {
    await tx.lockInTransaction('schema_migrations');
    await tx.exec(CREATE_LEDGER);
    const applied = new Set(await appliedNumbers(tx));
    assertNotNewer(Math.max(0, ...applied), migrations.length);
    const appliedNow: number[] = [];
    for (const migration of migrations) {
      if (applied.has(migration.number)) continue;
      await tx.exec(migration.sql[tx.dialect]);
      await tx.run('INSERT INTO schema_migrations (number, name, applied_at) VALUES (?, ?, ?)', [
        migration.number,
        migration.name,
        new Date().toISOString(),
      ]);
      appliedNow.push(migration.number);
    }
    return appliedNow;
  });
}

/** Highest applied migration number; 0 for an empty database. */
export async function schemaVersion(driver: Driver): Promise<number> {
  if (!(await driver.get(TABLE_EXISTS[driver.dialect], ['schema_migrations']))) return 0;
  const numbers = await appliedNumbers(driver);
  return Math.max(0, ...numbers);
}

/** A database migrated by a newer Tandem must not be written by this one. */
export function assertNotNewer(version: number, latestKnown: number = LATEST_MIGRATION): void {
  if (version > latestKnown) {
    throw new Error(`the database schema is at version ${version}, newer than this Tandem knows (${latestKnown}); upgrade Tandem`);
  }
}

async function appliedNumbers(driver: Driver): Promise<number[]> {
  const rows = await driver.all('SELECT number FROM schema_migrations ORDER BY number');
  return rows.map((row) => int(row, 'number'));
}
