// Small builders for store tests: a fund with an agreement, batches, lines and their totals.

import type { PeriodKey } from '../../src/domain/period.js';
import type { LineTotal, NewAgreementVersion, NewBatch, Store, StoredLine } from '../../src/store/types.js';

export const FUND = 'sheffield';
export const M01: PeriodKey = 202501;
export const M02: PeriodKey = 202502;
export const M03: PeriodKey = 202503;
export const M04: PeriodKey = 202504;

export function agreementVersion(overrides: Partial<NewAgreementVersion> = {}): NewAgreementVersion {
  return {
    fundId: FUND,
    fundName: 'Sheffield Better Care Fund',
    loadedAt: '2025-05-01T09:00:00.000Z',
    loadedBy: 'finance.officer',
    sourceFile: 'agreement.yaml',
    sourceSha256: 'a'.repeat(64),
    sourceText: 'fund: sheffield\n',
    modelJson: '{"fund":"sheffield"}',
    ...overrides,
  };
}

export function newBatch(overrides: Partial<NewBatch> = {}): NewBatch {
  return {
    fundId: FUND,
    ledgerId: 'council',
    fileName: 'council-m03.csv',
    fileSha256: 'f'.repeat(64),
    fileBytes: 1234,
    mode: 'replace',
    agreementVersion: 1,
    importedAt: '2025-07-01T10:00:00.000Z',
    importedBy: 'finance.officer',
    lineCount: 0,
    controlTotalPence: 0,
    headerJson: '["Cost Centre","Subjective","Amount"]',
    ...overrides,
  };
}

export function storedLine(lineNo: number, overrides: Partial<StoredLine> = {}): StoredLine {
  return {
    lineNo,
    period: M01,
    amountPence: 100 * lineNo,
    status: 'mapped',
    schemeId: 'reablement',
    ruleIndex: 0,
    lineId: `TX${lineNo}`,
    codes: JSON.stringify(['C4101', '5001']),
    raw: JSON.stringify(['C4101', '5001', `${lineNo}.00`]),
    ...overrides,
  };
}

/** What the import use case writes: per (period, status, scheme, codes) sums of the lines. */
export function totalsOf(lines: readonly StoredLine[]): Omit<LineTotal, 'batchId'>[] {
  const groups = new Map<string, Omit<LineTotal, 'batchId'>>();
  for (const line of lines) {
    const key = JSON.stringify([line.period, line.status, line.schemeId, line.codes]);
    const group = groups.get(key);
    if (group) {
      group.lineCount += 1;
      group.amountPence += line.amountPence;
    } else {
      groups.set(key, { period: line.period, status: line.status, schemeId: line.schemeId, codes: line.codes, lineCount: 1, amountPence: line.amountPence });
    }
  }
  return [...groups.values()];
}

export async function seedFund(store: Store, fundId = FUND): Promise<void> {
  await store.insertAgreementVersion(agreementVersion({ fundId }));
}

/** Imports a batch as the app does, in one transaction; replace mode supersedes earlier periods. */
export async function importBatch(
  store: Store,
  lines: StoredLine[],
  overrides: Partial<NewBatch> & { sha?: string } = {},
): Promise<{ batchId: number; superseded: { batchId: number; period: PeriodKey }[] }> {
  const { sha, ...batchOverrides } = overrides;
  const batch = newBatch({ ...batchOverrides, ...(sha ? { fileSha256: sha } : {}) });
  return store.transaction(async (tx) => {
    const batchId = await tx.insertBatch(batch);
    await tx.insertLines(batchId, lines);
    const periods = [...new Set(lines.map((line) => line.period))];
    await tx.insertBatchPeriods(batchId, periods);
    const superseded = batch.mode === 'replace' ? await tx.supersede(batch.fundId, batch.ledgerId, periods, batchId) : [];
    await tx.replaceLineTotals(batchId, totalsOf(lines));
    await tx.completeBatch(batchId, { lineCount: lines.length, controlTotalPence: lines.reduce((sum, line) => sum + line.amountPence, 0) });
    return { batchId, superseded };
  });
}

export function linesOf(count: number, make: (lineNo: number) => Partial<StoredLine> = () => ({})): StoredLine[] {
  return Array.from({ length: count }, (_, index) => storedLine(index + 2, make(index + 2)));
}
