// Concurrency (issue 8 §3), with real parallel `tandem` processes on SQLite and on PostgreSQL: two
// imports of the same ledger at once, an import during a close, two closes at once, and a reopen
// (then a re-import and a re-close) during reports. Each pair must either serialise — both
// succeed, and the database equals the same commands run one after the other in the order they
// took — or one must be refused with a clear error code; `tandem verify` passes afterwards and the
// canonical summary (test/support/torture-db.ts: status figures, every batch's line count and
// control total, the lines actually stored per batch, closes, history, audit trail) equals that of
// the serial run, so no line is lost or doubled. "During" is arranged, not hoped for: the second
// command starts once the first has begun its own transaction (the probe's marks).

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { buildReport } from '../src/app/report.js';
import { periodKey } from '../src/domain/period.js';
import { reportCsvTables } from '../src/report/csv.js';
import { openStore } from '../src/store/open.js';
import { CliRun, tandem, tandemOk, useCopyOfBuild, type CliResult } from './support/torture-cli.js';
import { canonical, firstDifference, postgresDatabases, sqliteDatabases, summarise, type Databases, type Summary, type TortureDb } from './support/torture-db.js';
import { expectVerified, FUND, writeExtracts, type Extracts } from './support/torture.js';

const LINES = 5_000;
const M01 = periodKey(2025, 1);

let dir: string;
let files: Extracts;

let restoreBuild: (() => void) | undefined;

beforeAll(async () => {
  restoreBuild = useCopyOfBuild();
  dir = mkdtempSync(join(tmpdir(), 'tandem-concurrency-'));
  files = await writeExtracts(dir, LINES);
});

afterAll(() => {
  restoreBuild?.();
  rmSync(dir, { recursive: true, force: true });
});

const importA = () => ['import', '--ledger', 'council', files.councilA];
const importC = () => ['import', '--ledger', 'council', files.councilC];
const close = (m: string) => ['close', '2025-26', m, '--allow-unmapped'];
const reopenM01 = ['reopen', '2025-26', 'M01', '--reason', 'late invoices'];

function start(db: TortureDb, args: string[]): CliRun {
  return new CliRun([...args, '--db', db.location]);
}

/** The command's own transaction has begun (opening the store migrates in transaction 1). */
const commandBegun = (run: CliRun) => run.waitForMark((m) => m.event === 'begin' && m.tx === 2);

function ok(r: CliResult): Record<string, unknown> {
  expect(r.exitCode, `${r.args.join(' ')}: ${r.stdout.slice(0, 800)} ${r.stderr.slice(0, 800)}`).toBe(0);
  return r.json();
}

function refused(r: CliResult, code: string): void {
  const said = `${r.args.join(' ')}: ${r.stdout.slice(0, 800)} ${r.stderr.slice(0, 800)}`;
  expect(r.exitCode, said).toBe(1);
  expect(r.errorCode(), said).toBe(code);
}

for (const [engine, make] of [
  ['sqlite', () => sqliteDatabases(dir)],
  ['postgres', () => postgresDatabases(inject('pgUrl'))],
] as [string, () => Databases][]) {
  // The two engines side by side; within one, scenarios one at a time (each already runs several processes).
  describe(`concurrent commands serialise or are refused [${engine}]`, { concurrent: true }, () => {
    let databases: Databases;
    /** The agreement and the NHS extract; then the council's too; then M01 closed (version 1). */
    let withNhs: TortureDb;
    let withBoth: TortureDb;
    let closedM01: TortureDb;
    const made: TortureDb[] = [];
    const serialCache = new Map<string, Summary>();

    beforeAll(async () => {
      databases = make();
      withNhs = await databases.fresh();
      made.push(withNhs);
      for (const args of [['agreement', 'load', files.agreement], ['import', '--ledger', 'nhs', files.nhsB]]) await tandemOk([...args, '--db', withNhs.location]);
      withBoth = await databases.copy(withNhs);
      made.push(withBoth);
      await tandemOk([...importA(), '--db', withBoth.location]);
      closedM01 = await databases.copy(withBoth);
      made.push(closedM01);
      await tandemOk([...close('M01'), '--db', closedM01.location]);
    });

    afterAll(async () => {
      for (const db of made) await db.drop();
    });

    /** The summary after running `commands` one after the other from `from` (a refused one writes nothing). */
    async function serial(from: TortureDb, commands: string[][]): Promise<Summary> {
      const key = canonical([from.location, commands]);
      const cached = serialCache.get(key);
      if (cached) return cached;
      const db = await databases.copy(from);
      try {
        for (const args of commands) await tandem([...args, '--db', db.location]);
        const summary = await summarise(db, FUND);
        serialCache.set(key, summary);
        return summary;
      } finally {
        await db.drop();
      }
    }

    /** A copy of `from` for one scenario; afterwards verify must pass, and the copy goes. */
    async function scenario(from: TortureDb, body: (db: TortureDb) => Promise<void>): Promise<void> {
      const db = await databases.copy(from);
      try {
        await body(db);
        await expectVerified(db, `${engine} scenario`);
      } finally {
        await db.drop();
      }
    }

    async function expectSerial(db: TortureDb, from: TortureDb, commands: string[][]): Promise<Summary> {
      const now = await summarise(db, FUND);
      expect(firstDifference(now, await serial(from, commands)), 'against the same commands run one after the other').toBeNull();
      return now;
    }

    const councilLines = (s: Summary) => (s.status as { ledgers: { id: string; lines: number }[] }).ledgers.find((l) => l.id === 'council')!.lines;

    it.sequential('the same extract imported twice at once: one batch, the other run says "already imported"', async () => {
      await scenario(withNhs, async (db) => {
        const [a, b] = await Promise.all([start(db, importA()).done, start(db, importA()).done]);
        const outs = [ok(a), ok(b)];
        expect(outs.map((o) => o.status).sort()).toEqual(['already-imported', 'imported']);
        expect(outs[0]!.batchId).toBe(outs[1]!.batchId);
        expect(councilLines(await expectSerial(db, withNhs, [importA()]))).toBe(LINES);
      });
    });

    it.sequential('two extracts of one ledger for the same months at once: both imported, the later supersedes the earlier', async () => {
      await scenario(withNhs, async (db) => {
        const a = start(db, importA());
        await commandBegun(a);
        const [ra, rc] = await Promise.all([a.done, start(db, importC()).done]);
        const [outA, outC] = [ok(ra), ok(rc)] as { batchId: number; status: string; superseded: { batchId: number }[] }[];
        expect([outA!.status, outC!.status]).toEqual(['imported', 'imported']);
        // The run that went second superseded the other's batch, period by period.
        const cSecond = outC!.superseded.some((s) => s.batchId === outA!.batchId);
        expect(cSecond || outA!.superseded.some((s) => s.batchId === outC!.batchId)).toBe(true);
        const order = cSecond ? [importA(), importC()] : [importC(), importA()];
        expect(councilLines(await expectSerial(db, withNhs, order))).toBe(LINES);
      });
    });

    it.sequential('an import started while a close holds the lock: the close waits for it and includes it', async () => {
      await scenario(withBoth, async (db) => {
        const imp = start(db, importC());
        await commandBegun(imp);
        const [ri, rc] = await Promise.all([imp.done, start(db, close('M01')).done]);
        expect(ok(ri).status).toBe('imported');
        const doc = ok(rc) as { sources: { batches: { file: string }[] } };
        expect(doc.sources.batches.map((b) => b.file)).toContain(files.councilC);
        await expectSerial(db, withBoth, [importC(), close('M01')]);
      });
    });

    it.sequential('an import started during a close of a month it changes: the close stands, the import is refused (PERIOD_LOCKED)', async () => {
      await scenario(withBoth, async (db) => {
        const closing = start(db, close('M01'));
        await commandBegun(closing);
        const [rc, ri] = await Promise.all([closing.done, start(db, importC()).done]);
        ok(rc);
        refused(ri, 'PERIOD_LOCKED');
        expect(ri.json<{ error: { message: string } }>().error.message).toMatch(/closed; nothing was imported/);
        await expectSerial(db, withBoth, [close('M01')]);
      });
    });

    it.sequential('the same month closed twice at once: one close, the other refused (PERIOD_LOCKED)', async () => {
      await scenario(withBoth, async (db) => {
        const results = await Promise.all([start(db, close('M01')).done, start(db, close('M01')).done]);
        const winner = results.filter((r) => r.exitCode === 0);
        expect(winner).toHaveLength(1);
        expect((winner[0]!.json() as { closeVersion: number }).closeVersion).toBe(1);
        refused(results.find((r) => r.exitCode !== 0)!, 'PERIOD_LOCKED');
        await expectSerial(db, withBoth, [close('M01')]);
      });
    });

    it.sequential('M01 and M02 closed at once: in order both close; the other way M01 is refused (LATER_PERIOD_CLOSED)', async () => {
      await scenario(withBoth, async (db) => {
        const [r1, r2] = await Promise.all([start(db, close('M01')).done, start(db, close('M02')).done]);
        ok(r2);
        if (r1.exitCode === 0) await expectSerial(db, withBoth, [close('M01'), close('M02')]);
        else {
          refused(r1, 'LATER_PERIOD_CLOSED');
          await expectSerial(db, withBoth, [close('M02')]);
        }
      });
    });

    it.sequential('reports written while the month is reopened, re-imported and closed again each show one stored close exactly', async () => {
      await scenario(closedM01, async (db) => {
        const reports: { out: string; result: Promise<CliResult> }[] = [];
        const report = () => {
          const out = join(dir, `${engine}-report-${reports.length}`);
          reports.push({ out, result: start(db, ['report', '2025-26', 'M01', '--format', 'html,csv', '--out', out]).done });
        };
        // A report and the reopen start together; more reports follow back to back until the
        // re-close is done, so each of the chain's steps runs while some report is being written.
        report();
        const chain = (async () => {
          for (const args of [reopenM01, importC(), close('M01')]) ok(await start(db, args).done);
        })();
        let chainDone = false;
        void chain.then(() => (chainDone = true), () => (chainDone = true));
        while (!chainDone) {
          await reports.at(-1)!.result;
          if (!chainDone) report();
        }
        await chain;
        report();
        const versions = new Set<number>();
        for (const r of reports) versions.add(await expectConsistentReport(db, ok(await r.result) as { closeVersion: number }, r.out));
        expect([...versions].every((v) => v === 1 || v === 2)).toBe(true);
        expect(versions.has(2)).toBe(true); // the last report, at least, was written after the re-close
        await expectSerial(db, closedM01, [reopenM01, importC(), close('M01')]);
      });
    }, 120_000);
  });
}

/**
 * The report on disk is exactly the stored close it names: every CSV table equal to one rendered
 * now from that version (provenance aside from when and by whom it was generated), and the HTML
 * naming that version and its SHA-256. Returns the version.
 */
async function expectConsistentReport(db: TortureDb, output: { closeVersion: number }, out: string): Promise<number> {
  const store = await openStore(db.location, { migrate: false });
  try {
    const ctx = { store, actor: 'torture', now: () => new Date(0) };
    const built = await buildReport(ctx, { fundId: FUND, period: M01, version: output.closeVersion });
    const record = await store.getClose(FUND, M01, output.closeVersion);
    const csvDir = readdirSync(out).find((f) => f.endsWith('-csv'))!;
    const written = (name: string) => readFileSync(join(out, csvDir, `${name}.csv`), 'utf8');
    const generated = /^(Generated at|Generated by),.*$/gm;
    for (const table of reportCsvTables(built.data)) {
      expect(written(table.name).replace(generated, ''), `${table.name}.csv of close version ${output.closeVersion}`).toBe(table.text.replace(generated, ''));
    }
    const html = readFileSync(join(out, readdirSync(out).find((f) => f.endsWith('.html'))!), 'utf8');
    expect(html).toContain(record!.documentSha256);
    expect(html).toContain(`version ${output.closeVersion}`);
    return output.closeVersion;
  } finally {
    await store.close();
  }
}
