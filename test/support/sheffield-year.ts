// The Sheffield example's whole 2025-26 on a store: its agreement, the hand-made M01–M03 extracts
// and the demo's synthetic M04–M12 (4 lines per ledger and month, enough for every figure), ready
// to close month by month. Shared by the statutory returns' tests and the M12 report's.

import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadAgreement } from '../../src/app/agreements.js';
import { closePeriod } from '../../src/app/close.js';
import type { AppContext } from '../../src/app/context.js';
import { importBatch } from '../../src/app/import-batch.js';
import { buildReport, type BuiltReport } from '../../src/app/report.js';
import { buildMemorandum } from '../../src/app/returns.js';
import { exampleExtracts } from '../../src/cli/commands/demo.js';
import { writeYearExtracts } from '../../src/demo/generate-year.js';
import { periodKey } from '../../src/domain/period.js';
import type { MemorandumReturn } from '../../src/report/returns-data.js';

export const SHEFFIELD = 'examples/sheffield';

/** Load the agreement (the example's unless given) and import every extract of the year. */
export async function loadSheffieldYear(ctx: AppContext, agreement = join(SHEFFIELD, 'agreement.yaml')): Promise<void> {
  await loadAgreement(ctx, agreement);
  const generated = mkdtempSync(join(tmpdir(), 'tandem-sheffield-year-'));
  await writeYearExtracts(generated, { linesPerMonth: 4 });
  for (const e of [...exampleExtracts(SHEFFIELD), ...exampleExtracts(generated)]) await importBatch(ctx, { ledgerId: e.ledgerId, path: e.path });
}

/** Close a month of 2025-26, the example's few unmapped lines allowed. */
export function closeSheffieldMonth(ctx: AppContext, month: number) {
  return closePeriod(ctx, { period: periodKey(2025, month), allowUnmapped: true });
}

/** The year closed through M12 on `ctx`'s store, with the M11 and M12 reports and the memorandum return. */
export async function sheffieldYearReports(ctx: AppContext): Promise<{ m11: BuiltReport; m12: BuiltReport; memorandum: MemorandumReturn }> {
  await loadSheffieldYear(ctx);
  for (let month = 1; month <= 12; month++) await closeSheffieldMonth(ctx, month);
  return {
    m11: await buildReport(ctx, { period: periodKey(2025, 11) }),
    m12: await buildReport(ctx, { period: periodKey(2025, 12) }),
    memorandum: await buildMemorandum(ctx, { year: 2025 }),
  };
}
