// npm run build && node dist/bench/scaling.js --lines 1000000 [--funds 2] [--experiments] [--out FILE]
//
// The figures behind docs/scaling.md, on a throwaway PostgreSQL (test/support/postgres.ts: fsync
// off, so import and write times flatter a real server; reads and sizes are what they are). Not
// in package.json: run it after a build. For each of --funds funds in turn (the bench agreement
// under fund ids bench, bench2, …), imports the same N generated lines (bench:close's realistic
// codes, M01–M09) with the real CLI, ANALYZEs, and then measures fund `bench` with every fund
// loaded so far:
// - table and index sizes (pg_relation_size, pg_indexes_size, pg_total_relation_size) and rows;
// - the month-end close of M09, in process, three times (close, then reopen + close twice);
// - EXPLAIN (ANALYZE, BUFFERS) of every SELECT the last close ran that reads a table of lines or
//   totals: time, rows, buffers, and each scan with its index;
// - the drill-down (Store.queryLiveLines) of the biggest scheme, page 1 by period and by amount,
//   and EXPLAIN ANALYZE of the amount sort's statement (it scans the lines of every fund);
// - the cost of a new connection against a query on an open one (for pooling).
// With --experiments, two changes docs/scaling.md proposes are tried on copies beside the real
// tables: line_totals compacted to one row per group (the close's statement grouped by codes run
// against both), and `lines` partitioned by fund (LIST) and financial year (RANGE on period) with
// fund_id on every row (the amount sort's statement run against both).

import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import pg from 'pg';
import { closePeriod, reopenPeriod } from '../src/app/close.js';
import type { AppContext } from '../src/app/context.js';
import { periodKey } from '../src/domain/period.js';
import type { SqlValue } from '../src/store/driver.js';
import { openPostgresDriver } from '../src/store/driver-postgres.js';
import { numberPlaceholders } from '../src/store/sql-text.js';
import { createStore } from '../src/store/store.js';
import type { LiveLinesPage, Store } from '../src/store/types.js';
import { startThrowawayPostgres } from '../test/support/postgres.js';
import { benchAgreementYaml } from './agreement.js';
import { runTandem } from './cli.js';
import { writeCouncilExtract, writeNhsExtract } from './generate.js';
import { recording, type Statement } from '../test/support/recording-driver.js';
import { withPgClient } from '../test/support/raw-sql.js';

const M09 = periodKey(2025, 9);
const FUND = 'bench';
/** bench/close.ts's realistic codes: a few thousand combinations per ledger and month. */
const REALISTIC = { council: { subjectives: 20 }, nhs: { accounts: 10, analysisCodes: 2 } };

const toParam = (value: SqlValue) => (typeof value === 'bigint' ? value.toString() : value);
const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();
const ms = (started: bigint) => Number(process.hrtime.bigint() - started) / 1e6;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Index Cond'?: string;
  Filter?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  'Rows Removed by Filter'?: number;
  'Shared Hit Blocks'?: number;
  'Shared Read Blocks'?: number;
  Plans?: PlanNode[];
}

interface Explained {
  sql: string;
  executionMs: number;
  planningMs: number;
  rows: number;
  sharedBlocks: number;
  scans: string[];
}

function scansOf(node: PlanNode, out: string[] = []): string[] {
  if (node['Relation Name'] !== undefined) {
    const removed = node['Rows Removed by Filter'] ? `, ${Math.round(node['Rows Removed by Filter'] * node['Actual Loops'])} removed by filter` : '';
    out.push(`${node['Node Type']} on ${node['Relation Name']}${node['Index Name'] ? ` using ${node['Index Name']}` : ''}: ${Math.round(node['Actual Rows'] * node['Actual Loops'])} rows in ${node['Actual Loops']} loop(s)${removed}`);
  } else if (node['Node Type'] === 'Bitmap Index Scan') out.push(`Bitmap Index Scan using ${node['Index Name']}: ${Math.round(node['Actual Rows'] * node['Actual Loops'])} rows`);
  for (const child of node.Plans ?? []) scansOf(child, out);
  return out;
}

async function explain(client: pg.Client, s: Statement): Promise<Explained> {
  const result = await client.query<{ 'QUERY PLAN': [{ Plan: PlanNode; 'Execution Time': number; 'Planning Time': number }] }>(
    `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON) ${numberPlaceholders(s.sql)}`,
    s.params.map(toParam),
  );
  const [top] = result.rows[0]!['QUERY PLAN'];
  return {
    sql: oneLine(s.sql),
    executionMs: top['Execution Time'],
    planningMs: top['Planning Time'],
    rows: top.Plan['Actual Rows'],
    sharedBlocks: (top.Plan['Shared Hit Blocks'] ?? 0) + (top.Plan['Shared Read Blocks'] ?? 0),
    scans: scansOf(top.Plan),
  };
}

interface TableSize {
  table: string;
  rows: number;
  tableMb: number;
  indexesMb: number;
  totalMb: number;
}

async function sizes(client: pg.Client): Promise<TableSize[]> {
  const tables = (await client.query<{ relname: string }>(`SELECT relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' AND c.relkind IN ('r', 'p') ORDER BY pg_total_relation_size(c.oid) DESC`)).rows.map((r) => r.relname);
  const out: TableSize[] = [];
  for (const table of tables) {
    const r = (await client.query<{ rows: string; t: string; i: string; total: string }>(
      `SELECT (SELECT COUNT(*) FROM ${table}) AS rows, pg_relation_size('${table}') AS t, pg_indexes_size('${table}') AS i, pg_total_relation_size('${table}') AS total`,
    )).rows[0]!;
    const mb = (bytes: string) => Number(bytes) / 2 ** 20;
    out.push({ table, rows: Number(r.rows), tableMb: mb(r.t), indexesMb: mb(r.i), totalMb: mb(r.total) });
  }
  return out;
}

async function connectionCost(url: string, n = 30): Promise<{ newConnectionMs: number; pooledQueryMs: number }> {
  const fresh: number[] = [];
  for (let i = 0; i < n; i++) {
    const started = process.hrtime.bigint();
    await withPgClient(url, (c) => c.query('SELECT 1'));
    fresh.push(ms(started));
  }
  const pooled = await withPgClient(url, async (c) => {
    const times: number[] = [];
    for (let i = 0; i < n; i++) {
      const started = process.hrtime.bigint();
      await c.query('SELECT 1');
      times.push(ms(started));
    }
    return times;
  });
  return { newConnectionMs: median(fresh), pooledQueryMs: median(pooled) };
}

interface Measurement {
  funds: number;
  linesInDatabase: number;
  /** Distinct (batch, period, status, scheme, codes) groups among line_totals' rows. */
  totalsGroups: number;
  sizes: TableSize[];
  closeSeconds: number[];
  closeStatements: Explained[];
  drillDown: { sort: string; medianMs: number; total: number }[];
  amountSort: Explained;
}

async function measure(url: string, funds: number, dir: string, firstClose: boolean): Promise<Measurement> {
  await withPgClient(url, (c) => c.query('ANALYZE'));
  const tableSizes = await withPgClient(url, sizes);
  const totalsGroups = await withPgClient(url, async (c) => Number((await c.query<{ n: string }>('SELECT COUNT(*) AS n FROM (SELECT DISTINCT batch_id, period, status, scheme_id, codes FROM line_totals) g')).rows[0]!.n));
  const log: Statement[] = [];
  const driver = await openPostgresDriver(url);
  const store: Store = createStore(recording(driver, log));
  const ctx: AppContext = { store, actor: 'bench', now: () => new Date() };
  try {
    const closeSeconds: number[] = [];
    let from = 0;
    for (let run = 0; run < 3; run++) {
      if (run > 0 || !firstClose) await reopenPeriod(ctx, { fundId: FUND, period: M09, reason: 'bench:scaling' });
      from = log.length;
      const started = process.hrtime.bigint();
      await closePeriod(ctx, { fundId: FUND, period: M09, allowUnmapped: true });
      closeSeconds.push(ms(started) / 1000);
    }
    const reads = log.slice(from).filter((s) => /^\s*SELECT/i.test(s.sql) && /\b(lines|line_totals|scheme_totals|batch_periods)\b/.test(s.sql));
    const codes = reads.find((s) => /FROM line_totals t/.test(s.sql));
    if (codes) writeFileSync(join(dir, 'codes-query.json'), JSON.stringify(codes));
    const closeStatements = await withPgClient(url, async (c) => {
      const out: Explained[] = [];
      for (const s of reads) out.push(await explain(c, s));
      return out;
    });

    const drillDown: Measurement['drillDown'] = [];
    let amountSql: Statement | undefined;
    for (const sort of ['period', 'amount'] as const) {
      const page: LiveLinesPage = { offset: 0, limit: 50, sort, direction: sort === 'amount' ? 'desc' : 'asc' };
      const times: number[] = [];
      let total = 0;
      for (let i = 0; i < 5; i++) {
        from = log.length;
        const started = process.hrtime.bigint();
        total = (await store.queryLiveLines({ fundId: FUND, schemeId: 's3' }, page)).total;
        times.push(ms(started));
        if (sort === 'amount') amountSql = log.slice(from).find((s) => /ORDER BY l\.amount_pence/.test(s.sql));
      }
      drillDown.push({ sort, medianMs: median(times), total });
    }
    const amountSort = await withPgClient(url, (c) => explain(c, amountSql!));
    writeFileSync(join(dir, 'amount-sort.json'), JSON.stringify(amountSql));
    return { funds, linesInDatabase: tableSizes.find((t) => t.table === 'lines')!.rows, totalsGroups, sizes: tableSizes, closeSeconds, closeStatements, drillDown, amountSort };
  } finally {
    await driver.close();
  }
}

/**
 * line_totals compacted to one row per group (the import writes partial rows, flushing every
 * 50,000 groups), and the close's statement grouped by codes run against both.
 */
async function compactionExperiment(url: string, codesSql: Statement): Promise<{ seconds: number; rows: number; before: Explained; after: Explained }> {
  return withPgClient(url, async (c) => {
    const started = process.hrtime.bigint();
    await c.query(`CREATE TABLE line_totals_compact AS SELECT batch_id, period, status, scheme_id, codes, SUM(line_count) AS line_count, SUM(amount_pence) AS amount_pence
      FROM line_totals GROUP BY batch_id, period, status, scheme_id, codes`);
    await c.query('CREATE INDEX line_totals_compact_batch_period ON line_totals_compact (batch_id, period)');
    await c.query('ANALYZE line_totals_compact');
    const seconds = ms(started) / 1000;
    const rows = Number((await c.query<{ n: string }>('SELECT COUNT(*) AS n FROM line_totals_compact')).rows[0]!.n);
    const before = await explain(c, codesSql);
    const after = await explain(c, { sql: codesSql.sql.replace(/FROM line_totals t/, 'FROM line_totals_compact t'), params: codesSql.params });
    return { seconds, rows, before, after };
  });
}

/** `lines` again, partitioned by fund and then by financial year, with fund_id on every row. */
async function partitionExperiment(url: string, funds: string[], amountSql: Statement): Promise<{ copySeconds: number; sizes: TableSize[]; unpartitioned: Explained; partitioned: Explained }> {
  return withPgClient(url, async (c) => {
    const started = process.hrtime.bigint();
    await c.query(`CREATE TABLE lines_part (fund_id TEXT COLLATE "C" NOT NULL, LIKE lines) PARTITION BY LIST (fund_id)`);
    for (const fund of funds) {
      await c.query(`CREATE TABLE lines_part_${fund} PARTITION OF lines_part FOR VALUES IN ('${fund}') PARTITION BY RANGE (period)`);
      await c.query(`CREATE TABLE lines_part_${fund}_2025 PARTITION OF lines_part_${fund} FOR VALUES FROM (202501) TO (202601)`);
    }
    // A unique key on a partitioned table must hold every partition key column.
    await c.query('ALTER TABLE lines_part ADD PRIMARY KEY (fund_id, batch_id, line_no, period)');
    await c.query('INSERT INTO lines_part SELECT b.fund_id, l.* FROM lines l JOIN batches b ON b.id = l.batch_id');
    await c.query('ANALYZE lines_part');
    const copySeconds = ms(started) / 1000;
    const partSizes = (await sizes(c)).filter((t) => t.table.startsWith('lines'));
    const unpartitioned = await explain(c, amountSql);
    // The same statement on the partitioned copy, with the fund (and the year) it is about.
    const sql = amountSql.sql
      .replace(/FROM lines l WHERE /, `FROM lines_part l WHERE l.fund_id = '${FUND}' AND l.period BETWEEN 202501 AND 202512 AND `)
      .replace(/JOIN lines l ON /, `JOIN lines_part l ON l.fund_id = '${FUND}' AND `);
    const partitioned = await explain(c, { sql, params: amountSql.params });
    return { copySeconds, sizes: partSizes, unpartitioned, partitioned };
  });
}

async function main() {
  const { values } = parseArgs({ options: { lines: { type: 'string', default: '100000' }, funds: { type: 'string', default: '2' }, experiments: { type: 'boolean' }, out: { type: 'string' } } });
  const lines = Number(values.lines);
  const fundCount = Number(values.funds);
  if (!Number.isSafeInteger(lines) || lines < 2) throw new Error('--lines must be a whole number of at least 2');
  if (!Number.isSafeInteger(fundCount) || fundCount < 1 || fundCount > 9) throw new Error('--funds must be 1 to 9');
  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-scaling-'));
  const fmt = (n: number) => n.toLocaleString('en-GB');
  const files = { council: join(dir, 'council.csv'), nhs: join(dir, 'nhs.csv') };
  await writeCouncilExtract(files.council, Math.ceil(lines / 2), 1, REALISTIC.council);
  await writeNhsExtract(files.nhs, Math.floor(lines / 2), 2, REALISTIC.nhs);
  console.log(`${fmt(lines)} lines per fund, ${fundCount} fund(s); machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}`);

  const server = await startThrowawayPostgres();
  const report: {
    lines: number;
    postgres?: string;
    imports: { fund: string; ledger: string; seconds: number }[];
    measurements: Measurement[];
    connections?: Awaited<ReturnType<typeof connectionCost>>;
    compaction?: Awaited<ReturnType<typeof compactionExperiment>>;
    partition?: Awaited<ReturnType<typeof partitionExperiment>>;
  } = { lines, imports: [], measurements: [] };
  try {
    report.postgres = await withPgClient(server.url, async (c) => (await c.query<{ v: string }>('SELECT version() AS v')).rows[0]!.v);
    const funds: string[] = [];
    for (let i = 1; i <= fundCount; i++) {
      const fund = i === 1 ? FUND : `${FUND}${i}`;
      funds.push(fund);
      const yaml = join(dir, `${fund}.yaml`);
      const text = benchAgreementYaml();
      if (!text.includes('  id: bench\n')) throw new Error('the bench agreement no longer has fund id bench');
      writeFileSync(yaml, text.replace('  id: bench\n', `  id: ${fund}\n`));
      runTandem(['agreement', 'load', yaml, '--db', server.url], dir);
      for (const ledger of ['council', 'nhs'] as const) {
        const imported = runTandem<{ lines: number }>(['import', '--fund', fund, '--ledger', ledger, files[ledger], '--db', server.url], dir);
        report.imports.push({ fund, ledger, seconds: imported.wallSeconds });
      }
      const m = await measure(server.url, i, dir, i === 1);
      report.measurements.push(m);
      console.log(`\n${i} fund(s), ${fmt(m.linesInDatabase)} lines in the database; line_totals: ${fmt(m.sizes.find((t) => t.table === 'line_totals')!.rows)} rows of ${fmt(m.totalsGroups)} distinct groups`);
      console.log(`  close of ${FUND} M09 in process: ${m.closeSeconds.map((s) => s.toFixed(3)).join(', ')} s`);
      for (const e of m.closeStatements) console.log(`  ${e.executionMs.toFixed(1)} ms, ${fmt(e.rows)} rows, ${fmt(e.sharedBlocks)} blocks: ${e.sql.slice(0, 110)}…\n    ${e.scans.join('\n    ')}`);
      for (const d of m.drillDown) console.log(`  drill-down s3 by ${d.sort}: ${d.medianMs.toFixed(1)} ms (median of 5; ${fmt(d.total)} lines)`);
      console.log(`  amount sort statement: ${m.amountSort.executionMs.toFixed(1)} ms\n    ${m.amountSort.scans.join('\n    ')}`);
      console.log('  sizes (MB): ' + m.sizes.filter((t) => t.totalMb >= 0.5).map((t) => `${t.table} ${fmt(t.rows)} rows, table ${t.tableMb.toFixed(1)} + indexes ${t.indexesMb.toFixed(1)} = ${t.totalMb.toFixed(1)}`).join('; '));
    }
    report.connections = await connectionCost(server.url);
    console.log(`\nconnections: a new connection + SELECT 1 ${report.connections.newConnectionMs.toFixed(2)} ms (median of 30), SELECT 1 on an open one ${report.connections.pooledQueryMs.toFixed(3)} ms`);
    if (values.experiments) {
      const codesSql = report.measurements.at(-1)!.closeStatements.find((e) => /FROM line_totals t/.test(e.sql));
      if (codesSql) {
        const statement = JSON.parse(readFileSync(join(dir, 'codes-query.json'), 'utf8')) as Statement;
        report.compaction = await compactionExperiment(server.url, statement);
        const k = report.compaction;
        console.log(`\nline_totals compacted to ${fmt(k.rows)} rows in ${k.seconds.toFixed(1)} s; the close's codes statement ${k.before.executionMs.toFixed(1)} ms before, ${k.after.executionMs.toFixed(1)} ms after`);
      }
      const amountSql = JSON.parse(readFileSync(join(dir, 'amount-sort.json'), 'utf8')) as Statement;
      report.partition = await partitionExperiment(server.url, funds, amountSql);
      const p = report.partition;
      console.log(`\npartitioned copy of lines built in ${p.copySeconds.toFixed(1)} s`);
      console.log('  sizes (MB): ' + p.sizes.map((t) => `${t.table} ${fmt(t.rows)} rows, ${t.totalMb.toFixed(1)}`).join('; '));
      console.log(`  amount sort, lines: ${p.unpartitioned.executionMs.toFixed(1)} ms\n    ${p.unpartitioned.scans.join('\n    ')}`);
      console.log(`  amount sort, lines_part with the fund: ${p.partitioned.executionMs.toFixed(1)} ms\n    ${p.partitioned.scans.join('\n    ')}`);
    }
    for (const i of report.imports) console.log(`import ${i.fund} ${i.ledger}: ${i.seconds.toFixed(1)} s`);
  } finally {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  }
  if (values.out) writeFileSync(values.out, JSON.stringify(report, null, 2) + '\n');
}

await main();
