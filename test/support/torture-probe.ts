// Preloaded with `node --import` into a `tandem` child process by the crash and concurrency
// harness (test/support/torture.ts), so that it can tell where a SIGKILL landed — before the
// command's transaction, inside it, while its COMMIT was on its way, or after — and start a second
// command only once the first holds its locks. It wraps the two places the drivers begin and end a
// transaction (better-sqlite3's exec, pg's Client.query) and writes one line to stderr for each,
// synchronously, so every mark written before the process dies reaches the harness. The CLI itself
// is not changed: without the preload nothing is written.

import { writeSync } from 'node:fs';
import Database from 'better-sqlite3';
import pg from 'pg';

export const PROBE_PREFIX = '@tandem-probe';

let transactions = 0;

function mark(event: 'begin' | 'commit' | 'committed' | 'rollback'): void {
  if (event === 'begin') transactions += 1;
  writeSync(2, `\n${PROBE_PREFIX} ${event} ${transactions}\n`);
}

function kind(sql: unknown): 'begin' | 'commit' | 'rollback' | null {
  if (typeof sql !== 'string') return null;
  const word = sql.trim().split(/\s+/)[0]?.toUpperCase();
  return word === 'BEGIN' ? 'begin' : word === 'COMMIT' ? 'commit' : word === 'ROLLBACK' ? 'rollback' : null;
}

// SQLite: synchronous, so "committed" is written the moment COMMIT returns.
const exec = Database.prototype.exec;
Database.prototype.exec = function (this: Database.Database, sql: string) {
  const k = kind(sql);
  if (k === 'commit') mark('commit');
  const result = exec.call(this, sql);
  if (k === 'begin') mark('begin');
  else if (k === 'commit') mark('committed');
  else if (k === 'rollback') mark('rollback');
  return result;
} as typeof exec;

// PostgreSQL: the drivers send these as plain strings and await the promise.
type Query = (this: pg.Client, ...args: unknown[]) => unknown;
const query = pg.Client.prototype.query as unknown as Query;
(pg.Client.prototype as unknown as { query: Query }).query = function (this: pg.Client, ...args: unknown[]) {
  const k = kind(args[0]);
  if (k === 'commit') mark('commit');
  const result = query.apply(this, args);
  if (k !== null && result instanceof Promise) {
    return result.then((value: unknown) => {
      mark(k === 'commit' ? 'committed' : k);
      return value;
    });
  }
  return result;
};
