// Two scenarios side by side (issue 10 §4, `--compare`): for each year both project, each one's
// budget, spend and gap, and per partner its share of the gap, with the difference (the second
// minus the first: what choosing the second would change). Only the years both scenarios cover.

import { invariant, type Pence } from './money.js';
import type { YearStart } from './period.js';
import type { ScenarioProjection } from './scenario.js';

export interface ComparedFigure {
  firstPence: Pence;
  secondPence: Pence;
  /** second − first */
  differencePence: Pence;
}

export interface ComparisonYear {
  year: YearStart;
  label: string;
  budget: ComparedFigure;
  spend: ComparedFigure;
  gap: ComparedFigure;
  /** partner id → its share of the gap in each scenario. */
  partnerShares: Record<string, ComparedFigure>;
}

export interface Comparison {
  first: { id: string; name: string };
  second: { id: string; name: string };
  years: ComparisonYear[];
}

const pair = (first: Pence, second: Pence): ComparedFigure => ({ firstPence: first, secondPence: second, differencePence: second - first });

export function compareScenarios(first: ScenarioProjection, second: ScenarioProjection): Comparison {
  const partners = [...new Set([...first.partners, ...second.partners].map((p) => p.id))];
  const years: ComparisonYear[] = [];
  for (const a of first.years) {
    const b = second.years.find((y) => y.year === a.year);
    if (!b) continue;
    const share = (y: typeof a, p: string) => y.partners.find((x) => x.partner === p)?.gapSharePence ?? 0;
    const partnerShares = Object.fromEntries(partners.map((p) => [p, pair(share(a, p), share(b, p))]));
    years.push({ year: a.year, label: a.label, budget: pair(a.fund.budgetPence, b.fund.budgetPence), spend: pair(a.fund.spendPence, b.fund.spendPence), gap: pair(a.fund.gapPence, b.fund.gapPence), partnerShares });
  }
  for (const y of years) invariant(y.gap.differencePence === y.spend.differencePence - y.budget.differencePence, 'a difference in gap is the difference in spend less the difference in budget');
  return { first: { id: first.scenario.id, name: first.scenario.name }, second: { id: second.scenario.id, name: second.scenario.name }, years };
}
