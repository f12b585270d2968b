// Whole tables of a store, row for row: what the archive, backups and `tandem migrate-store` use
// (src/app/archive-*.ts) and nothing else. Not part of the Store interface on purpose: every
// Store method keeps the record's rules (ids handed out by the database, append-only tables,
// audit events for changes), whereas these copy rows exactly as they are — which is what a copy
// of the record must do, and what no other use case may.

import { invariant } from '../domain/money.js';
import { driverOf } from './driver-of.js';
import { createStore } from './store.js';
import * as io from './tables-io.js';
import type { TableRow } from './tables.js';
import type { Store } from './types.js';

export interface TableAccess {
  /**
   * Run fn in one read-only transaction that sees the whole database as it was when it began
   * (REPEATABLE READ on PostgreSQL; a read transaction on SQLite, which other processes' writers
   * do not wait for).
   */
  snapshot<T>(fn: (tx: Store) => Promise<T>): Promise<T>;
  /** Inside a transaction: every row of a table, in its archive order, chunk by chunk (a cursor). */
  iterateTable(table: string, chunkRows: number): AsyncIterable<TableRow[]>;
  /** Inside a transaction: append rows exactly as given, ids included (the bulk path). */
  insertTableRows(table: string, rows: readonly TableRow[]): Promise<void>;
  /** Inside a transaction: the migration history becomes these rows (same numbers and names as this database's). */
  replaceMigrationHistory(rows: readonly TableRow[]): Promise<void>;
  /** How many rows each table of TABLES holds. */
  countTableRows(): Promise<Record<string, number>>;
  /** After rows were inserted with their ids: new rows get ids after the largest (PostgreSQL identities). */
  resetIdSequences(): Promise<void>;
  /**
   * Inside a transaction: hold the audit chain's lock until it ends, so no other process records
   * anything (every change to the record appends an audit event) while a copy is written.
   */
  lockForCopy(): Promise<void>;
}

/** The table access of a store (or of a transaction's store, as given to a transaction callback). */
export function tableAccess(store: Store): TableAccess {
  const db = driverOf(store);
  invariant(db, 'this store was not made by createStore, so its tables cannot be copied');
  return {
    snapshot: (fn) => db.transaction((tx) => fn(createStore(tx)), 'snapshot'),
    iterateTable: (table, chunkRows) => io.iterateTable(db, table, chunkRows),
    insertTableRows: (table, rows) => io.insertTableRows(db, table, rows),
    replaceMigrationHistory: (rows) => io.replaceMigrationHistory(db, rows),
    countTableRows: () => io.countTableRows(db),
    resetIdSequences: () => io.resetIdSequences(db),
    lockForCopy: () => db.lockInTransaction('audit_events'),
  };
}
