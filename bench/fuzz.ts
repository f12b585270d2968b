// npm run fuzz -- --cases 100000 [--seed S] [--from I] [--workers W] [--json]
//
// The import fuzz at length: the same fast-check generator as test/fuzz-import.test.ts (the
// Sheffield extracts mutated, extracts generated with known contents, limits met or just
// missed), case i made from seed S + i, so any case can be made again (`--from i --cases 1`).
// Every `--e2e-every`th case also goes end to end through importBatch on a SQLite file (a
// rejected file must write nothing), every `--heavy-every`th is one of the full-scale hostile
// files (100 MB lines, a million columns, zip bombs). Cases run in worker threads with a heap
// limit (`--heap-mb`); one that does not answer within `--timeout-ms` is a hang, and its worker
// is replaced. Prints the counts by outcome and by rejection code, and the slowest and the most
// memory-hungry case; exits 1 if any case failed.

import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import type fc from 'fast-check';
import { loadAgreement } from '../src/app/agreements.js';
import type { AppContext } from '../src/app/context.js';
import { openStore } from '../src/store/open.js';
import { caseAt, fuzzCases, heavyCases, loadFuzzFixtures, type FuzzCase } from '../test/support/fuzz-cases.js';
import { FuzzRunner, type Outcome } from '../test/support/fuzz-run.js';

interface Options {
  cases: number;
  seed: number;
  from: number;
  workers: number;
  e2eEvery: number;
  heavyEvery: number;
  timeoutMs: number;
  heapMb: number;
  json: boolean;
}

interface Reply {
  index: number;
  mode: 'read' | 'e2e' | 'heavy';
  outcome: Outcome;
}

/** The soft budgets a case is judged by (the hard ones are the timeout and the worker's heap). */
const BUDGET = { ms: 10_000, memoryMb: 200 };
const HEAVY_BUDGET = { ms: 60_000, memoryMb: 400 };

function options(): Options {
  const { values } = parseArgs({
    options: {
      cases: { type: 'string', default: '10000' },
      seed: { type: 'string', default: '1' },
      from: { type: 'string', default: '0' },
      workers: { type: 'string', default: '1' },
      'e2e-every': { type: 'string', default: '25' },
      'heavy-every': { type: 'string', default: '5000' },
      'timeout-ms': { type: 'string', default: '120000' },
      'heap-mb': { type: 'string', default: '1024' },
      json: { type: 'boolean', default: false },
    },
  });
  const whole = (name: keyof typeof values, min: number): number => {
    const value = Number(values[name]);
    if (!Number.isSafeInteger(value) || value < min) throw new Error(`--${name} must be a whole number of at least ${min}`);
    return value;
  };
  return {
    cases: whole('cases', 1),
    seed: whole('seed', 0),
    from: whole('from', 0),
    workers: whole('workers', 1),
    e2eEvery: whole('e2e-every', 1),
    heavyEvery: whole('heavy-every', 1),
    timeoutMs: whole('timeout-ms', 1000),
    heapMb: whole('heap-mb', 64),
    json: values.json === true,
  };
}

/** How case `index` runs: one of the full-scale files, end to end on SQLite, or through the reader. */
function modeOf(index: number, o: Options): Reply['mode'] {
  return index % o.heavyEvery === o.heavyEvery - 1 ? 'heavy' : index % o.e2eEvery === 0 ? 'e2e' : 'read';
}

// ---- worker: makes and runs the cases it is sent ----

async function work(o: Options): Promise<void> {
  const fixtures = await loadFuzzFixtures();
  const runner = new FuzzRunner(fixtures);
  const all = fuzzCases(fixtures);
  const storable = all.filter((c) => c.limits === undefined);
  const heavy = heavyCases();
  const dir = mkdtempSync(join(tmpdir(), 'tandem-fuzz-db-'));
  const store = await openStore(join(dir, 'tandem.db'));
  const ctx: AppContext = { store, actor: 'fuzz', now: () => new Date('2025-07-08T09:00:00Z') };
  await loadAgreement(ctx, fixtures.agreementPath);
  const make = (arbitrary: fc.Arbitrary<FuzzCase>, index: number) => caseAt(arbitrary, o.seed + index);
  parentPort!.on('message', async (message: { index: number } | 'stop') => {
    if (message === 'stop') {
      await store.close();
      runner.dispose();
      rmSync(dir, { recursive: true, force: true });
      parentPort!.close();
      return;
    }
    const { index } = message;
    const mode = modeOf(index, o);
    let outcome: Outcome;
    if (mode === 'heavy') outcome = await runner.read(heavy[Math.floor(index / o.heavyEvery) % heavy.length]!, HEAVY_BUDGET);
    else if (mode === 'e2e') outcome = await runner.importEndToEnd(make(storable, index), ctx, BUDGET);
    else outcome = await runner.read(make(all, index), BUDGET);
    parentPort!.postMessage({ index, mode, outcome } satisfies Reply);
  });
  parentPort!.postMessage('ready');
}

// ---- main: hands out cases, watches for hangs and crashes, counts ----

class Tally {
  readonly status = new Map<string, number>();
  readonly codes = new Map<string, number>();
  readonly generators = new Map<string, Map<string, number>>();
  readonly modes = new Map<string, number>();
  readonly failures: { index: number; mode: string; generator: string; failure: string }[] = [];
  slowest: { ms: number; index: number; generator: string } = { ms: 0, index: -1, generator: '' };
  hungriest: { mb: number; index: number; generator: string } = { mb: 0, index: -1, generator: '' };
  done = 0;

  add(reply: Reply): void {
    const { outcome, index, mode } = reply;
    this.done++;
    bump(this.status, outcome.status);
    bump(this.modes, mode);
    if (outcome.status === 'rejected') for (const code of outcome.codes) bump(this.codes, code);
    const byStatus = this.generators.get(outcome.generator) ?? new Map<string, number>();
    bump(byStatus, outcome.status);
    this.generators.set(outcome.generator, byStatus);
    if (outcome.failure !== null) this.failures.push({ index, mode, generator: outcome.generator, failure: outcome.failure.slice(0, 2000) });
    if (outcome.ms > this.slowest.ms) this.slowest = { ms: outcome.ms, index, generator: outcome.generator };
    if (outcome.memoryMb > this.hungriest.mb) this.hungriest = { mb: outcome.memoryMb, index, generator: outcome.generator };
  }
}

function bump(map: Map<string, number>, key: string): void {
  map.set(key, (map.get(key) ?? 0) + 1);
}

async function main(): Promise<void> {
  const o = options();
  const tally = new Tally();
  const started = performance.now();
  let next = o.from;
  const end = o.from + o.cases;
  const progress = setInterval(() => {
    if (!o.json) process.stderr.write(`fuzz: ${tally.done.toLocaleString('en-GB')} of ${o.cases.toLocaleString('en-GB')} cases, ${tally.failures.length} failed, ${((performance.now() - started) / 1000).toFixed(0)} s\n`);
  }, 15_000);

  const runWorker = (): Promise<void> =>
    new Promise((resolve) => {
      const worker = new Worker(new URL(import.meta.url), { workerData: o, resourceLimits: { maxOldGenerationSizeMb: o.heapMb } });
      let current: number | null = null;
      let timer: NodeJS.Timeout | null = null;
      let finished = false;
      const finish = () => {
        if (finished) return;
        finished = true;
        if (timer) clearTimeout(timer);
        resolve();
      };
      const lose = (why: string) => {
        if (finished) return;
        // the case in hand is a failure; a new worker carries on with the rest
        if (current !== null) tally.add({ index: current, mode: modeOf(current, o), outcome: { generator: '(lost with its worker)', status: 'failed', codes: [], lines: 0, failure: why, ms: 0, memoryMb: 0 } });
        current = null;
        finish();
        void worker.terminate();
        if (next < end) void runWorker().then(() => undefined);
      };
      const send = () => {
        if (next >= end) {
          worker.postMessage('stop');
          return;
        }
        current = next++;
        worker.postMessage({ index: current });
        timer = setTimeout(() => lose(`hang: no outcome within ${o.timeoutMs} ms`), o.timeoutMs);
      };
      worker.on('message', (message: Reply | 'ready') => {
        if (message !== 'ready') {
          if (timer) clearTimeout(timer);
          tally.add(message);
          current = null;
        }
        send();
      });
      worker.on('error', (error) => lose(`crash: ${error.stack ?? error.message}`));
      worker.on('exit', () => {
        if (current !== null) lose('the worker exited with a case in hand');
        finish();
      });
    });

  const workers = Array.from({ length: Math.min(o.workers, o.cases) }, () => runWorker());
  await Promise.all(workers);
  // replacement workers started by lose() are awaited by polling until every case is counted
  while (tally.done < o.cases) await new Promise((resolve) => setTimeout(resolve, 100));
  clearInterval(progress);
  report(o, tally, (performance.now() - started) / 1000);
  process.exitCode = tally.failures.length > 0 ? 1 : 0;
}

function report(o: Options, tally: Tally, seconds: number): void {
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  const sorted = (map: Map<string, number>) => [...map].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  const summary = {
    cases: tally.done,
    seed: o.seed,
    from: o.from,
    workers: o.workers,
    seconds: Math.round(seconds * 10) / 10,
    outcomes: Object.fromEntries(sorted(tally.status)),
    modes: Object.fromEntries(sorted(tally.modes)),
    rejectedByCode: Object.fromEntries(sorted(tally.codes)),
    byGenerator: Object.fromEntries([...tally.generators].sort().map(([g, m]) => [g, Object.fromEntries(sorted(m))])),
    slowestCase: { ms: Math.round(tally.slowest.ms), index: tally.slowest.index, generator: tally.slowest.generator },
    mostMemory: { mb: Math.round(tally.hungriest.mb), index: tally.hungriest.index, generator: tally.hungriest.generator },
    peakRssMb: Math.round(peakRssMb),
    failures: tally.failures.slice(0, 50),
  };
  if (o.json) {
    console.log(JSON.stringify(summary, null, 2));
    return;
  }
  const n = (value: number) => value.toLocaleString('en-GB');
  const lines = [
    `fuzz: ${n(tally.done)} cases (seed ${o.seed}, from ${o.from}) in ${summary.seconds} s, ${o.workers} worker${o.workers === 1 ? '' : 's'} on ${cpus().length} cores`,
    `  by mode: ${sorted(tally.modes).map(([k, v]) => `${k} ${n(v)}`).join(', ')}`,
    ...sorted(tally.status).map(([status, count]) => `  ${status.padEnd(34)} ${n(count).padStart(9)}`),
    '  rejected, by code (a case may carry several):',
    ...sorted(tally.codes).map(([code, count]) => `    ${code.padEnd(32)} ${n(count).padStart(9)}`),
    '  by generator (imported / rejected / failed):',
    ...[...tally.generators].sort().map(([g, m]) => `    ${g.padEnd(32)} ${[m.get('imported') ?? 0, m.get('rejected') ?? 0, m.get('failed') ?? 0].map((v) => n(v).padStart(7)).join(' ')}`),
    `  slowest case: ${n(Math.round(tally.slowest.ms))} ms (${tally.slowest.generator}, --from ${tally.slowest.index})`,
    `  most memory: +${n(Math.round(tally.hungriest.mb))} MB heap and buffers (${tally.hungriest.generator}, --from ${tally.hungriest.index})`,
    `  peak RSS of the run: ${n(Math.round(peakRssMb))} MB`,
    ...tally.failures.slice(0, 20).map((f) => `  FAILED --from ${f.index} (${f.mode}, ${f.generator}): ${f.failure.split('\n')[0]}`),
  ];
  console.log(lines.join('\n'));
}

if (isMainThread) {
  main().catch((error: unknown) => {
    console.error(error);
    process.exitCode = 70;
  });
} else {
  work(workerData as Options).catch((error: unknown) => {
    // a worker that cannot start is reported by the main thread as a crash
    throw error;
  });
}
