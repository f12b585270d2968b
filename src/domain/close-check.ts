// What a stored close can be checked against on its own, without its inputs (tandem verify): every
// journal balances; the agreement of balances agrees, and its period columns are what the journals
// say; and the figures hold together — each scheme's variances and monthly series, the subtotals
// (pools, pooled, aligned, fund) as sums of their schemes, and every risk share adding back to the
// variance it shares. Recomputing the close from its inputs is the stronger check
// (src/app/verify-recompute.ts); this one still runs when the inputs are gone.

import { agreementOfBalances } from './balances.js';
import type { Figures } from './close-figures.js';
import type { CloseComputation } from './close.js';
import { assertBalanced } from './journal.js';
import { sumPence, type Pence } from './money.js';

export interface CloseCheckProblem {
  code: 'JOURNAL_UNBALANCED' | 'BALANCES_DISAGREE' | 'FIGURES_INCONSISTENT';
  /** Where in the document, e.g. `journals.sccg/T2526M03-CON-BCF-SCCG`, `totals.fund.fotPence`. */
  path: string;
  message: string;
}

const ADDITIVE = ['annualBudgetPence', 'monthBudgetPence', 'ytdBudgetPence', 'monthActualPence', 'ytdActualPence', 'ytdVariancePence', 'fotPence', 'fotVariancePence'] as const;

export function checkCloseDocument(c: CloseComputation): CloseCheckProblem[] {
  const problems: CloseCheckProblem[] = [];
  const expect = (code: CloseCheckProblem['code'], path: string, stored: unknown, computed: unknown, what: string) => {
    if (stored !== computed) problems.push({ code, path, message: `${what}: the close holds ${String(stored)}, its own figures give ${String(computed)}` });
  };

  for (const j of c.journals) {
    try {
      assertBalanced(j);
    } catch (e) {
      problems.push({ code: 'JOURNAL_UNBALANCED', path: `journals.${j.ledger}/${j.ref}`, message: (e as Error).message.replace(/^invariant broken: /, '') });
    }
  }
  checkBalances(c, problems);

  const sum = (items: readonly Figures[], key: (typeof ADDITIVE)[number]) => sumPence(items.map((f) => f[key]));
  for (const s of c.schemes) {
    const at = `schemes.${s.id}`;
    expect('FIGURES_INCONSISTENT', `${at}.ytdVariancePence`, s.ytdVariancePence, s.ytdActualPence - s.ytdBudgetPence, `${s.id}: YTD variance = YTD actual − YTD budget`);
    expect('FIGURES_INCONSISTENT', `${at}.fotVariancePence`, s.fotVariancePence, s.fotPence - s.annualBudgetPence, `${s.id}: FOT variance = FOT − annual budget`);
    expect('FIGURES_INCONSISTENT', `${at}.annualBudgetPence`, s.annualBudgetPence, sumPence(Object.values(s.partners).map((p) => p.contributionPence)), `${s.id}: annual budget = the partners' contributions`);
    expect('FIGURES_INCONSISTENT', `${at}.ytdActualPence`, s.ytdActualPence, sumPence(Object.values(s.partners).map((p) => p.ytdActualPence)), `${s.id}: YTD actual = the partners' YTD actuals`);
    expect('FIGURES_INCONSISTENT', `${at}.ytdActualPence`, s.ytdActualPence, sumPence(s.monthlyActualPence), `${s.id}: YTD actual = its monthly actuals`);
    expect('FIGURES_INCONSISTENT', `${at}.annualBudgetPence`, s.annualBudgetPence, sumPence(s.monthlyBudgetPence), `${s.id}: annual budget = its monthly budgets`);
    expect('FIGURES_INCONSISTENT', `${at}.ytdBudgetPence`, s.ytdBudgetPence, sumPence(s.monthlyBudgetPence.slice(0, s.monthlyActualPence.length)), `${s.id}: YTD budget = its monthly budgets to date`);
    if (s.type === 'aligned') expect('FIGURES_INCONSISTENT', `${at}.sharesPence`, sumPence(Object.values(s.sharesPence)), s.fotVariancePence, `${s.id}: the partners' own variances add to the scheme's`);
  }
  const subtotals: [string, Figures, readonly Figures[]][] = [
    ['totals.pooled', c.totals.pooled, c.schemes.filter((s) => s.type === 'pooled')],
    ['totals.aligned', c.totals.aligned, c.schemes.filter((s) => s.type === 'aligned')],
    ['totals.fund', c.totals.fund, c.schemes],
    ...c.pools.map((p): [string, Figures, readonly Figures[]] => [`pools.${p.id}.figures`, p.figures, c.schemes.filter((s) => s.pool === p.id)]),
  ];
  for (const [path, figures, schemes] of subtotals) {
    for (const key of ADDITIVE) expect('FIGURES_INCONSISTENT', `${path}.${key}`, figures[key], sum(schemes, key), `${path} ${key} = the sum of its schemes`);
  }
  for (const u of c.units) {
    const variance = sumPence(c.schemes.filter((s) => u.schemes.includes(s.id)).map((s) => s.fotVariancePence));
    expect('FIGURES_INCONSISTENT', `units.${u.id}.variancePence`, u.variancePence, variance, `${u.id}: the variance shared = its schemes' FOT variance`);
    expect('FIGURES_INCONSISTENT', `units.${u.id}.sharesPence`, sumPence(Object.values(u.sharesPence)) + u.retainedPence, u.variancePence, `${u.id}: shares + retained = the variance shared`);
  }
  for (const p of c.pools) {
    const pooled = sumPence(c.schemes.filter((s) => s.pool === p.id && s.type === 'pooled').map((s) => s.fotVariancePence));
    expect('FIGURES_INCONSISTENT', `pools.${p.id}.fotVariancePence`, p.fotVariancePence, pooled, `${p.id}: its variance = its pooled schemes' FOT variance`);
    expect('FIGURES_INCONSISTENT', `pools.${p.id}.sharesPence`, sumPence(Object.values(p.sharesPence)) + p.retainedPence, p.fotVariancePence, `${p.id}: shares + retained = its variance`);
  }
  return problems;
}

/** The stored table must agree (zero differences), and its period columns must be what this close's journals give. */
function checkBalances(c: CloseComputation, problems: CloseCheckProblem[]): void {
  for (const r of c.agreementOfBalances) {
    const at = `agreementOfBalances.${r.partner}/${r.counterparty}`;
    if (r.differencePence !== 0 || r.ytdDifferencePence !== 0) {
      problems.push({ code: 'BALANCES_DISAGREE', path: at, message: `${r.partner} and ${r.counterparty} do not agree: difference ${r.differencePence} pence this period, ${r.ytdDifferencePence} year to date` });
    }
  }
  const partners = [...new Set(c.journals.flatMap((j) => [j.partner, j.counterparty]))];
  let fromJournals: { partner: string; counterparty: string; debtorPence: Pence; creditorPence: Pence }[];
  try {
    fromJournals = agreementOfBalances(partners, c.journals, []);
  } catch (e) {
    problems.push({ code: 'BALANCES_DISAGREE', path: 'journals', message: `the journals do not mirror: ${(e as Error).message.replace(/^invariant broken: /, '')}` });
    return;
  }
  const stored = new Map(c.agreementOfBalances.map((r) => [`${r.partner}/${r.counterparty}`, r]));
  for (const r of fromJournals) {
    const s = stored.get(`${r.partner}/${r.counterparty}`);
    // A pair that moved nothing this period may be listed only for its year to date: zeros then.
    if ((s?.debtorPence ?? 0) !== r.debtorPence || (s?.creditorPence ?? 0) !== r.creditorPence) {
      problems.push({ code: 'BALANCES_DISAGREE', path: `agreementOfBalances.${r.partner}/${r.counterparty}`, message: `the table shows debtor ${s?.debtorPence ?? 0}, creditor ${s?.creditorPence ?? 0} pence; this period's journals give ${r.debtorPence}, ${r.creditorPence}` });
    }
    stored.delete(`${r.partner}/${r.counterparty}`);
  }
  for (const [pair, s] of stored) {
    if (s.debtorPence !== 0 || s.creditorPence !== 0) {
      problems.push({ code: 'BALANCES_DISAGREE', path: `agreementOfBalances.${pair}`, message: `the table shows debtor ${s.debtorPence}, creditor ${s.creditorPence} pence this period, but no journal of this close moves money between them` });
    }
  }
}
