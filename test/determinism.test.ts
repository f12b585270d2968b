// The same inputs give the same outputs on both databases (issue 8 §6): the Sheffield example
// loaded, imported and closed (M01–M03) independently on SQLite and on PostgreSQL, with the same
// clock, must give byte-identical journals (CSV and ledger text, per ledger), report CSV tables
// and report data, and XLSX reports with the same cells on every sheet (the XLSX container itself
// carries zip timestamps, so its cells are compared, not its bytes).

import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import { closePeriod } from '../src/app/close.js';
import type { AppContext } from '../src/app/context.js';
import { loadContracts } from '../src/app/contracts.js';
import { importBatch } from '../src/app/import-batch.js';
import { importMeasures } from '../src/app/measure-import.js';
import { exportJournals } from '../src/app/journal-export.js';
import { buildReport } from '../src/app/report.js';
import { writeReportFiles } from '../src/app/report-files.js';
import { exampleExtracts } from '../src/cli/commands/demo.js';
import { periodKey } from '../src/domain/period.js';
import { storeFactories, type TestStore } from './support/stores.js';

const EXAMPLE = 'examples/sheffield';
const M03 = periodKey(2025, 3);
const dir = mkdtempSync(join(tmpdir(), 'tandem-determinism-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Every file under `root`, by its path relative to it, as bytes. */
function filesUnder(root: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (sub: string) => {
    for (const entry of readdirSync(join(root, sub), { withFileTypes: true })) {
      const rel = sub === '' ? entry.name : `${sub}/${entry.name}`;
      if (entry.isDirectory()) walk(rel);
      else out.set(rel, readFileSync(join(root, rel)));
    }
  };
  walk('');
  return out;
}

/** Each sheet's name and its rows' cell values, in order: what a reader of the workbook sees. */
async function xlsxCells(path: string): Promise<unknown[]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(path);
  return book.worksheets.map((sheet) => {
    const rows: unknown[] = [];
    sheet.eachRow({ includeEmpty: true }, (row) => rows.push(row.values));
    return { name: sheet.name, rows };
  });
}

interface Outputs {
  files: Map<string, Buffer>;
  reportData: string;
  xlsx: unknown[];
}

async function run(store: TestStore, name: string): Promise<Outputs> {
  let tick = 0;
  // The same clock on both: every recorded time (imports, closes, generation) is the same.
  const ctx: AppContext = { store: store.store, actor: 'determinism', now: () => new Date(Date.UTC(2025, 6, 8, 9, 0, tick++)) };
  await loadAgreement(ctx, join(EXAMPLE, 'agreement.yaml'));
  for (const e of exampleExtracts(EXAMPLE)) await importBatch(ctx, { ledgerId: e.ledgerId, path: e.path });
  // The contracts and measures, so the report's sections next to the money are compared too.
  await loadContracts(ctx, { path: join(EXAMPLE, 'contracts.yaml') });
  for (const kind of ['activity', 'outcomes', 'metrics'] as const) await importMeasures(ctx, kind, { path: join(EXAMPLE, `${kind}/2025-26-Q1.csv`) });
  for (const month of [1, 2, 3]) await closePeriod(ctx, { period: periodKey(2025, month), allowUnmapped: true });
  const out = join(dir, name);
  await exportJournals(ctx, { period: M03, format: 'csv', outDir: join(out, 'journals-csv') });
  await exportJournals(ctx, { period: M03, format: 'ledger', outDir: join(out, 'journals-ledger') });
  const fixed: AppContext = { ...ctx, now: () => new Date('2025-07-09T10:00:00Z') };
  await writeReportFiles(fixed, { period: M03, formats: ['csv', 'xlsx'], outDir: join(out, 'report') });
  const files = filesUnder(out);
  const xlsxName = [...files.keys()].find((f) => f.endsWith('.xlsx'))!;
  const xlsx = await xlsxCells(join(out, xlsxName));
  files.delete(xlsxName);
  const reportData = JSON.stringify((await buildReport(fixed, { period: M03 })).data);
  return { files, reportData, xlsx };
}

describe('determinism across databases', () => {
  it('gives byte-identical journals, report CSV and report data, and the same XLSX cells, on SQLite and PostgreSQL', async () => {
    const outputs: Outputs[] = [];
    for (const factory of storeFactories()) {
      const store = await factory.create();
      try {
        outputs.push(await run(store, factory.dialect));
      } finally {
        await store.dispose();
      }
    }
    const [sqlite, postgres] = outputs as [Outputs, Outputs];
    expect([...sqlite.files.keys()].sort()).toEqual([...postgres.files.keys()].sort());
    expect([...sqlite.files.keys()].filter((f) => f.startsWith('journals-csv/')).length).toBeGreaterThanOrEqual(2);
    expect([...sqlite.files.keys()].filter((f) => f.startsWith('report/')).length).toBeGreaterThan(5);
    const differing = [...sqlite.files.keys()].filter((f) => !sqlite.files.get(f)!.equals(postgres.files.get(f)!));
    expect(differing).toEqual([]);
    expect(sqlite.reportData).toBe(postgres.reportData);
    expect(sqlite.xlsx.length).toBeGreaterThan(3);
    expect(JSON.stringify(sqlite.xlsx)).toBe(JSON.stringify(postgres.xlsx));
  }, 180_000);
});
