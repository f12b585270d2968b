// What changed between two versions of a period's close (after a reopen): the figures a committee
// reads — budgets, actuals, forecasts, RAG, shares, journal totals, suspense — compared by id, so
// the list says "lths fotPence 1,234 → 1,300" rather than dumping two documents.

import { diffJson, type Change } from './agreement-diff.js';
import type { CloseComputation } from './close.js';
import { journalTotals } from './journal.js';

function projection(c: CloseComputation) {
  return {
    schemes: c.schemes.map((s) => ({
      id: s.id,
      annualBudgetPence: s.annualBudgetPence,
      ytdBudgetPence: s.ytdBudgetPence,
      ytdActualPence: s.ytdActualPence,
      fotPence: s.fotPence,
      fotVariancePence: s.fotVariancePence,
      fotBasis: s.fotBasis,
      rag: s.rag,
      sharesPence: s.sharesPence,
    })),
    pools: c.pools.map((p) => ({ id: p.id, fotVariancePence: p.fotVariancePence, sharesPence: p.sharesPence, retainedPence: p.retainedPence })),
    totals: c.totals,
    journals: c.journals.map((j) => ({ id: `${j.ledger}/${j.ref}`, ...journalTotals(j), lines: j.lines.length })),
    unmapped: c.unmapped.map((u) => ({ id: u.ledger, lines: u.lines, amountPence: u.amountPence })),
  };
}

export function closeChanges(before: CloseComputation, after: CloseComputation): Change[] {
  return diffJson(projection(before), projection(after));
}
