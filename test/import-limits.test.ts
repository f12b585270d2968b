// A ledger's own limits (`extract.limits` in the agreement, docs/agreement.md): validated by the
// schema, carried into the model in bytes, and applied by an import, which then writes nothing.

import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import type { AppContext } from '../src/app/context.js';
import { importBatch } from '../src/app/import-batch.js';
import { parseAgreement } from '../src/agreement/load.js';
import { describeEachStore } from './support/stores.js';
import { rejection } from './support/rejection.js';

function agreementWith(limits: string): string {
  return `fund: {id: demo, name: Demo fund}
years: ["2025-26"]
partners:
  - {id: icb, name: NHS Demo ICB, kind: icb}
pools:
  - {id: acute, name: Aligned acute}
schemes:
  - id: nel
    name: Non-elective admissions
    pool: acute
    type: aligned
    contributions: {"2025-26": {icb: 1000}}
ledgers:
  - id: icb
    name: ICB ledger
    partner: icb
    extract:
      columns: {date: Date, amount: Amount, codes: [Cost Centre]}
      ${limits}
    rules:
      - {when: {Cost Centre: C1}, scheme: nel}
`;
}

describe('extract.limits in the agreement', () => {
  it('are carried into the model, sizes in bytes, and left out when not given', () => {
    const loaded = parseAgreement(agreementWith('limits: {max_file_mb: 2, max_lines: 5, max_xlsx_mb: 3, max_cell_chars: 100}'), { fileName: 'a.yaml' });
    expect(loaded.ok && loaded.agreement.ledgers[0]!.file.limits).toEqual({ maxFileBytes: 2 * 1024 * 1024, maxLines: 5, maxXlsxBytes: 3 * 1024 * 1024, maxCellChars: 100 });
    const without = parseAgreement(agreementWith(''), { fileName: 'a.yaml' });
    expect(without.ok && 'limits' in without.agreement.ledgers[0]!.file).toBe(false);
  });

  it.each(['max_lines: 0', 'max_line_chars: -1', 'max_columns: 1.5', 'max_file_mb: 9999999', 'max_rows: 5', 'max_cell_chars: "32k"'])('refuses %s', (limit) => {
    const loaded = parseAgreement(agreementWith(`limits: {${limit}}`), { fileName: 'a.yaml' });
    expect(loaded.ok).toBe(false);
    expect(loaded.ok ? [] : loaded.problems.map((p) => p.path)).toEqual([expect.stringContaining('extract.limits')]);
  });
});

describeEachStore('an import past a ledger limit', (current) => {
  const ctx = (): AppContext => ({ store: current().store, actor: 'tester', now: () => new Date('2025-07-08T09:00:00Z') });

  async function setUp(limits: string): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-limits-'));
    writeFileSync(join(dir, 'agreement.yaml'), agreementWith(limits));
    await loadAgreement(ctx(), join(dir, 'agreement.yaml'));
    return dir;
  }

  it('is refused with the limit code and writes nothing; inside the limit it imports', async () => {
    const dir = await setUp('limits: {max_lines: 3}');
    const rows = (n: number) => ['Cost Centre,Date,Amount', ...Array.from({ length: n }, (_, i) => `C1,15/04/2025,${i + 1}.00`)].join('\n');
    writeFileSync(join(dir, 'four.csv'), rows(4));
    const audit = (await ctx().store.listAudit({})).length;
    const e = await rejection(importBatch(ctx(), { ledgerId: 'icb', path: join(dir, 'four.csv') }));
    expect(e.code).toBe('IMPORT_REJECTED');
    expect(e.problems.map((p) => [p.code, p.line])).toEqual([['TOO_MANY_LINES', 5]]);
    expect(await ctx().store.listBatches('demo')).toEqual([]);
    expect((await ctx().store.listAudit({})).length).toBe(audit);
    writeFileSync(join(dir, 'three.csv'), rows(3));
    expect((await importBatch(ctx(), { ledgerId: 'icb', path: join(dir, 'three.csv') })).lines).toBe(3);
  });

  it('refuses a file over the size limit before reading it', async () => {
    const dir = await setUp('limits: {max_file_mb: 1}');
    writeFileSync(join(dir, 'big.csv'), `Cost Centre,Date,Amount\n${'C1,15/04/2025,1.00\n'.repeat(60_000)}`);
    const e = await rejection(importBatch(ctx(), { ledgerId: 'icb', path: join(dir, 'big.csv') }));
    expect(e.problems.map((p) => [p.code, p.message])).toEqual([['FILE_TOO_LARGE', expect.stringContaining('extract.limits.max_file_mb')]]);
    expect(await ctx().store.listBatches('demo')).toEqual([]);
  });
});
