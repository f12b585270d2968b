// Crash safety (issue 8 §2): run `tandem import` and `tandem close` (and the first `tandem agreement
// load`, which creates the database) as child processes and SIGKILL them at seeded random moments,
// on one database engine. Used by test/crash-safety.test.ts (a short series) and bench/torture.ts
// (`npm run torture -- --kills 200`).
//
// A script of steps (the agreement load into a new database, three imports, a close, a reopen, an
// import into the reopened month, a re-close, another close) first runs uninterrupted on a
// reference database, which gives the canonical summary after each step (torture-db.ts), each
// step's output, its duration and when its transaction was open (the probe's marks). Then passes
// over the same script, each on a new database, kill every killable step once, until the wanted
// number of kills have landed. After every kill:
//   1. `tandem verify` must pass;
//   2. the summary must equal the reference's before the step or after it — nothing partial —
//      and agree with where the kill landed (before the COMMIT was sent: the state before);
//   3. the same command, run again to the end, must succeed (or, if the killed run had already
//      committed, say so: "already imported", PERIOD_LOCKED for a close, `created: false` for the
//      agreement) and leave exactly the reference's summary after the step; a re-run that did the
//      work must print exactly the reference's output (ids, times and hashes over times aside).
// Where each kill is aimed is in aimKill below.

import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { benchAgreementYaml } from '../../bench/agreement.js';
import { writeCouncilExtract, writeNhsExtract } from '../../bench/generate.js';
import { mulberry32 } from '../../src/demo/random.js';
import { CliRun, tandem, tandemOk, type CliResult, type Mark } from './torture-cli.js';
import { canonical, closeFigures, firstDifference, summarise, type Databases, type Engine, type Summary, type TortureDb } from './torture-db.js';

export const FUND = 'bench';
export const STAGES = ['start-up', 'in transaction', 'committing', 'after commit'] as const;
export type Stage = (typeof STAGES)[number];

export interface Extracts {
  agreement: string;
  /** Council M01–M03; then a second council extract for the same months, which supersedes it. */
  councilA: string;
  councilC: string;
  /** NHS M01–M03; then a second NHS extract, imported after M01 is reopened. */
  nhsB: string;
  nhsD: string;
}

/** Few code combinations, as real ledgers have (bench/close.ts), months M01–M03. */
export async function writeExtracts(dir: string, lines: number): Promise<Extracts> {
  const council = { subjectives: 20, months: 3 };
  const nhs = { accounts: 10, analysisCodes: 2, months: 3 };
  const files: Extracts = {
    agreement: path.join(dir, 'agreement.yaml'),
    councilA: path.join(dir, 'council-a.csv'),
    councilC: path.join(dir, 'council-c.csv'),
    nhsB: path.join(dir, 'nhs-b.csv'),
    nhsD: path.join(dir, 'nhs-d.csv'),
  };
  writeFileSync(files.agreement, benchAgreementYaml());
  await writeCouncilExtract(files.councilA, lines, 1, council);
  await writeCouncilExtract(files.councilC, lines, 3, council);
  await writeNhsExtract(files.nhsB, lines, 2, nhs);
  await writeNhsExtract(files.nhsD, lines, 4, nhs);
  return files;
}

export type Command = 'agreement' | 'import' | 'close' | 'reopen';

export interface Step {
  name: string;
  command: Command;
  args: string[];
  kill: boolean;
}

export function tortureScript(files: Extracts): Step[] {
  const close = (m: string) => ['close', '2025-26', m, '--allow-unmapped'];
  return [
    // On an empty database: opening it creates the schema (its own transaction), then the load.
    { name: 'agreement load (new database)', command: 'agreement', args: ['agreement', 'load', files.agreement], kill: true },
    { name: 'import council A', command: 'import', args: ['import', '--ledger', 'council', files.councilA], kill: true },
    { name: 'import nhs B', command: 'import', args: ['import', '--ledger', 'nhs', files.nhsB], kill: true },
    { name: 'import council C (supersedes A)', command: 'import', args: ['import', '--ledger', 'council', files.councilC], kill: true },
    { name: 'close M01', command: 'close', args: close('M01'), kill: true },
    { name: 'reopen M01', command: 'reopen', args: ['reopen', '2025-26', 'M01', '--reason', 'late invoices'], kill: false },
    { name: 'import nhs D (supersedes B)', command: 'import', args: ['import', '--ledger', 'nhs', files.nhsD], kill: true },
    { name: 'close M01 again (v2)', command: 'close', args: close('M01'), kill: true },
    { name: 'close M02', command: 'close', args: close('M02'), kill: true },
  ];
}

/** What a run printed, without what differs between equal runs (ids, times, hashes over times). */
export function comparableOutput(command: Command, output: Record<string, unknown>): unknown {
  if (command === 'import') {
    const { batchId: _id, seconds: _s, file: _f, superseded, ...rest } = output as { batchId: number; seconds: number; file: string; superseded: { period: string }[] };
    return { ...rest, superseded: superseded.map((s) => s.period) };
  }
  if (command === 'close') {
    const { sha256: _sha, seconds: _s, ...document } = output;
    return closeFigures(document, () => '');
  }
  return output;
}

interface StepReference {
  after: Summary;
  output: unknown;
  wallMs: number;
  /** The command's own transaction: the last the process began, and when it was open. */
  tx: number;
  txFromMs: number;
  txToMs: number;
}

export interface Reference {
  start: Summary;
  steps: StepReference[];
}

/** Runs the script uninterrupted on `db`, recording the reference. */
export async function runReference(db: TortureDb, steps: readonly Step[]): Promise<Reference> {
  const start = await summarise(db, FUND);
  const out: StepReference[] = [];
  for (const step of steps) {
    const r = await new CliRun([...step.args, '--db', db.location]).done;
    if (r.exitCode !== 0) throw new Error(`reference run: ${step.name} failed (${r.exitCode ?? r.signal}): ${r.stdout.slice(0, 1000)} ${r.stderr.slice(0, 1000)}`);
    const tx = Math.max(0, ...r.marks.filter((m) => m.event === 'begin').map((m) => m.tx));
    const at = (event: Mark['event']) => r.marks.find((m) => m.tx === tx && m.event === event)?.atMs ?? 0;
    out.push({ after: await summarise(db, FUND), output: comparableOutput(step.command, r.json()), wallMs: r.ms, tx, txFromMs: at('begin'), txToMs: at('committed') });
  }
  return { start, steps: out };
}

/** Where the kill landed, from the last mark of the command's own transaction the process wrote. */
export function stageOf(marks: readonly Mark[], tx: number): Stage {
  const last = marks.filter((m) => m.tx === tx).at(-1);
  if (!last) return 'start-up';
  if (last.event === 'begin') return 'in transaction';
  if (last.event === 'commit') return 'committing';
  return last.event === 'committed' ? 'after commit' : 'in transaction';
}

export interface SeriesResult {
  engine: Engine;
  kills: number;
  byStage: Record<Stage, number>;
  byCommand: Record<'agreement' | 'import' | 'close', number>;
  /** What the database held after the kill: the state before the step, or after it. */
  rolledBack: number;
  committed: number;
  verifyPasses: number;
  rerunsMatching: number;
  /** Runs that exited before their kill was due (not counted as kills). */
  finishedFirst: number;
  passes: number;
  seconds: number;
}

export interface SeriesOptions {
  databases: Databases;
  extracts: Extracts;
  kills: number;
  seed: number;
  log?: (line: string) => void;
}

export class TortureFailure extends Error {}

export async function runKillSeries(options: SeriesOptions): Promise<SeriesResult> {
  const started = Date.now();
  const { databases, extracts } = options;
  const engine = databases.engine;
  const log = options.log ?? (() => {});
  const steps = tortureScript(extracts);
  const result: SeriesResult = {
    engine,
    kills: 0,
    byStage: Object.fromEntries(STAGES.map((s) => [s, 0])) as Record<Stage, number>,
    byCommand: { agreement: 0, import: 0, close: 0 },
    rolledBack: 0,
    committed: 0,
    verifyPasses: 0,
    rerunsMatching: 0,
    finishedFirst: 0,
    passes: 0,
    seconds: 0,
  };
  const created: TortureDb[] = [];
  try {
    const referenceDb = await databases.fresh();
    created.push(referenceDb);
    const reference = await runReference(referenceDb, steps);
    await expectVerified(referenceDb, 'the reference run');
    log(`${engine}: reference run ${steps.map((s, i) => `${s.name} ${(reference.steps[i]!.wallMs / 1000).toFixed(2)} s`).join(', ')}`);

    const random = mulberry32(options.seed);
    // A pass that lands no kill at all would loop for ever; each pass kills at most once per step.
    for (let idle = 0; result.kills < options.kills && idle < 3; ) {
      const db = await databases.fresh();
      result.passes += 1;
      const before = result.kills;
      try {
        for (let i = 0; i < steps.length && result.kills < options.kills; i++) {
          await runStep(steps[i]!, i, db, reference, random, result, log);
        }
      } finally {
        await db.drop();
      }
      idle = result.kills === before ? idle + 1 : 0;
    }
    if (result.kills < options.kills) throw new TortureFailure(`${engine}: only ${result.kills} of ${options.kills} kills landed: every run finished before its kill was due`);
  } finally {
    for (const db of created) await db.drop();
  }
  result.seconds = (Date.now() - started) / 1000;
  return result;
}

type Random = () => number;

/**
 * When to kill, from the process's start or from a mark of its own transaction: 40% over the
 * reference's whole run (mostly start-up, where a process spends most of its life), 45% inside the
 * transaction (timed from its BEGIN, so the process's variable start-up does not blur the aim),
 * 15% just after it sent COMMIT.
 */
function aimKill(ref: StepReference, random: Random): { after: 'spawn' | 'begin' | 'commit'; ms: number } {
  const roll = random();
  const txMs = ref.txToMs - ref.txFromMs;
  if (roll < 0.4 || txMs <= 0) return { after: 'spawn', ms: random() * ref.wallMs };
  if (roll < 0.85) return { after: 'begin', ms: random() * txMs };
  return { after: 'commit', ms: random() * 5 };
}

async function runStep(step: Step, i: number, db: TortureDb, reference: Reference, random: Random, result: SeriesResult, log: (line: string) => void): Promise<void> {
  const ref = reference.steps[i]!;
  const before = i === 0 ? reference.start : reference.steps[i - 1]!.after;
  const args = [...step.args, '--db', db.location];
  const where = `${db.engine}, pass ${result.passes}, ${step.name}`;
  if (!step.kill) {
    expectSuccess(await tandem(args), ref, step, where);
    return;
  }
  const aim = aimKill(ref, random);
  const run = new CliRun(args);
  if (aim.after === 'spawn') run.killAfter(aim.ms);
  else void run.waitForMark((m) => m.tx === ref.tx && m.event === aim.after).then(() => run.killAfter(aim.ms), () => {});
  const killed = await run.done;
  if (killed.signal !== 'SIGKILL') {
    // Done before the kill was due: the step ran uninterrupted, so it must match as such.
    result.finishedFirst += 1;
    log(`${where}: finished ${killed.ms.toFixed(0)} ms after spawn, before its kill (${aim.ms.toFixed(0)} ms after ${aim.after}); marks ${killed.marks.map((m) => `${m.event}${m.tx}@${m.atMs.toFixed(0)}`).join(' ')}`);
    expectSuccess(killed, ref, step, where);
    await expectSummary(db, ref.after, `${where}: after a run that finished before its kill`);
    return;
  }
  result.kills += 1;
  const stage = stageOf(killed.marks, ref.tx);
  result.byStage[stage] += 1;
  result.byCommand[step.command as keyof SeriesResult['byCommand']] += 1;
  const what = `${where}, killed ${aim.ms.toFixed(0)} ms after ${aim.after} (${stage})`;

  const verifyStarted = Date.now();
  await expectVerified(db, what);
  const verifyMs = Date.now() - verifyStarted;
  result.verifyPasses += 1;
  const now = await summarise(db, FUND);
  const committed = canonical(now) === canonical(ref.after);
  if (!committed && canonical(now) !== canonical(before)) {
    throw new TortureFailure(`${what}: the database holds neither the state before the step nor after it.\n  against before: ${firstDifference(now, before)}\n  against after: ${firstDifference(now, ref.after)}`);
  }
  if ((committed && (stage === 'start-up' || stage === 'in transaction')) || (!committed && stage === 'after commit')) {
    // With no marks at all the probe may not have loaded (dist being rebuilt meanwhile?): say so.
    const probe = killed.marks.length === 0 ? ' (the process wrote no probe marks at all: was dist/ rebuilt during the run?)' : '';
    throw new TortureFailure(`${what}: the database shows the step ${committed ? 'committed' : 'not committed'}, which the kill's stage rules out${probe}`);
  }
  if (committed) result.committed += 1;
  else result.rolledBack += 1;

  const again = await tandem(args);
  const rerunMs = again.ms;
  if (committed) {
    // The killed run had finished its work: running it again must change nothing and say why.
    const alreadyDone =
      step.command === 'import' ? again.exitCode === 0 && again.json().status === 'already-imported'
      : step.command === 'agreement' ? again.exitCode === 0 && again.json().created === false
      : again.errorCode() === 'PERIOD_LOCKED';
    if (!alreadyDone) throw new TortureFailure(`${what}: re-run after a committed kill: ${again.exitCode ?? again.signal} ${again.stdout.slice(0, 500)}`);
  } else {
    expectSuccess(again, ref, step, `${what}, re-run`);
  }
  await expectSummary(db, ref.after, `${what}, after the re-run`);
  result.rerunsMatching += 1;
  log(`${db.engine} kill ${result.kills}: ${step.name} ${aim.ms.toFixed(0)} ms after ${aim.after} — ${stage}, ${committed ? 'committed' : 'rolled back'}; verify ok (${verifyMs} ms); re-run matches (${rerunMs.toFixed(0)} ms; killed run ${killed.ms.toFixed(0)} ms)`);
}

function expectSuccess(r: CliResult, ref: StepReference, step: Step, where: string): void {
  if (r.exitCode !== 0) throw new TortureFailure(`${where}: exited ${r.exitCode ?? r.signal}: ${r.stdout.slice(0, 1000)} ${r.stderr.slice(0, 1000)}`);
  const diff = firstDifference(comparableOutput(step.command, r.json()), ref.output);
  if (diff) throw new TortureFailure(`${where}: output differs from the uninterrupted run at ${diff}`);
}

async function expectSummary(db: TortureDb, wanted: Summary, where: string): Promise<void> {
  const diff = firstDifference(await summarise(db, FUND), wanted);
  if (diff) throw new TortureFailure(`${where}: the database differs from the uninterrupted run at ${diff}`);
}

export async function expectVerified(db: TortureDb, where: string): Promise<void> {
  const v = await tandem(['verify', '--db', db.location]);
  if (v.exitCode !== 0) throw new TortureFailure(`${where}: tandem verify failed (${v.exitCode ?? v.signal}): ${v.stdout.slice(0, 3000)} ${v.stderr.slice(0, 1000)}`);
}
