// The Better Care Fund year-end expenditure figures (docs/returns.md), shaped like the expenditure
// sheet of the national BCF planning / year-end template: one row per BCF scheme and source of
// funding, with the scheme's type, sub type, area of spend, commissioner and provider type, and
// the year's actual spend from the M12 close. A scheme funded from several sources (partner →
// source in the agreement) has its spend apportioned between them in proportion to the partners'
// contributions, by the largest-remainder rule, so the rows add back to the scheme's spend.
// Totals by scheme type, commissioner, provider type, source of funding and area of spend follow.

import type { Agreement, Partner } from './agreement.js';
import { bcfSchemes } from './bcf.js';
import type { CloseComputation } from './close.js';
import { invariant, sumPence, type Pence } from './money.js';
import { splitByWeights } from './split.js';

export const NOT_STATED = 'Not stated';

export interface BcfExpenditureRow {
  schemeId: string;
  schemeName: string;
  schemeType: string;
  subType: string;
  areaOfSpend: string;
  commissioner: string;
  providerType: string;
  sourceOfFunding: string;
  expenditurePence: Pence;
}

export interface BcfTotal {
  label: string;
  expenditurePence: Pence;
}

export interface BcfYearEnd {
  fund: string;
  fundName: string;
  year: string;
  rows: BcfExpenditureRow[];
  totalPence: Pence;
  by: { schemeType: BcfTotal[]; commissioner: BcfTotal[]; providerType: BcfTotal[]; sourceOfFunding: BcfTotal[]; areaOfSpend: BcfTotal[] };
  /** Schemes whose template fields the agreement leaves out (shown as "Not stated"). */
  warnings: string[];
}

/** The template's commissioner: the lead commissioner's kind of organisation; Joint when none leads. */
export function commissionerOf(partner: Partner | undefined): string {
  if (partner === undefined) return 'Joint';
  if (partner.kind === 'council') return 'Local Authority';
  if (partner.kind === 'icb' || partner.kind === 'trust') return 'NHS';
  return partner.name;
}

/** The scheme's spend by source of funding; sources named twice are one row. */
function bySource(spend: Pence, source: string | Record<string, string> | null, contributions: readonly { partner: string; pence: Pence }[]): { source: string; pence: Pence }[] {
  if (source === null || typeof source === 'string') return [{ source: source ?? NOT_STATED, pence: spend }];
  const funders = contributions.filter((c) => c.pence > 0);
  if (funders.length === 0) return [{ source: NOT_STATED, pence: spend }];
  const parts = splitByWeights(spend, funders.map((f) => f.pence));
  const out: { source: string; pence: Pence }[] = [];
  funders.forEach((f, i) => {
    const label = source[f.partner] ?? NOT_STATED;
    const row = out.find((o) => o.source === label);
    if (row) row.pence += parts[i]!;
    else out.push({ source: label, pence: parts[i]! });
  });
  return out;
}

function totalsBy(rows: readonly BcfExpenditureRow[], key: keyof Omit<BcfExpenditureRow, 'expenditurePence' | 'schemeId' | 'schemeName'>, total: Pence): BcfTotal[] {
  const out: BcfTotal[] = [];
  for (const r of rows) {
    const t = out.find((o) => o.label === r[key]);
    if (t) t.expenditurePence += r.expenditurePence;
    else out.push({ label: r[key], expenditurePence: r.expenditurePence });
  }
  invariant(sumPence(out.map((t) => t.expenditurePence)) === total, `the totals by ${key} add to the BCF expenditure`);
  return out;
}

export function bcfYearEnd(close: CloseComputation, agreement: Agreement): BcfYearEnd {
  invariant(close.month === 'M12', `the BCF year-end figures come from the M12 close, not ${close.period}`);
  const rows: BcfExpenditureRow[] = [];
  const warnings: string[] = [];
  for (const scheme of bcfSchemes(agreement)) {
    const figures = close.schemes.find((s) => s.id === scheme.id);
    invariant(figures !== undefined, `BCF scheme ${scheme.id} is in the M12 close`);
    const info = scheme.bcf;
    const missing = (['schemeType', 'areaOfSpend', 'providerType', 'sourceOfFunding'] as const).filter((k) => info?.[k] === null || info?.[k] === undefined);
    if (missing.length > 0) warnings.push(`scheme ${scheme.id} (${scheme.name}) has no ${missing.join(', ')} in the agreement's bcf fields`);
    const contributions = agreement.partners.map((p) => ({ partner: p.id, pence: figures.partners[p.id]?.contributionPence ?? 0 }));
    const parts = bySource(figures.ytdActualPence, info?.sourceOfFunding ?? null, contributions);
    invariant(sumPence(parts.map((p) => p.pence)) === figures.ytdActualPence, `scheme ${scheme.id}: the sources of funding add back to its spend`);
    for (const part of parts) {
      rows.push({
        schemeId: scheme.id,
        schemeName: scheme.name,
        schemeType: info?.schemeType ?? NOT_STATED,
        subType: info?.subType ?? '',
        areaOfSpend: info?.areaOfSpend ?? NOT_STATED,
        commissioner: commissionerOf(agreement.partners.find((p) => p.id === scheme.leadCommissioner)),
        providerType: info?.providerType ?? NOT_STATED,
        sourceOfFunding: part.source,
        expenditurePence: part.pence,
      });
    }
  }
  const totalPence = sumPence(rows.map((r) => r.expenditurePence));
  invariant(totalPence === sumPence(bcfSchemes(agreement).map((s) => close.schemes.find((x) => x.id === s.id)!.ytdActualPence)), 'the rows add to the BCF schemes’ spend');
  return {
    fund: close.fund,
    fundName: close.fundName,
    year: close.year,
    rows,
    totalPence,
    by: {
      schemeType: totalsBy(rows, 'schemeType', totalPence),
      commissioner: totalsBy(rows, 'commissioner', totalPence),
      providerType: totalsBy(rows, 'providerType', totalPence),
      sourceOfFunding: totalsBy(rows, 'sourceOfFunding', totalPence),
      areaOfSpend: totalsBy(rows, 'areaOfSpend', totalPence),
    },
    warnings,
  };
}
