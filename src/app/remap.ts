// Re-apply the mapping rules of the agreement in force to lines already imported (domain.md §5:
// mapping is derived from the stored raw columns). Nothing is re-imported: each live batch's
// lines are re-mapped from their original columns, changed lines updated, and the batch's
// totals rebuilt — all in one transaction.

import { compileRules } from '../domain/mapping.js';
import type { LineMappingUpdate } from '../store/types.js';
import { agreementInForce, resolveFund } from './agreements.js';
import { isoNow, type AppContext } from './context.js';
import { TandemError } from './errors.js';
import { assertFundOpen } from './fund-state.js';
import { assertPeriodsOpen, lockedPeriods } from './periods.js';
import { LineTotalsAccumulator } from './line-totals.js';

export interface RemapResult {
  fundId: string;
  agreementVersion: number;
  ledgers: { id: string; batches: number; lines: number; changed: number; unmappedBefore: number; unmappedAfter: number; keptInClosedPeriods: number }[];
}

export interface RemapOptions {
  fundId?: string;
  ledgerId?: string;
  /**
   * Leave lines of closed periods as they are (counted in `keptInClosedPeriods`) instead of
   * refusing the whole remap: the suspense queue re-applies a new rule to the open months.
   */
  skipClosedPeriods?: boolean;
}

const CHUNK = 5_000;

export async function remap(ctx: AppContext, options: RemapOptions = {}): Promise<RemapResult> {
  const fundId = await resolveFund(ctx, options.fundId);
  const { agreement, record } = await agreementInForce(ctx, fundId);
  const ledgers = agreement.ledgers.filter((l) => options.ledgerId === undefined || l.id === options.ledgerId);
  if (ledgers.length === 0) throw new TandemError('LEDGER_UNKNOWN', `ledger "${options.ledgerId}" is not in the agreement of fund ${fundId}`);

  return ctx.store.transaction(async (tx) => {
    await tx.lockFund(fundId);
    await assertFundOpen(tx, fundId, 'remapping');
    const locked = new Set(await lockedPeriods(tx, fundId));
    const result: RemapResult = { fundId, agreementVersion: record.version, ledgers: [] };
    for (const ledger of ledgers) {
      const batches = (await tx.listBatches(fundId, ledger.id)).filter((b) => b.periods.some((p) => !(p in b.supersededPeriods)));
      const summary = { id: ledger.id, batches: batches.length, lines: 0, changed: 0, unmappedBefore: 0, unmappedAfter: 0, keptInClosedPeriods: 0 };
      for (const batch of batches) {
        const header = JSON.parse(batch.headerJson) as string[];
        const compiled = compileRules(ledger.rules, header);
        if (!compiled.ok) {
          const columns = [...new Set(compiled.missing.map((m) => m.column))].join(', ');
          throw new TandemError('RULE_COLUMN_MISSING', `the rules of ledger ${ledger.id} use column(s) ${columns} that batch ${batch.id} (${batch.fileName}) does not have; nothing was remapped`);
        }
        // Totals are rebuilt from scratch, flushed in parts when there are very many groups.
        await tx.replaceLineTotals(batch.id, []);
        const totals = new LineTotalsAccumulator();
        for await (const lines of tx.iterateBatchLines(batch.id, CHUNK)) {
          const updates: LineMappingUpdate[] = [];
          for (const line of lines) {
            let m = compiled.map(JSON.parse(line.raw) as string[]);
            summary.lines += 1;
            if (line.status === 'unmapped') summary.unmappedBefore += 1;
            if (m.status !== line.status || m.schemeId !== line.schemeId || m.ruleIndex !== line.ruleIndex) {
              if (locked.has(line.period) && options.skipClosedPeriods) {
                // Kept as the close saw it; its totals are rebuilt from the line as it stays.
                summary.keptInClosedPeriods += 1;
                m = { status: line.status, schemeId: line.schemeId, ruleIndex: line.ruleIndex };
              } else {
                // A closed period's figures are final until it is reopened: remapping it would change them behind the close.
                if (locked.has(line.period)) await assertPeriodsOpen(tx, fundId, [line.period], `remapping ledger ${ledger.id} (batch ${batch.id}, line ${line.lineNo})`);
                updates.push({ batchId: batch.id, lineNo: line.lineNo, status: m.status, schemeId: m.schemeId, ruleIndex: m.ruleIndex });
              }
            }
            if (m.status === 'unmapped') summary.unmappedAfter += 1;
            totals.add(line.period, m, line.codes, line.amountPence);
          }
          summary.changed += updates.length;
          if (updates.length > 0) await tx.updateLineMappings(updates);
          if (totals.full) await tx.appendLineTotals(batch.id, totals.take());
        }
        await tx.appendLineTotals(batch.id, totals.take());
      }
      result.ledgers.push(summary);
    }
    await tx.appendAudit({
      fundId,
      actor: ctx.actor,
      action: 'remap',
      subject: `agreement:${record.version}`,
      details: { ledgers: result.ledgers },
      inputSha256: record.sourceSha256,
      at: isoNow(ctx),
    });
    return result;
  });
}
