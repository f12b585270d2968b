// npm run bench -- [--lines 1000000] [--skip-postgres] [--skip-peers] [--skip-report] [--json]
//                  [--keep] [--ledger-lines 1000000] [--hledger-lines 100000]
//                  [--min-ratio 0.4] [--results-dir DIR]
//
// One run, side by side, on the same files (issue 7 §1). Generates a fund (bench/agreement.ts)
// and N ledger lines in all — half in the council's CSV, half in the NHS body's, seeded
// (bench/generate.ts), spanning M01..M12 with realistic code ranges — then measures:
// - the storage limit: a bare better-sqlite3 loop storing N already-parsed rows (bench/limit.ts);
// - the file-read reference: mawk summing the amount column of both files to exact pence;
// - Tandem: import both extracts into SQLite, close M12, report M12 (HTML+XLSX+CSV, then PDF);
//   the same imports and close into a throwaway PostgreSQL (bench/fund.ts);
// - peers: ledger-cli on a plain-text journal of the same lines at min(N, 1M) lines and hledger
//   at min(N, 100k) (bench/journal.ts, bench/peers.ts), each against Tandem's import + close of
//   the same lines; at a size other than N a separate set (the first lines of the same draws) is
//   generated and Tandem timed on it too.
// Every total is checked against the generator's own pence: mawk's sums, each close's per-scheme
// YTD actuals and suspense, and the balances the peers print (✓/✗; any ✗ makes the exit code 1).
// Prints a table (or, with --json, one JSON object) and writes bench/results/<date>-<lines>.json
// and .md.

import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, release, totalmem, tmpdir, type } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { startThrowawayPostgres } from '../test/support/postgres.js';
import { benchAgreementYaml } from './agreement.js';
import { importAndCloseS, importNetS, importPeakRssMb, importS, runFund, type FundFiles, type FundResult } from './fund.js';
import { councilLines, nhsLines, writeCouncilExtract, writeNhsExtract, type CouncilCodes, type Months, type NhsCodes } from './generate.js';
import { closeAccountsOf, closeBalances, compareBalances, writeJournal, type LineSource, type Truth } from './journal.js';
import { storageLimit } from './limit.js';
import { hasTool, hledgerBalance, ledgerBalance, mawkSum, toolVersion, type PeerBalances } from './peers.js';
import { checkLines, LEDGER_NAMES, machineLine, markdown, READING, targetLines, targets, textTable, type BenchResult, type Check } from './results.js';

const ROOT = join(import.meta.dirname, '..', '..');
/** bench/close.ts's realistic ranges (400 cost centres × 20 subjectives; × 10 accounts × 2 analysis codes), over the whole year. */
const COUNCIL: CouncilCodes & Months = { subjectives: 20, months: 12 };
const NHS: NhsCodes & Months = { accounts: 10, analysisCodes: 2, months: 12 };

const fmt = (n: number) => n.toLocaleString('en-GB');

interface LineSet {
  lines: number;
  perLedger: { council: number; nhs: number };
  files: FundFiles;
  journal: string | null;
  source: LineSource;
  truth: Truth;
}

/** N lines in all (council ⌈N/2⌉, NHS ⌊N/2⌋), both extracts, and the journal if asked; the first K lines of a set of N are a set of K's. */
async function generateSet(dir: string, agreement: string, lines: number, withJournal: boolean): Promise<LineSet> {
  mkdirSync(dir, { recursive: true });
  const perLedger = { council: Math.ceil(lines / 2), nhs: Math.floor(lines / 2) };
  const files = { agreement, council: join(dir, 'council.csv'), nhs: join(dir, 'nhs.csv') };
  await writeCouncilExtract(files.council, perLedger.council, 1, COUNCIL);
  await writeNhsExtract(files.nhs, perLedger.nhs, 2, NHS);
  const source: LineSource = { council: () => councilLines(perLedger.council, 1, COUNCIL), nhs: () => nhsLines(perLedger.nhs, 2, NHS) };
  const journal = withJournal ? join(dir, 'journal.ledger') : null;
  const { truth } = await writeJournal(journal, source);
  return { lines, perLedger, files, journal, source, truth };
}

/** Measurements to a thousandth (of a second, a line/s, a MB): no false precision in the record. */
const rounded = (_key: string, value: unknown) => (typeof value === 'number' && !Number.isInteger(value) ? Math.round(value * 1000) / 1000 : value);

const sizeMb = (file: string) => statSync(file).size / 1e6;

function commit(): string | null {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain'], { cwd: ROOT, encoding: 'utf8' }).trim() !== '';
    return dirty ? `${head} (with uncommitted changes)` : head;
  } catch {
    return null;
  }
}

async function postgresVersion(url: string): Promise<string> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<{ server_version: string }>('SHOW server_version')).rows[0]!.server_version;
  } finally {
    await client.end();
  }
}

function positive(name: string, value: string | undefined): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < 2) throw new Error(`--${name} must be a whole number of at least 2`);
  return n;
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      lines: { type: 'string', default: '1000000' },
      'ledger-lines': { type: 'string', default: '1000000' },
      'hledger-lines': { type: 'string', default: '100000' },
      'skip-postgres': { type: 'boolean' },
      'skip-peers': { type: 'boolean' },
      'skip-report': { type: 'boolean' },
      json: { type: 'boolean' },
      keep: { type: 'boolean' },
      'min-ratio': { type: 'string' },
      'results-dir': { type: 'string' },
    },
  });
  const minRatio = values['min-ratio'] === undefined ? null : Number(values['min-ratio']);
  if (minRatio !== null && !(minRatio > 0 && minRatio < 10)) throw new Error('--min-ratio must be a number such as 0.4');
  const lines = positive('lines', values.lines);
  const ledgerLines = Math.min(lines, positive('ledger-lines', values['ledger-lines']));
  const hledgerLines = Math.min(lines, positive('hledger-lines', values['hledger-lines']));
  const log = (text: string) => (values.json ? process.stderr : process.stdout).write(`${text}\n`);
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail = '') => {
    checks.push({ name, ok, detail });
    log(`${ok ? '✓' : '✗'} ${name}${detail === '' ? '' : `: ${detail}`}`);
  };
  const balancesCheck = (name: string, expected: ReadonlyMap<string, number>, actual: ReadonlyMap<string, number>) => {
    const differences = compareBalances(expected, actual);
    const shown = differences.slice(0, 5).map((d) => `${d.account} ${d.actual} ≠ ${d.expected}`).join('; ');
    check(name, differences.length === 0, differences.length === 0 ? `${expected.size} accounts, exact pence` : `${differences.length} account(s) differ (pence): ${shown}`);
  };
  const peers = !values['skip-peers'];
  if (peers) for (const tool of ['ledger', 'hledger']) if (!hasTool(tool)) throw new Error(`${tool} is not installed (apt-get install -y ledger hledger), or pass --skip-peers`);
  if (!hasTool('mawk')) throw new Error('mawk is not installed (apt-get install -y mawk)');

  const loadStart = loadavg();
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-run-'));
  const agreement = join(dir, 'agreement.yaml');
  writeFileSync(agreement, benchAgreementYaml());
  try {
    // 1. The files.
    let started = Date.now();
    const main = await generateSet(join(dir, 'main'), agreement, lines, peers && (ledgerLines === lines || hledgerLines === lines));
    log(`generated ${fmt(lines)} lines (council ${fmt(main.perLedger.council)}, NHS ${fmt(main.perLedger.nhs)}; ${(sizeMb(main.files.council) + sizeMb(main.files.nhs)).toFixed(0)} MB) in ${((Date.now() - started) / 1000).toFixed(1)} s in ${dir}`);

    // 2. The storage limit.
    log('storage limit (better-sqlite3, bare loop)…');
    const limitDb = join(dir, 'limit.db');
    const limit = storageLimit(limitDb, [
      { ledger: 'council', lines: main.source.council },
      { ledger: 'nhs', lines: main.source.nhs },
    ]);
    for (const suffix of ['', '-wal', '-shm']) rmSync(`${limitDb}${suffix}`, { force: true });
    log(`  ${fmt(limit.rows)} rows in ${limit.seconds.toFixed(2)} s: ${fmt(Math.round(limit.linesPerS))} lines/s`);
    check('storage limit stored every line', limit.rows === lines, `${fmt(limit.rows)} rows`);

    // 3. mawk.
    log('mawk…');
    const mawk = { council: mawkSum('council', main.files.council, dir), nhs: mawkSum('nhs', main.files.nhs, dir) };
    for (const ledger of ['council', 'nhs'] as const) {
      const m = mawk[ledger];
      check(`mawk's sum of the ${LEDGER_NAMES[ledger]} amounts = the generator's`, m.lines === main.truth.lines[ledger] && m.pence === main.truth.pence[ledger], `${fmt(m.lines)} lines, ${m.pence} pence (expected ${main.truth.pence[ledger]})`);
    }

    // 4. Tandem on SQLite.
    log('Tandem → SQLite…');
    const sqlite = runFund(join(dir, 'main', 'tandem.db'), dir, main.files, { report: !values['skip-report'], log });
    const expectedClose = closeAccountsOf(main.truth.balances);
    const importsCheck = (engine: string, fund: FundResult) =>
      check(`${engine} imported every line`, fund.imports.every((i) => i.lines === main.perLedger[i.ledger]), fund.imports.map((i) => `${LEDGER_NAMES[i.ledger]} ${fmt(i.lines)}`).join(', '));
    importsCheck('SQLite', sqlite);
    balancesCheck("SQLite close M12: each scheme's YTD actual and the suspense = the generator's", expectedClose, closeBalances(sqlite.close.output));

    // 5. Tandem on PostgreSQL.
    let postgres: FundResult | null = null;
    let pgVersion: string | null = null;
    if (!values['skip-postgres']) {
      log('Tandem → PostgreSQL (throwaway server)…');
      const server = await startThrowawayPostgres();
      try {
        pgVersion = await postgresVersion(server.url);
        postgres = runFund(server.url, dir, main.files, { report: false, log });
      } finally {
        await server.stop();
      }
      importsCheck('PostgreSQL', postgres);
      balancesCheck("PostgreSQL close M12: each scheme's YTD actual and the suspense = the generator's", expectedClose, closeBalances(postgres.close.output));
    }

    // 6. Peers, each against Tandem on the same lines.
    const sets = new Map<number, { set: LineSet; fund: FundResult }>([[lines, { set: main, fund: sqlite }]]);
    const atSize = async (n: number) => {
      const known = sets.get(n);
      if (known !== undefined) return known;
      started = Date.now();
      const set = await generateSet(join(dir, `set-${n}`), agreement, n, true);
      log(`generated a separate set of ${fmt(n)} lines (the first of the same draws) with its journal in ${((Date.now() - started) / 1000).toFixed(1)} s`);
      log(`Tandem → SQLite at ${fmt(n)} lines…`);
      const fund = runFund(join(dir, `set-${n}`, 'tandem.db'), dir, set.files, { report: false, log });
      balancesCheck(`SQLite close M12 at ${fmt(n)} lines: each scheme's YTD actual and the suspense = the generator's`, closeAccountsOf(set.truth.balances), closeBalances(fund.close.output));
      const entry = { set, fund };
      sets.set(n, entry);
      return entry;
    };
    const peer = async (tool: 'ledger-cli' | 'hledger', n: number, run: (journal: string, dir: string) => PeerBalances) => {
      const { set, fund } = await atSize(n);
      if (set.journal === null) throw new Error(`no journal was written for ${n} lines`);
      log(`${tool} balance at ${fmt(n)} lines (${sizeMb(set.journal).toFixed(0)} MB journal)…`);
      const result = run(set.journal, dir);
      log(`  ${result.wallSeconds.toFixed(2)} s, peak RSS ${result.peakRssMb === null ? '?' : result.peakRssMb.toFixed(0)} MB`);
      balancesCheck(`${tool}'s depth-2 balances at ${fmt(n)} lines = the generator's`, set.truth.balances, result.balances);
      balancesCheck(`${tool}'s Fund:<scheme> and Suspense balances = Tandem's close at ${fmt(n)} lines`, closeBalances(fund.close.output), closeAccountsOf(result.balances));
      return { result, tandemS: importAndCloseS(fund) };
    };
    const ledger = peers ? await peer('ledger-cli', ledgerLines, ledgerBalance) : null;
    const hledger = peers ? await peer('hledger', hledgerLines, hledgerBalance) : null;

    // 7. The record.
    const sqliteImportS = importS(sqlite);
    const sqliteNetS = importNetS(sqlite);
    const mawkS = mawk.council.wallSeconds + mawk.nhs.wallSeconds;
    const mawkRss = mawk.council.peakRssMb === null || mawk.nhs.peakRssMb === null ? null : Math.max(mawk.council.peakRssMb, mawk.nhs.peakRssMb);
    const date = new Date().toISOString();
    const result: BenchResult = {
      date,
      command: `npm run bench -- ${process.argv.slice(2).join(' ')}`.trim(),
      lines,
      perLedger: main.perLedger,
      files: { councilMb: sizeMb(main.files.council), nhsMb: sizeMb(main.files.nhs) },
      machine: {
        cores: cpus().length,
        cpu: cpus()[0]?.model.trim() ?? 'unknown',
        memoryGiB: totalmem() / 2 ** 30,
        os: `${type()} ${release()}`,
        node: process.version,
        sqlite: limit.sqliteVersion,
        postgres: pgVersion,
        ledger: toolVersion('ledger', ['--version']),
        hledger: toolVersion('hledger', ['--version']),
        mawk: toolVersion('mawk', ['-W', 'version']),
        commit: commit(),
        loadAverage: { start: loadStart, end: loadavg() },
      },
      limit: { sqliteLinesPerS: limit.linesPerS, seconds: limit.seconds, rows: limit.rows, rowsPerStatement: limit.rowsPerStatement },
      mawk: { linesPerS: lines / mawkS, seconds: mawkS, councilS: mawk.council.wallSeconds, nhsS: mawk.nhs.wallSeconds, peakRssMb: mawkRss },
      sqlite: {
        importLinesPerS: lines / sqliteNetS,
        importS: sqliteImportS,
        importNetS: sqliteNetS,
        importWallLinesPerS: lines / sqliteImportS,
        startupS: sqlite.startupS,
        peakRssMb: importPeakRssMb(sqlite),
        imports: sqlite.imports.map((i) => ({ ledger: i.ledger, lines: i.lines, s: i.step.wallS, linesPerS: i.lines / i.step.wallS, peakRssMb: i.step.peakRssMb })),
        importVsLimit: lines / sqliteNetS / limit.linesPerS,
        importWallVsLimit: lines / sqliteImportS / limit.linesPerS,
        closeS: sqlite.close.wallS,
        closeInProcessS: sqlite.close.inProcessS,
        closePeakRssMb: sqlite.close.peakRssMb,
        reportS: sqlite.report?.wallS ?? null,
        reportInProcessS: sqlite.report?.inProcessS ?? null,
        reportFormatsS: sqlite.report?.formats ?? null,
        reportPeakRssMb: sqlite.report?.peakRssMb ?? null,
        reportPdfS: sqlite.pdf?.wallS ?? null,
        reportPdfPeakRssMb: sqlite.pdf?.peakRssMb ?? null,
        importAndCloseS: importAndCloseS(sqlite),
      },
      postgres: {
        importLinesPerS: postgres === null ? null : lines / importNetS(postgres),
        importS: postgres === null ? null : importS(postgres),
        importWallLinesPerS: postgres === null ? null : lines / importS(postgres),
        startupS: postgres?.startupS ?? null,
        peakRssMb: postgres === null ? null : importPeakRssMb(postgres),
        closeS: postgres?.close.wallS ?? null,
        closeInProcessS: postgres?.close.inProcessS ?? null,
        closePeakRssMb: postgres?.close.peakRssMb ?? null,
      },
      peers: {
        ledgerLines: ledger === null ? null : ledgerLines,
        ledgerS: ledger?.result.wallSeconds ?? null,
        ledgerPeakRssMb: ledger?.result.peakRssMb ?? null,
        tandemAtLedgerLinesS: ledger?.tandemS ?? null,
        ledgerOverTandem: ledger === null ? null : ledger.result.wallSeconds / ledger.tandemS,
        hledgerLines: hledger === null ? null : hledgerLines,
        hledgerS: hledger?.result.wallSeconds ?? null,
        hledgerPeakRssMb: hledger?.result.peakRssMb ?? null,
        tandemAtHledgerLinesS: hledger?.tandemS ?? null,
        hledgerOverTandem: hledger === null ? null : hledger.result.wallSeconds / hledger.tandemS,
      },
      targets: [],
      checks,
    };
    result.targets = targets(result);

    const results = values['results-dir'] ?? join(ROOT, 'bench', 'results');
    mkdirSync(results, { recursive: true });
    const stem = join(results, `${date.slice(0, 10)}-${lines}`);
    writeFileSync(`${stem}.json`, `${JSON.stringify(result, rounded, 2)}\n`);
    writeFileSync(`${stem}.md`, markdown(result));
    if (values.json) {
      process.stdout.write(`${JSON.stringify(result, rounded)}\n`);
    } else {
      log(['', `machine: ${machineLine(result.machine)}`, `load average ${loadStart.map((x) => x.toFixed(2)).join(' ')} → ${result.machine.loadAverage.end.map((x) => x.toFixed(2)).join(' ')}`, '', textTable(result), '', 'Targets (issue 7):', ...targetLines(result.targets).map((t) => `  ${t}`), '', ...checkLines(checks), '', ...READING].join('\n'));
    }
    log(`\nwritten: ${stem}.json and .md`);
    // The regression guard (CI): the ratio is measured against the limit in this same run, so a
    // slow machine moves both sides; an absolute time would fail on a noisy one.
    const guard = minRatio === null || result.sqlite.importVsLimit >= minRatio;
    if (minRatio !== null) log(`${guard ? '✓' : '✗'} import ÷ storage limit ${result.sqlite.importVsLimit.toFixed(2)} ${guard ? '≥' : '<'} ${minRatio} (--min-ratio)`);
    return checks.every((c) => c.ok) && guard ? 0 : 1;
  } finally {
    if (values.keep) log(`kept: ${dir}`);
    else rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
