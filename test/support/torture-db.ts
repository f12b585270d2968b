// Databases for the crash and concurrency harness, and the canonical summary of what one holds.
//
// Each scenario starts from a template (an agreement loaded, sometimes extracts imported): a copy
// of the SQLite file, or CREATE DATABASE … TEMPLATE on PostgreSQL, so no scenario pays for the
// same setup twice. Plain Node (no vitest): bench/torture.ts uses it too.
//
// The summary is what "the same result" means when a killed command is run again, or when two
// commands ran at once, compared with a run that was neither: the fund's status figures; each
// batch's file, line count, control total, line digest, periods and what superseded them; the
// lines actually stored per batch (counted in SQL, so a lost or doubled line shows even if a
// batch's own counts were wrong); every close document; the close/reopen history; and the audit
// trail's actions. Left out, because they legitimately differ between two correct runs:
// timestamps and actors, database ids (PostgreSQL consumes identity values in transactions that
// roll back, so a killed import shifts every later id: batches are named by file hash instead),
// and hashes that cover timestamps (a close's SHA-256 covers its closedAt).

import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { fundStatus } from '../../src/app/status.js';
import { formatPeriod } from '../../src/domain/period.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';

export type Engine = 'sqlite' | 'postgres';

export interface TortureDb {
  engine: Engine;
  /** A SQLite file path or a postgres:// URL, as `--db` takes it. */
  location: string;
  drop(): Promise<void>;
}

export interface Databases {
  engine: Engine;
  /** An empty database. */
  fresh(): Promise<TortureDb>;
  /** A new database holding what `from` holds; nothing may be connected to `from` meanwhile. */
  copy(from: TortureDb): Promise<TortureDb>;
}

/** SQLite files in `dir`. A copy takes the -wal file too, in case the last writer left one. */
export function sqliteDatabases(dir: string): Databases {
  let n = 0;
  const make = (): TortureDb => {
    const location = path.join(dir, `torture-${process.pid}-${++n}.db`);
    return { engine: 'sqlite', location, drop: async () => removeSqlite(location) };
  };
  return {
    engine: 'sqlite',
    fresh: async () => make(),
    copy: async (from) => {
      const db = make();
      if (!fs.existsSync(from.location)) return db; // never created: nor is the copy
      fs.copyFileSync(from.location, db.location);
      if (fs.existsSync(`${from.location}-wal`)) fs.copyFileSync(`${from.location}-wal`, `${db.location}-wal`);
      return db;
    },
  };
}

function removeSqlite(file: string): void {
  for (const suffix of ['', '-wal', '-shm']) fs.rmSync(`${file}${suffix}`, { force: true });
}

/** Databases with random names on a PostgreSQL server whose user may CREATE DATABASE. */
export function postgresDatabases(serverUrl: string): Databases {
  const make = async (template?: TortureDb): Promise<TortureDb> => {
    const name = `tandem_torture_${randomBytes(6).toString('hex')}`;
    const from = template ? ` TEMPLATE ${new URL(template.location).pathname.slice(1)}` : '';
    await admin(serverUrl, `CREATE DATABASE ${name}${from}`);
    const url = new URL(serverUrl);
    url.pathname = `/${name}`;
    return { engine: 'postgres', location: url.toString(), drop: () => admin(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
  };
  return { engine: 'postgres', fresh: () => make(), copy: (from) => make(from) };
}

async function admin(serverUrl: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    // A backend of a killed client can hold the template for a moment after the kill.
    for (let attempt = 0; ; attempt++) {
      try {
        await client.query(sql);
        return;
      } catch (error) {
        if (attempt >= 20 || !/being accessed by other users/.test((error as Error).message)) throw error;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    }
  } finally {
    await client.end();
  }
}

/** Lines stored per batch id, counted in SQL around the store: [batch id, lines, pence]. */
export async function storedLineCounts(db: TortureDb): Promise<[number, number, number][]> {
  const sql = 'SELECT batch_id, COUNT(*) AS n, SUM(amount_pence) AS pence FROM lines GROUP BY batch_id ORDER BY batch_id';
  const rows: { batch_id: unknown; n: unknown; pence: unknown }[] = [];
  if (db.engine === 'sqlite') {
    const sqlite = new Database(db.location, { readonly: true });
    try {
      rows.push(...(sqlite.prepare(sql).all() as typeof rows));
    } finally {
      sqlite.close();
    }
  } else {
    const client = new pg.Client({ connectionString: db.location });
    await client.connect();
    try {
      rows.push(...(await client.query<(typeof rows)[number]>(sql)).rows);
    } finally {
      await client.end();
    }
  }
  return rows.map((r) => [Number(r.batch_id), Number(r.n), Number(r.pence)]);
}

export type Summary = Record<string, unknown>;

const NO_FUND: Summary = { fund: null };

/** The canonical summary of one fund (see the top of this file for what it holds and why). */
export async function summarise(db: TortureDb, fundId: string): Promise<Summary> {
  // Opening a SQLite path creates the file: a database not yet created is simply empty.
  if (db.engine === 'sqlite' && !fs.existsSync(db.location)) return NO_FUND;
  const store = await openStore(db.location, { migrate: false });
  try {
    // Schema or not, a database without the fund holds nothing of it: opening a database creates
    // the schema in a transaction of its own, before and apart from the command's.
    if ((await store.schemaVersion()) === 0 || !(await store.listFunds()).some((f) => f.id === fundId)) return NO_FUND;
    return await summariseStore(store, fundId, await storedLineCounts(db));
  } finally {
    await store.close();
  }
}

async function summariseStore(store: Store, fundId: string, stored: [number, number, number][]): Promise<Summary> {
  const ctx = { store, actor: 'torture', now: () => new Date(0) };
  const status = await fundStatus(ctx, { fundId });
  const batches = await store.listBatches(fundId);
  const shaOf = new Map(batches.map((b) => [b.id, b.fileSha256.slice(0, 16)]));
  const named = (id: number) => shaOf.get(id) ?? `unknown batch ${id}`;
  const batchList = [];
  for (const b of batches) {
    const digest = await store.getBatchDigest(b.id);
    batchList.push({
      ledger: b.ledgerId,
      file: path.basename(b.fileName),
      sha256: named(b.id),
      lines: b.lineCount,
      controlTotalPence: b.controlTotalPence,
      linesSha256: digest?.sha256 ?? null,
      periods: b.periods.map(formatPeriod),
      supersededBy: Object.entries(b.supersededPeriods).map(([p, by]) => `${formatPeriod(Number(p))} by ${named(by)}`),
    });
  }
  const closes = [];
  for (const c of await store.listCloses(fundId)) {
    const record = await store.getClose(fundId, c.period, c.version);
    closes.push({ period: formatPeriod(c.period), version: c.version, document: closeFigures(JSON.parse(record!.documentJson) as Record<string, unknown>, named) });
  }
  const events = await store.listPeriodEvents(fundId);
  const audit = await store.listAudit({ fundId });
  return {
    status: { ...status, database: undefined, periods: status.periods.map((p) => ({ period: p.period, state: p.state, closeVersion: p.closeVersion })) },
    batches: batchList,
    storedLines: stored.map(([id, lines, pence]) => ({ batch: named(id), lines, pence })),
    closes,
    periodEvents: events.map((e) => `${e.action} ${formatPeriod(e.period)}${e.reason ? ` (${e.reason})` : ''}`),
    audit: audit.map((e) => `${e.action} ${(e.subject ?? '').replace(/^batch:(\d+)$/, (_, id: string) => `batch:${named(Number(id))}`)}`),
  };
}

/** A close document without what differs between equal runs: when and by whom, and batch ids. */
export function closeFigures(document: Record<string, unknown>, batchName: (id: number) => string): Record<string, unknown> {
  const { closedAt: _at, closedBy: _by, sources, ...rest } = document as { closedAt: string; closedBy: string; sources: { batches: { id: number }[]; forecastBatches: number[] } };
  return { ...rest, sources: { batches: sources.batches.map(({ id, ...b }) => ({ ...b, id: batchName(id) })), forecastBatches: sources.forecastBatches.length } };
}

/** JSON with object keys sorted, so two summaries compare as strings. */
export function canonical(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => (v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v as object).sort(([a], [b]) => (a < b ? -1 : 1))) : v));
}

/** Where two values first differ, as a path with both sides (for a failure message), or null. */
export function firstDifference(a: unknown, b: unknown, at = ''): string | null {
  if (canonical(a) === canonical(b)) return null;
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])];
    for (const k of keys) {
      const d = firstDifference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${at}/${k}`);
      if (d) return d;
    }
  }
  const show = (v: unknown) => (canonical(v) ?? 'undefined').slice(0, 300);
  return `${at || '/'}: ${show(a)} ≠ ${show(b)}`;
}
