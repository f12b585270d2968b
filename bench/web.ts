// npm run bench:web -- --lines 1000000 [--duration 20] [--warmup 5] [--connections 50] [--keep]
//                      [--db FILE] [--profile DIR] [--pages dashboard,lines,amount,deep,code]
//
// How the web app holds up under load on a large fund. Builds an N-line fund with the real
// `tandem` CLI in a fresh SQLite file (bench/generate.ts, realistic codes, M01..M09; as
// bench/close.ts does), closes M09 and adds an admin user, then starts `tandem serve` as a child
// process (the real server, apart from the load generator), signs in over HTTP and drives each
// page with autocannon: 50 connections, each sending its next request as soon as the last is
// answered (a closed loop), a short warm-up that is not counted, then a fixed duration. p50, p95
// and p99 are computed here from every response's latency (autocannon's own summary has no p95).
//
// The targets (web issue): p95 ≤ 100 ms and no errors on the dashboard and on a drill-down page
// of a 1M-line fund; the drill-down measured is the first page of the biggest scheme in its
// default order. Other drill-down variants (sorted by amount, a deep page, a code filter) are
// printed too, as context rather than targets. A figure printer, not a timed test: it exits
// non-zero only when a request failed (a connection error, a timeout or a non-2xx answer), never
// for a missed target.
//
// --db FILE reuses a fund built before (with --keep: the file is printed) instead of building
// one; --profile DIR runs the server with `node --cpu-prof` and leaves the profile in DIR;
// --pages measures only the pages named.

import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus, totalmem, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { benchAgreementYaml } from './agreement.js';
import { CLI, runTandem } from './cli.js';
import { writeCouncilExtract, writeNhsExtract } from './generate.js';

const PERIOD = ['2025-26', 'M09'];
const EMAIL = 'bench.admin@fund.example';
const PASSWORD = 'bench-password-not-secret';
const P95_TARGET_MS = 100;
/**
 * A request unanswered this long is a timeout (an error). Long, so that a slow page shows its
 * real latencies: with autocannon's 10 s default, the slowest answers of the amount-sorted page
 * dropped out of the percentiles as timeouts instead.
 */
const TIMEOUT_SECONDS = 60;

/** The slice of autocannon 9's API used here (the package ships no types). */
interface Autocannon {
  (options: { url: string; connections: number; duration: number; headers: Record<string, string>; timeout: number }): AutocannonRun;
}
interface AutocannonRun extends Promise<AutocannonResult> {
  on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): void;
  on(event: 'reqError', listener: (error: Error) => void): void;
}
interface AutocannonResult {
  errors: number;
  timeouts: number;
  non2xx: number;
}
const autocannon = createRequire(import.meta.url)('autocannon') as Autocannon;

interface Target {
  /** For --pages. */
  key: string;
  name: string;
  path: string;
  /** One of the issue's targets (p95 ≤ 100 ms, no errors), or context only. */
  target: boolean;
  /** Text the page must contain: checked once before the load, so a wrong page is not measured. */
  expect: string;
}

interface PageResult {
  name: string;
  path: string;
  target: boolean;
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  meanBytes: number;
  non2xx: number;
  errors: number;
  timeouts: number;
}

/** The nearest-rank percentile of sorted latencies. */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function buildFund(dir: string, db: string, lines: number): Promise<void> {
  const files = { council: join(dir, 'council.csv'), nhs: join(dir, 'nhs.csv') };
  writeFileSync(join(dir, 'agreement.yaml'), benchAgreementYaml());
  // The close benchmark's realistic codes: a few thousand code combinations per ledger and month.
  await writeCouncilExtract(files.council, Math.ceil(lines / 2), 1, { subjectives: 20 });
  await writeNhsExtract(files.nhs, Math.floor(lines / 2), 2, { accounts: 10, analysisCodes: 2 });
  const started = Date.now();
  runTandem(['agreement', 'load', join(dir, 'agreement.yaml'), '--db', db], dir);
  runTandem(['import', '--ledger', 'council', files.council, '--db', db], dir);
  runTandem(['import', '--ledger', 'nhs', files.nhs, '--db', db], dir);
  runTandem(['close', ...PERIOD, '--allow-unmapped', '--db', db], dir);
  const add = spawnSync(process.execPath, [CLI, 'user', 'add', '--email', EMAIL, '--role', 'admin', '--password-stdin', '--db', db, '--json'], { input: PASSWORD, encoding: 'utf8' });
  if (add.status !== 0) throw new Error(`tandem user add failed (${add.status}):\n${add.stdout}\n${add.stderr}`);
  rmSync(files.council);
  rmSync(files.nhs);
  console.log(`built the fund (import, close M09, admin user) in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}

/** What the pages are measured on: the biggest scheme's mapped lines (from the totals, not the lines). */
function biggestScheme(db: string): { id: string; lines: number; batches: number } {
  const sqlite = new Database(db, { readonly: true });
  try {
    const row = sqlite
      .prepare("SELECT scheme_id AS id, SUM(line_count) AS n FROM scheme_totals WHERE status = 'mapped' GROUP BY scheme_id ORDER BY n DESC, scheme_id LIMIT 1")
      .get() as { id: string; n: number } | undefined;
    if (!row) throw new Error(`no mapped lines in ${db}`);
    const batches = (sqlite.prepare('SELECT COUNT(*) AS n FROM batches').get() as { n: number }).n;
    return { id: row.id, lines: Number(row.n), batches: Number(batches) };
  } finally {
    sqlite.close();
  }
}

async function startServer(db: string, profileDir: string | undefined): Promise<{ url: string; child: ChildProcess }> {
  const nodeArgs = profileDir ? ['--cpu-prof', '--cpu-prof-dir', resolve(profileDir)] : [];
  const child = spawn(process.execPath, [...nodeArgs, CLI, 'serve', '--db', db, '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const lines = createInterface({ input: child.stdout! });
  const exited = once(child, 'exit').then(([code]) => {
    throw new Error(`tandem serve exited (${String(code)}) before it was listening`);
  });
  const first = once(lines, 'line').then(([line]) => {
    const url = (/^\{"url":"([^"]+)"\}$/.exec(line as string) ?? [])[1];
    if (url === undefined) throw new Error(`tandem serve did not print its address but: ${String(line)}`);
    return url;
  });
  const url = await Promise.race([first, exited]);
  exited.catch(() => {}); // after start-up, an exit is reported by the requests that fail
  lines.on('line', (line) => process.stdout.write(`[serve] ${line}\n`));
  return { url, child };
}

async function stopServer(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM'); // serve closes the server and the store, then exits (and writes a --cpu-prof profile)
  await exited;
}

/** Signs in as the bench's admin the way a browser does; the session cookie for the load. */
async function signIn(url: string): Promise<string> {
  const response = await fetch(`${url}/sign-in`, { method: 'POST', body: new URLSearchParams({ email: EMAIL, password: PASSWORD }), redirect: 'manual' });
  const cookie = response.headers.getSetCookie().find((c) => c.startsWith('tandem_session='));
  if (response.status !== 303 || !cookie) throw new Error(`sign-in failed: ${response.status} ${await response.text()}`);
  return cookie.split(';')[0]!;
}

async function check(url: string, cookie: string, target: Target): Promise<void> {
  const response = await fetch(`${url}${target.path}`, { headers: { cookie }, redirect: 'manual' });
  const body = await response.text();
  if (response.status !== 200 || !body.includes(target.expect)) throw new Error(`${target.path} answered ${response.status} without "${target.expect}"`);
}

/**
 * Waits until the server answers a cheap page promptly: requests a run left behind (a timed-out
 * client's request is still worked through) must not be counted against the next page.
 */
async function settle(url: string): Promise<void> {
  const until = Date.now() + 120_000;
  for (let prompt = 0; prompt < 3 && Date.now() < until; ) {
    const started = Date.now();
    await (await fetch(`${url}/sign-in`)).text();
    prompt = Date.now() - started < 20 ? prompt + 1 : 0;
  }
}

/**
 * One autocannon run of warm-up + duration seconds, counting only the responses that arrive after
 * the warm-up. One run rather than two: a new run opens 50 new connections to a server already
 * saturated by the last one's, and their first requests were answered one per round of the
 * others (up to 2 s late): an artefact of starting the generator, which the warm-up absorbs.
 * Errors and timeouts are counted over the whole run, warm-up included.
 */
async function measure(url: string, cookie: string, target: Target, options: { connections: number; duration: number; warmup: number }): Promise<PageResult> {
  await settle(url);
  await check(url, cookie, target);
  const latencies: number[] = [];
  let bytes = 0;
  let non2xx = 0;
  const run = autocannon({ url: `${url}${target.path}`, connections: options.connections, duration: options.warmup + options.duration, headers: { cookie }, timeout: TIMEOUT_SECONDS });
  const countFrom = performance.now() + options.warmup * 1000;
  let countUntil = countFrom;
  run.on('response', (_client, status, b, ms) => {
    const now = performance.now();
    if (now < countFrom) return;
    countUntil = now;
    latencies.push(ms);
    bytes += b;
    if (status < 200 || status > 299) non2xx++;
  });
  const errorKinds = new Map<string, number>();
  run.on('reqError', (error) => {
    const kind = (error as NodeJS.ErrnoException).code ?? error.message;
    errorKinds.set(kind, (errorKinds.get(kind) ?? 0) + 1);
  });
  const result = await run;
  if (errorKinds.size > 0) console.log(`  ${target.name}: request errors ${[...errorKinds].map(([k, n]) => `${k} × ${n}`).join(', ')}`);
  const seconds = (countUntil - countFrom) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name: target.name,
    path: target.path,
    target: target.target,
    requests: latencies.length,
    seconds,
    requestsPerSecond: seconds > 0 ? latencies.length / seconds : 0,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
    meanBytes: latencies.length === 0 ? 0 : bytes / latencies.length,
    non2xx: Math.max(non2xx, result.non2xx),
    errors: result.errors,
    timeouts: result.timeouts,
  };
}

function printTable(header: string[], rows: string[][]): void {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  console.log([header, ...rows].map((r) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ')).join('\n'));
}

async function main() {
  const { values } = parseArgs({
    options: {
      lines: { type: 'string', default: '1000000' },
      duration: { type: 'string', default: '20' },
      warmup: { type: 'string', default: '5' },
      connections: { type: 'string', default: '50' },
      keep: { type: 'boolean' },
      db: { type: 'string' },
      profile: { type: 'string' },
      pages: { type: 'string' },
    },
  });
  const lines = Number(values.lines);
  const options = { duration: Number(values.duration), warmup: Number(values.warmup), connections: Number(values.connections) };
  if (!Number.isSafeInteger(lines) || lines < 2) throw new Error('--lines must be a whole number of at least 2');
  if (!(options.duration > 0) || !(options.warmup >= 0) || !Number.isSafeInteger(options.connections) || options.connections < 1) throw new Error('--duration, --warmup and --connections must be positive numbers');
  const fmt = (n: number) => n.toLocaleString('en-GB');

  const dir = mkdtempSync(join(tmpdir(), 'tandem-bench-web-'));
  const db = values.db ? resolve(values.db) : join(dir, 'bench.db');
  let server: { url: string; child: ChildProcess } | undefined;
  const results: PageResult[] = [];
  let scheme: ReturnType<typeof biggestScheme>;
  try {
    if (values.db) console.log(`reusing the fund in ${db} (--lines ignored)`);
    else await buildFund(dir, db, lines);
    scheme = biggestScheme(db);
    console.log(`machine: ${cpus().length} cores, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}; database ${db}`);
    console.log(`biggest scheme: ${scheme.id}, ${fmt(scheme.lines)} mapped lines in the year to date; ${options.connections} connections, ${options.warmup} s warm-up, ${options.duration} s measured per page`);

    server = await startServer(db, values.profile);
    const cookie = await signIn(server.url);
    const pages = Math.ceil(scheme.lines / 50);
    const deep = Math.max(1, Math.floor(pages * 0.8));
    const s = encodeURIComponent(scheme.id);
    const targets: Target[] = [
      { key: 'dashboard', name: 'dashboard /', path: '/', target: true, expect: `Dashboard: ${PERIOD.join(' ')}` },
      { key: 'lines', name: 'lines, page 1 (by period)', path: `/lines?scheme=${s}`, target: true, expect: `Lines 1 to 50 of ${scheme.lines}` },
      { key: 'amount', name: 'lines, page 1 by amount desc', path: `/lines?scheme=${s}&sort=amount&dir=desc`, target: false, expect: `Lines 1 to 50 of ${scheme.lines}` },
      { key: 'deep', name: `lines, page ${fmt(deep)} (by period)`, path: `/lines?scheme=${s}&page=${deep}`, target: false, expect: `Lines ${(deep - 1) * 50 + 1} to` },
      { key: 'code', name: 'lines, page 1, code filter', path: `/lines?scheme=${s}&code=5001`, target: false, expect: 'Lines 1 to 50 of' },
    ];
    const only = values.pages?.split(',');
    for (const target of targets.filter((t) => only === undefined || only.includes(t.key))) {
      const r = await measure(server.url, cookie, target, options);
      results.push(r);
      console.log(`  ${r.name}: ${fmt(r.requests)} requests, p95 ${r.p95.toFixed(1)} ms`);
    }
  } finally {
    if (server) await stopServer(server.child);
    if (values.keep && !values.db) console.log(`kept ${dir} (reuse the fund with --db ${db})`);
    else rmSync(dir, { recursive: true, force: true });
  }

  const failed = results.filter((r) => r.errors + r.timeouts + r.non2xx > 0);
  const verdict = (r: PageResult) => (!r.target ? '(context)' : r.p95 <= P95_TARGET_MS && r.errors + r.timeouts + r.non2xx === 0 ? 'met' : 'NOT met');
  console.log('');
  printTable(
    ['page', 'requests', 'req/s', 'p50 ms', 'p95 ms', 'p99 ms', 'max ms', 'KB', 'non-2xx', 'errors', 'timeouts', 'target'],
    results.map((r) => [
      r.name,
      fmt(r.requests),
      r.requestsPerSecond.toFixed(0),
      r.p50.toFixed(1),
      r.p95.toFixed(1),
      r.p99.toFixed(1),
      r.max.toFixed(0),
      (r.meanBytes / 1024).toFixed(0),
      String(r.non2xx),
      String(r.errors),
      String(r.timeouts),
      verdict(r),
    ]),
  );
  console.log(`\ntarget: p95 ≤ ${P95_TARGET_MS} ms and no failed request, for the dashboard and the first drill-down page of the biggest scheme (${scheme!.id}, ${fmt(scheme!.lines)} lines).`);
  console.log('latency: from sending a request to its last byte, per response, under a closed loop (each connection waits for its answer); KB: mean response body.');
  console.log(
    JSON.stringify({
      machine: { cores: cpus().length, node: process.version },
      scheme: scheme!,
      connections: options.connections,
      durationSeconds: options.duration,
      pages: results.map((r) => ({ ...r, targetMet: r.target ? verdict(r) === 'met' : null })),
    }),
  );
  if (failed.length > 0) {
    console.error(`failed requests on: ${failed.map((r) => r.name).join(', ')}`);
    process.exitCode = 1;
  }
}

await main();
