// The budget reconciliation (docs/governance.md): per scheme, the budget the agreement file set,
// each change a decision made to it since (with the decision's number), and the budget now — so a
// committee paper can show that every pound moved was decided, and by which decision. Pure: the
// agreement versions in, rows out; each row adds up exactly (original + changes = current).

import type { Agreement } from '../domain/agreement.js';
import { invariant, sumPence, type Pence } from '../domain/money.js';
import type { YearStart } from '../domain/period.js';
import { annualBudget } from '../domain/phasing.js';

export interface ReconciliationVersion {
  version: number;
  /** The decision that made the version; null for a version loaded from a file. */
  decisionId: number | null;
  agreement: Agreement;
}

export interface ReconciliationRow {
  scheme: string;
  name: string;
  /** The annual budget in the latest version loaded from a file. */
  originalPence: Pence;
  /** Each decision since that changed this scheme's budget, in the order they took effect. */
  changes: { decision: number; version: number; pence: Pence }[];
  currentPence: Pence;
}

function budgets(agreement: Agreement, year: YearStart): Map<string, Pence> {
  return new Map(agreement.schemes.map((s) => [s.id, annualBudget(s, year)]));
}

/** `versions` in version order; the reconciliation runs from the latest file version to the latest version. */
export function budgetReconciliation(versions: readonly ReconciliationVersion[], year: YearStart): ReconciliationRow[] {
  if (versions.length === 0) return [];
  const fromFile = versions.reduce((last, v, i) => (v.decisionId === null ? i : last), -1);
  const base = versions[Math.max(fromFile, 0)]!;
  const later = versions.slice(Math.max(fromFile, 0) + 1);
  const current = versions[versions.length - 1]!;
  // Every scheme that was in the base or appeared since (a variation may add one), in order.
  const names = new Map<string, string>();
  for (const v of [base, ...later]) for (const s of v.agreement.schemes) if (!names.has(s.id)) names.set(s.id, s.name);
  const original = budgets(base.agreement, year);
  const rows = new Map<string, ReconciliationRow>(
    [...names].map(([id, name]) => [id, { scheme: id, name, originalPence: original.get(id) ?? 0, changes: [], currentPence: 0 }]),
  );
  let before = original;
  for (const v of later) {
    const after = budgets(v.agreement, year);
    for (const row of rows.values()) {
      const change = (after.get(row.scheme) ?? 0) - (before.get(row.scheme) ?? 0);
      if (change !== 0) row.changes.push({ decision: v.decisionId!, version: v.version, pence: change });
    }
    before = after;
  }
  const now = budgets(current.agreement, year);
  for (const row of rows.values()) {
    row.currentPence = now.get(row.scheme) ?? 0;
    invariant(row.originalPence + sumPence(row.changes.map((c) => c.pence)) === row.currentPence, `the reconciliation of ${row.scheme} adds up`);
  }
  return [...rows.values()];
}
