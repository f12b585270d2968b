// npm run bench:close -- --lines 1000000 [--skip-postgres] [--keep] [--wide-codes]
//
// How long a month-end close takes on a realistically large fund. Generates N ledger lines in
// all, split between the bench agreement's two ledgers (bench/generate.ts; months M01..M09, so
// the year to date of the closed month M09 holds every line), imports them with the real `tandem`
// CLI into a fresh SQLite file and a throwaway PostgreSQL, then runs `tandem close 2025-26 M09
// --allow-unmapped --json` as a child process, and again after `tandem reopen` (a re-close). It
// prints the close's own `seconds` (inside the process, in the transaction), the wall-clock time
// of the whole process (Node start and JSON output included), peak RSS, and what the close wrote.
// A figure printer, not a timed test.
//
// The close reads line totals (one row per batch, period, status, scheme and code combination),
// never lines, so its cost follows the number of code combinations, not of lines. By default the
// codes are drawn from realistic ranges (a few thousand combinations per ledger and month; the
// ICB's pooled spend gives the recharge journals a few thousand analysis-code groups). With
// --wide-codes they are the import benchmark's (nearly one combination per line): a stress case.

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import pg from 'pg';
import { startThrowawayPostgres } from '../test/support/postgres.js';
import { benchAgreementYaml } from './agreement.js';
import { runTandem, type Measured } from './cli.js';
import { writeCouncilExtract, writeNhsExtract, type CouncilCodes, type NhsCodes } from './generate.js';

/** bench/generate.ts dates council lines April..December 2025 and gives NHS lines periods 1..9. */
const PERIOD = ['2025-26', 'M09'];
/** 400 cost centres × 20 subjectives; 400 cost centres × 10 accounts × 2 analysis codes. */
const REALISTIC: { council: CouncilCodes; nhs: NhsCodes } = { council: { subjectives: 20 }, nhs: { accounts: 10, analysisCodes: 2 } };


interface CloseOutput {
  seconds: number;
  closeVersion: number;
  schemes: unknown[];
  journals: { kind: string; lines: unknown[] }[];
  unmapped: { lines: number }[];
  changes: unknown[];
}

const tandem = runTandem;

/** Rows in line_totals: what the close's aggregate queries read (all live, all in the year to date). */
async function totalsRows(db: string): Promise<number> {
  const sql = 'SELECT COUNT(*) AS n FROM line_totals';
  if (!db.startsWith('postgres')) {
    const sqlite = new Database(db, { readonly: true });
    try {
      return Number((sqlite.prepare(sql).get() as { n: number }).n);
    } finally {
      sqlite.close();
    }
  }
  const client = new pg.Client({ connectionString: db });
  await client.connect();
  try {
    return Number((await client.query<{ n: string }>(sql)).rows[0]!.n);
  } finally {
    await client.end();
  }
}

interface EngineResult {
  lines: number;
  totalsRows: number;
  importSeconds: number;
  closes: { run: string; m: Measured<CloseOutput> }[];
}

async function runEngine(db: string, dir: string, files: { council: string; nhs: string }): Promise<EngineResult> {
  tandem(['agreement', 'load', join(dir, 'agreement.yaml'), '--db', db], dir);
  const imports = [tandem<{ lines: number }>(['import', '--ledger', 'council', files.council, '--db', db], dir), tandem<{ lines: number }>(['import', '--ledger', 'nhs', files.nhs, '--db', db], dir)];
  const close = ['close', ...PERIOD, '--allow-unmapped', '--db', db];
  const first = tandem<CloseOutput>(close, dir);
  tandem(['reopen', ...PERIOD, '--reason', 'bench', '--db', db], dir);
  const again = tandem<CloseOutput>(close, dir);
  if (first.output.closeVersion !== 1 || again.output.closeVersion !== 2) throw new Error(`close versions ${first.output.closeVersion} and ${again.output.closeVersion}, expected 1 and 2`);
  if (again.output.changes.length !== 0) throw new Error(`the re-close of unchanged data listed ${again.output.changes.length} change(s)`);
  return {
    lines: imports.reduce((n, i) => n + i.output.lines, 0),
    totalsRows: await totalsRows(db),
    importSeconds: imports.reduce((s, i) => s + i.wallSeconds, 0),
    closes: [
      { run: 'close', m: first },
      { run: 're-close', m: again },
    ],
  };
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  console.log([header, ...rows].map((r) => r.map((c, i) => (i < 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n'));
}

async function main() {
  const { values } = parseArgs({
    options: { lines: { type: 'string', default: '1000000' }, 'skip-postgres': { type: 'boolean' }, keep: { type: 'boolean' }, 'wide-codes': { type: 'boolean' } },
  });
  const lines = Number(values.lines);
  if (!Number.isSafeInteger(lines) || lines < 2) throw new Error('--lines must be a whole number of at least 2');
  const codes = values['wide-codes'] ? { council: {}, nhs: {} } : REALISTIC;
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-close-'));
  const files = { council: join(dir, 'council.csv'), nhs: join(dir, 'nhs.csv') };
  writeFileSync(join(dir, 'agreement.yaml'), benchAgreementYaml());
  const perLedger = { council: Math.ceil(lines / 2), nhs: Math.floor(lines / 2) };
  const genStart = Date.now();
  const bytes = [await writeCouncilExtract(files.council, perLedger.council, 1, codes.council), await writeNhsExtract(files.nhs, perLedger.nhs, 2, codes.nhs)];
  const fmt = (n: number) => n.toLocaleString('en-GB');
  console.log(
    `generated ${fmt(lines)} lines (council ${fmt(perLedger.council)}, NHS ${fmt(perLedger.nhs)}; ${values['wide-codes'] ? 'wide' : 'realistic'} codes; ${((bytes[0]! + bytes[1]!) / 1e6).toFixed(0)} MB) in ${((Date.now() - genStart) / 1000).toFixed(1)} s in ${dir}`,
  );
  console.log(`machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);

  const results: [string, EngineResult][] = [];
  try {
    results.push(['sqlite', await runEngine(join(dir, 'bench.db'), dir, files)]);
    if (!values['skip-postgres']) {
      const server = await startThrowawayPostgres();
      try {
        results.push(['postgres', await runEngine(server.url, dir, files)]);
      } finally {
        await server.stop();
      }
    }
  } finally {
    if (!values.keep) rmSync(dir, { recursive: true, force: true });
  }

  const rows: string[][] = [];
  for (const [engine, r] of results) {
    if (r.lines !== lines) throw new Error(`${engine}: imported ${r.lines} lines, expected ${lines}`);
    for (const { run, m } of r.closes) {
      const o = m.output;
      const journalLines = o.journals.reduce((n, j) => n + j.lines.length, 0);
      const recharge = o.journals.filter((j) => j.kind === 'recharge').reduce((n, j) => n + j.lines.length, 0);
      rows.push([
        engine,
        run,
        fmt(r.lines),
        fmt(r.totalsRows),
        o.seconds.toFixed(2),
        m.wallSeconds.toFixed(2),
        m.peakRssMb.toFixed(0),
        String(o.schemes.length),
        String(o.journals.length),
        fmt(journalLines),
        fmt(recharge),
        fmt(o.unmapped.reduce((n, u) => n + u.lines, 0)),
      ]);
    }
  }
  console.log('');
  printTable(['engine', 'run', 'lines', 'totals rows', 'close s', 'wall s', 'peak RSS MB', 'schemes', 'journals', 'journal lines', 'recharge lines', 'unmapped'], rows);
  console.log(`\nimports (context): ${results.map(([e, r]) => `${e} ${r.importSeconds.toFixed(1)} s for both ledgers`).join(', ')}`);
  console.log(`close s: the close's own \`seconds\` (${PERIOD.join(' ')}, inside the process); wall s: the whole \`tandem close\` process, Node start and JSON output included.`);
  console.log('re-close: after `tandem reopen --reason bench`, the same data closed again (version 2, no changes).');
}

await main();
