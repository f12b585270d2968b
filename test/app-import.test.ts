// The import use cases end to end on both databases, on the Sheffield example: figures checked
// against examples/sheffield/EXPECTED.md (computed independently of Tandem), idempotency,
// supersession by a year-to-date extract, atomic rejection, remap from stored columns.

import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import type { AppContext } from '../src/app/context.js';
import { importBatch } from '../src/app/import-batch.js';
import { remap } from '../src/app/remap.js';
import { fundStatus } from '../src/app/status.js';
import { unmappedGroups } from '../src/app/unmapped.js';
import { exampleExtracts } from '../src/cli/commands/demo.js';
import { describeEachStore } from './support/stores.js';
import { rejection } from './support/rejection.js';

const EXAMPLE = 'examples/sheffield';
const COUNCIL_HEADER = 'Cost Centre,Subjective,Cost Centre Name,Description,Transaction Date,Amount';

/** YTD M03 per scheme from EXPECTED.md's "Mapped actuals per scheme" table. */
function expectedYtd(): Record<string, number> {
  const doc = readFileSync(join(EXAMPLE, 'EXPECTED.md'), 'utf8');
  const section = doc.split('## Mapped actuals per scheme')[1]!.split('##')[0]!;
  const rows = [...section.matchAll(/^\| (\w+) \| (-?\d+) \| (-?\d+) \| (-?\d+) \| (-?\d+) \|$/gm)];
  return Object.fromEntries(rows.map((m) => [m[1]!, Number(m[5])]));
}

async function loadExample(ctx: AppContext) {
  await loadAgreement(ctx, join(EXAMPLE, 'agreement.yaml'));
  for (const e of exampleExtracts(EXAMPLE)) await importBatch(ctx, { ledgerId: e.ledgerId, path: e.path });
}

/** A council-shaped file (Windows-1252, title and totals lines) from rows of fields. */
function councilFile(dir: string, name: string, rows: string[]): string {
  const path = join(dir, name);
  writeFileSync(path, Buffer.from(['Title line', COUNCIL_HEADER, ...rows, ',,,Total,,"0.00"', ''].join('\r\n'), 'latin1'));
  return path;
}


describeEachStore('importing the Sheffield example', (current) => {
  const ctx = (): AppContext => ({ store: current().store, actor: 'tester', now: () => new Date('2025-07-08T09:00:00Z') });

  it('gives the hand-checked year-to-date actual of every scheme', async () => {
    await loadExample(ctx());
    const status = await fundStatus(ctx());
    expect(status.period).toBe('2025-26 M03');
    const ytd = Object.fromEntries(status.schemes.map((s) => [s.id, s.ytdActualTotalPence]));
    expect(ytd).toEqual(expectedYtd());
    expect(status.schemes.find((s) => s.id === 'nel')!.ytdActualPence).toEqual({ scc: 0, sccg: 2247778000 });
    expect(status.unmapped).toEqual({ lines: 12, amountPence: 133111000 });
    const scc = status.ledgers.find((l) => l.id === 'scc')!;
    expect(scc).toMatchObject({ batches: 3, lines: 69, amountPence: 79561242 + 81630542 + 80083147 });
  });

  it('recognises the same bytes again and changes nothing', async () => {
    await loadExample(ctx());
    const audit = (await ctx().store.listAudit({})).length;
    const again = await importBatch(ctx(), { ledgerId: 'scc', path: join(EXAMPLE, 'ledgers/scc/2025-26-M02.csv') });
    expect(again).toMatchObject({ status: 'already-imported', batchId: 2, lines: 24 });
    expect((await ctx().store.listBatches('sheffield')).length).toBe(6);
    expect((await ctx().store.listAudit({})).length).toBe(audit);
    expect((await loadAgreement(ctx(), join(EXAMPLE, 'agreement.yaml'))).created).toBe(false);
  });

  it('lets a year-to-date extract supersede earlier batches period by period, never double counting', async () => {
    await loadExample(ctx());
    const dir = mkdtempSync(join(tmpdir(), 'tandem-ytd-'));
    const ytd = councilFile(dir, 'ytd.csv', [
      'C4101,5001,PKW,"Grant, April",15/04/2025,"1,000.00"',
      'C4101,5001,PKW,"Grant, May",15/05/2025,"(250.00)"',
    ]);
    const result = await importBatch(ctx(), { ledgerId: 'scc', path: ytd });
    expect(result.superseded).toEqual([
      { batchId: 1, period: '2025-26 M01' },
      { batchId: 2, period: '2025-26 M02' },
    ]);
    const status = await fundStatus(ctx());
    const scc = status.ledgers.find((l) => l.id === 'scc')!;
    // M03's batch stays live; M01 and M02 now hold only the two new lines.
    expect(scc.lines).toBe(23 + 2);
    expect(scc.amountPence).toBe(80083147 + 100000 - 25000);
    const pkw = status.schemes.find((s) => s.id === 'pkw')!;
    expect(pkw.ytdActualTotalPence).toBe(401109599 - 73414050 - 79890575 + 75000);
    const batches = await ctx().store.listBatches('sheffield', 'scc');
    expect(batches.find((b) => b.id === 1)!.supersededPeriods).toEqual({ 202501: result.batchId });
  });

  it('rejects a file with one bad line late in the file and writes nothing', async () => {
    await loadAgreement(ctx(), join(EXAMPLE, 'agreement.yaml'));
    const audit = (await ctx().store.listAudit({})).length;
    const dir = mkdtempSync(join(tmpdir(), 'tandem-bad-'));
    const rows = Array.from({ length: 5000 }, (_, i) => `C4101,5001,PKW,"Grant ${i}",15/04/2025,"${i}.00"`);
    rows[4899] = 'C4101,5001,PKW,"Grant x",15/04/2025,"12,34.5"';
    const bad = councilFile(dir, 'bad.csv', rows);
    const e = await rejection(importBatch(ctx(), { ledgerId: 'scc', path: bad }));
    expect(e.code).toBe('IMPORT_REJECTED');
    expect(e.problems).toEqual([expect.objectContaining({ code: 'AMOUNT_INVALID', file: bad, line: 4902, column: 'Amount' })]);
    expect(await ctx().store.listBatches('sheffield')).toEqual([]);
    expect((await ctx().store.listAudit({})).length).toBe(audit);
    // Fixed, the same file imports in full.
    rows[4899] = 'C4101,5001,PKW,"Grant x",15/04/2025,"1,234.50"';
    const good = await importBatch(ctx(), { ledgerId: 'scc', path: councilFile(dir, 'good.csv', rows) });
    expect(good.lines).toBe(5000);
  });

  it('refuses a ledger the agreement does not name, and lines outside its years', async () => {
    await loadAgreement(ctx(), join(EXAMPLE, 'agreement.yaml'));
    const e = await rejection(importBatch(ctx(), { ledgerId: 'nope', path: join(EXAMPLE, 'ledgers/scc/2025-26-M01.csv') }));
    expect(e.code).toBe('LEDGER_UNKNOWN');
    const dir = mkdtempSync(join(tmpdir(), 'tandem-year-'));
    const late = councilFile(dir, 'late.csv', ['C4101,5001,PKW,x,15/04/2026,"1.00"']);
    const e2 = await rejection(importBatch(ctx(), { ledgerId: 'scc', path: late }));
    expect(e2.problems.map((p) => p.code)).toEqual(['PERIOD_OUTSIDE_AGREEMENT']);
    expect(await ctx().store.listBatches('sheffield')).toEqual([]);
  });

  it('re-applies better rules of a new agreement version to stored lines without re-importing', async () => {
    await loadExample(ctx());
    const before = await fundStatus(ctx());
    // Version 2: the council's rules gain one for C4501 (Discharge to Assess) → asr.
    const dir = mkdtempSync(join(tmpdir(), 'tandem-remap-'));
    copyFileSync(join(EXAMPLE, 'agreement.yaml'), join(dir, 'agreement.yaml'));
    mkdirSync(join(dir, 'ledgers'));
    copyFileSync(join(EXAMPLE, 'ledgers/sccg.yaml'), join(dir, 'ledgers/sccg.yaml'));
    writeFileSync(join(dir, 'ledgers/scc.yaml'), `${readFileSync(join(EXAMPLE, 'ledgers/scc.yaml'), 'utf8')}\n  - when: {Cost Centre: C4501}\n    scheme: asr\n`);
    const loaded = await loadAgreement(ctx(), join(dir, 'agreement.yaml'));
    expect(loaded).toMatchObject({ version: 2, created: true });
    expect(loaded.changes.length).toBeGreaterThan(0);

    const result = await remap(ctx());
    const scc = result.ledgers.find((l) => l.id === 'scc')!;
    expect(scc).toMatchObject({ batches: 3, lines: 69, changed: 4, unmappedBefore: 7, unmappedAfter: 3 });
    const after = await fundStatus(ctx());
    const asr = (s: typeof after) => s.schemes.find((x) => x.id === 'asr')!.ytdActualTotalPence;
    expect(asr(after) - asr(before)).toBe(21480000 * 3 + 4821000);
    expect(after.unmapped.amountPence).toBe(before.unmapped.amountPence - (21480000 * 3 + 4821000));
    const groups = await unmappedGroups(ctx(), { ledgerId: 'scc' });
    expect(groups).toEqual([{ ledger: 'scc', codes: { 'Cost Centre': 'C4203', Subjective: '5004' }, lines: 3, amountPence: 3890000 + 4125000 + 3960000, periods: ['2025-26 M01', '2025-26 M02', '2025-26 M03'] }]);
  });
});
