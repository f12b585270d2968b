// Opening a store: a postgres:// or postgresql:// URL means PostgreSQL, anything else is a
// SQLite file path (created owner-only if new).

import { openSqliteDriver } from './driver-sqlite.js';
import { isPostgresUrl } from './location.js';
import { assertNotNewer, migrate, schemaVersion } from './migrate.js';
import { createStore } from './store.js';
import type { Store } from './types.js';

export interface OpenStoreOptions {
  /** Apply pending migrations on open. Default true. */
  migrate?: boolean;
}

export async function openStore(location: string, options: OpenStoreOptions = {}): Promise<Store> {
  // pg and pg-copy-streams are loaded only for PostgreSQL: ~50 ms of every SQLite command's start.
  const driver = isPostgresUrl(location) ? await (await import('./driver-postgres.js')).openPostgresDriver(location) : openSqliteDriver(location);
  try {
    if (options.migrate ?? true) await migrate(driver);
    else assertNotNewer(await schemaVersion(driver));
  } catch (error) {
    await driver.close();
    throw error;
  }
  return createStore(driver);
}
