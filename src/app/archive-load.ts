// Writing a whole store into an empty database: what `tandem import-archive`, `tandem restore` and
// `tandem migrate-store` end with. In one transaction, so a copy is complete or absent:
// 1. the target must hold no record (its migrations only): a copy never merges with other data;
// 2. every table is written row for row, ids included, in an order that satisfies the foreign
//    keys; PostgreSQL's identity sequences are then moved past the largest ids;
// 3. every table is read back from the target and written out as archive lines: their SHA-256s
//    must be the source's, so the database holds exactly what was copied, value for value;
// 4. `tandem verify` runs on the copy, inside the same transaction: the audit chain, every batch's
//    lines against its digest, every close recomputed; its audit head must be the source's.
// Any failure rolls everything back. Nothing is added to the audit trail: the copy is the same
// record, not a change to it, and must end at the same head as its source.

import { createHash } from 'node:crypto';
import { tableAccess } from '../store/table-access.js';
import { MIGRATIONS_TABLE, TABLES, TABLES_SCHEMA_VERSION, type TableRow } from '../store/tables.js';
import { rowLine, type AuditHead } from './archive-format.js';
import { CHUNK_ROWS, type OnArchiveProgress } from './archive-export.js';
import type { AppContext } from './context.js';
import { TandemError, type Problem } from './errors.js';
import { verify, verifyFailure, type VerifyReport } from './verify.js';

/** Where the rows come from: an archive's files, or another store's snapshot. */
export interface TableFeed {
  /** The table's rows in archive order, chunk by chunk. */
  rows(table: string): AsyncIterable<TableRow[]>;
  /** Once rows(table) has been read to the end: how many rows, and the SHA-256 of their archive lines. */
  expected(table: string): { rows: number; sha256: string };
  totalRows: number;
  auditHead: AuditHead | null;
}

export interface LoadResult {
  database: string;
  dialect: 'sqlite' | 'postgres';
  tables: Record<string, number>;
  rows: number;
  audit: { events: number; head: AuditHead | null };
  verify: Pick<VerifyReport, 'ok' | 'summary' | 'funds'>;
  seconds: number;
}

const elapsed = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

export async function loadIntoEmptyStore(ctx: AppContext, feed: TableFeed, onProgress?: OnArchiveProgress): Promise<LoadResult> {
  const started = process.hrtime.bigint();
  return ctx.store.transaction(async (tx) => {
    const tables = tableAccess(tx);
    await tables.lockForCopy();
    const version = await tx.schemaVersion();
    if (version !== TABLES_SCHEMA_VERSION) throw new TandemError('ARCHIVE_UNSUPPORTED', `${tx.location} is at schema version ${version}; a copy is written into version ${TABLES_SCHEMA_VERSION}`);
    await assertEmpty(tx.location, await tables.countTableRows());

    const counts: Record<string, number> = {};
    let done = 0;
    for (const spec of TABLES) {
      let n = 0;
      const migrations: TableRow[] = [];
      for await (const chunk of feed.rows(spec.name)) {
        if (spec.name === MIGRATIONS_TABLE) migrations.push(...chunk);
        else await tables.insertTableRows(spec.name, chunk);
        n += chunk.length;
        done += chunk.length;
        onProgress?.({ phase: 'writing', done, total: feed.totalRows, unit: 'rows' });
      }
      if (spec.name === MIGRATIONS_TABLE) await tables.replaceMigrationHistory(migrations);
      counts[spec.name] = n;
    }
    await tables.resetIdSequences();

    await compareWithSource(tx.location, tables, feed, onProgress);

    onProgress?.({ phase: 'verifying', done: 0, total: 1, unit: 'rows' });
    const report = await verify({ ...ctx, store: tx }, feed.auditHead ? { auditHead: feed.auditHead.hash } : {});
    const failure = verifyFailure(report);
    if (failure) throw new TandemError('VERIFY_FAILED', `the copy fails verification, so nothing was written: ${failure.message}`, failure.problems);
    const head = report.audit.head;
    if (JSON.stringify(head) !== JSON.stringify(feed.auditHead)) {
      throw new TandemError('COPY_MISMATCH', `the copy's audit chain ends at ${JSON.stringify(head)}, the source's at ${JSON.stringify(feed.auditHead)}; nothing was written`);
    }
    return {
      database: tx.location,
      dialect: tx.dialect,
      tables: counts,
      rows: done,
      audit: report.audit,
      verify: { ok: report.ok, summary: report.summary, funds: report.funds },
      seconds: elapsed(started),
    };
  });
}

async function assertEmpty(location: string, counts: Record<string, number>): Promise<void> {
  const held = Object.entries(counts).filter(([table, n]) => table !== MIGRATIONS_TABLE && n > 0);
  if (held.length === 0) return;
  throw new TandemError(
    'TARGET_NOT_EMPTY',
    `${location} already holds data (${held.map(([t, n]) => `${t}: ${n}`).join(', ')}); a copy is only written into an empty database, never merged — give a new SQLite file or an empty PostgreSQL database`,
  );
}

/** Step 3: the target's tables, as archive lines, hash exactly as the source's did. */
async function compareWithSource(location: string, tables: ReturnType<typeof tableAccess>, feed: TableFeed, onProgress?: OnArchiveProgress): Promise<void> {
  const problems: Problem[] = [];
  let done = 0;
  for (const spec of TABLES) {
    const hash = createHash('sha256');
    let rows = 0;
    for await (const chunk of tables.iterateTable(spec.name, CHUNK_ROWS)) {
      let text = '';
      for (const row of chunk) text += rowLine(spec, row);
      hash.update(text);
      rows += chunk.length;
      done += chunk.length;
      onProgress?.({ phase: 'checking the copy', done, total: feed.totalRows, unit: 'rows' });
    }
    const expected = feed.expected(spec.name);
    const sha256 = hash.digest('hex');
    if (rows !== expected.rows || sha256 !== expected.sha256) {
      problems.push({ code: 'TABLE_DIFFERS', message: `${spec.name}: ${rows} row(s) read back with SHA-256 ${sha256}; the source has ${expected.rows} with ${expected.sha256}`, path: spec.name });
    }
  }
  if (problems.length > 0) throw new TandemError('COPY_MISMATCH', `${location} did not store exactly what was copied (${problems.length} table(s) differ); nothing was written`, problems);
}
