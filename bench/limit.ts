// The storage limit: how fast this machine stores already-parsed ledger lines with
// better-sqlite3, with nothing else done. One table shaped like the essentials of Tandem's
// `lines` — (batch_id, line_no, period, scheme_id, amount_pence, raw TEXT), primary key
// (batch_id, line_no), STRICT — in a fresh file with Tandem's own settings (16 KiB pages, WAL,
// synchronous=NORMAL, 16 MiB cache; src/store/driver-sqlite.ts), one prepared multi-row INSERT
// of ROWS_PER_STATEMENT rows, all rows in one transaction.
//
// The rows are built beforehand, a chunk at a time, outside the clock (their `raw` is the JSON
// array of the line's CSV columns, as Tandem stores it; period, scheme and pence are the drawn
// values): the clock runs only while statements execute, and over BEGIN, COMMIT and closing the
// database (which checkpoints the WAL into the file, as a Tandem import does at its end).

import Database from 'better-sqlite3';
import type { CouncilLine, NhsLine } from './generate.js';
import { benchTarget, type BenchLedger } from './journal.js';

/** Rows per INSERT statement (6 parameters each). 128 is Tandem's; see docs/performance.md. */
export const ROWS_PER_STATEMENT = 128;
/** Rows built before each timed stretch: bounds memory whatever --lines is. */
const ROWS_PER_CHUNK = ROWS_PER_STATEMENT * 512;

export interface LimitResult {
  rows: number;
  seconds: number;
  linesPerS: number;
  rowsPerStatement: number;
  sqliteVersion: string;
}

type Row = [number, number, number, string | null, number, string];

function configure(db: Database.Database): void {
  db.pragma('page_size = 16384');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.pragma('cache_size = -16384');
  db.pragma('temp_store = MEMORY');
}

function insertSql(rows: number): string {
  return `INSERT INTO lines (batch_id, line_no, period, scheme_id, amount_pence, raw) VALUES ${Array.from({ length: rows }, () => '(?, ?, ?, ?, ?, ?)').join(', ')}`;
}

export interface LimitSource {
  ledger: BenchLedger;
  lines: () => Iterable<CouncilLine | NhsLine>;
}

/** Stores every line of `sources` (batch 1, 2, …) in a new database at `file`; returns the rows and the time spent storing them. */
export function storageLimit(file: string, sources: LimitSource[], rowsPerStatement = ROWS_PER_STATEMENT): LimitResult {
  let elapsed = 0n;
  const clock = <T>(work: () => T): T => {
    const started = process.hrtime.bigint();
    try {
      return work();
    } finally {
      elapsed += process.hrtime.bigint() - started;
    }
  };
  const db = new Database(file);
  configure(db);
  const sqliteVersion = (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  db.exec('CREATE TABLE lines (batch_id INTEGER NOT NULL, line_no INTEGER NOT NULL, period INTEGER NOT NULL, scheme_id TEXT, amount_pence INTEGER NOT NULL, raw TEXT NOT NULL, PRIMARY KEY (batch_id, line_no)) STRICT');
  const full = db.prepare(insertSql(rowsPerStatement));
  let rows = 0;
  const flush = (chunk: Row[]) => {
    // Parameters laid out before the clock starts; the clock covers only the statements.
    const statements: unknown[][] = [];
    for (let at = 0; at + rowsPerStatement <= chunk.length; at += rowsPerStatement) statements.push(chunk.slice(at, at + rowsPerStatement).flat());
    const rest = chunk.slice(statements.length * rowsPerStatement);
    const tail = rest.length > 0 ? db.prepare(insertSql(rest.length)) : null;
    const tailParams = rest.flat();
    clock(() => {
      for (const params of statements) full.run(params);
      if (tail) tail.run(tailParams);
    });
    rows += chunk.length;
  };
  clock(() => db.exec('BEGIN'));
  let batchId = 0;
  for (const source of sources) {
    batchId += 1;
    let lineNo = 0;
    let chunk: Row[] = [];
    for (const line of source.lines()) {
      lineNo += 1;
      const target = benchTarget(source.ledger, line.fields);
      chunk.push([batchId, lineNo, line.month, target.kind === 'mapped' ? target.scheme : null, line.pence, JSON.stringify(line.fields)]);
      if (chunk.length === ROWS_PER_CHUNK) {
        flush(chunk);
        chunk = [];
      }
    }
    if (chunk.length > 0) flush(chunk);
  }
  clock(() => {
    db.exec('COMMIT');
    db.close();
  });
  const seconds = Number(elapsed) / 1e9;
  const check = new Database(file, { readonly: true });
  try {
    const stored = Number((check.prepare('SELECT COUNT(*) AS n FROM lines').get() as { n: number }).n);
    if (stored !== rows) throw new Error(`storage limit: ${stored} rows stored, ${rows} inserted`);
  } finally {
    check.close();
  }
  return { rows, seconds, linesPerS: rows / seconds, rowsPerStatement, sqliteVersion };
}
