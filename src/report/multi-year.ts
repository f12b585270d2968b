// The multi-year view (docs/year-end.md): each scheme and each partner over every year of the
// agreement — the budget as first in force for the year and as it is now, the outturn (year-to-date
// actual at M12, or at the latest close), the shares borne under the risk share at that close, and
// what an earlier year-end carried into the year. Pure: the app gathers each year's agreement
// versions, latest close and the previous year-end's lines; this turns them into rows.

import type { Agreement } from '../domain/agreement.js';
import type { CloseComputation } from '../domain/close.js';
import { sumPence, type Pence } from '../domain/money.js';
import { formatYear, type YearStart } from '../domain/period.js';
import { annualBudget, contribution } from '../domain/phasing.js';
import type { CarryLine } from '../domain/year-end.js';

export interface YearInput {
  year: YearStart;
  /** The agreement in force at M01 of the year, and at its latest close (or M12 when none). */
  original: Agreement;
  current: Agreement;
  /** The latest close of the year, if any. */
  close: CloseComputation | null;
  /** The carry-forward and recovery lines the previous year's year-end put into this year. */
  carriedIn: readonly CarryLine[];
  final: boolean;
}

export interface SchemeYearRow {
  year: string;
  pool: string;
  scheme: string;
  name: string;
  type: 'pooled' | 'aligned';
  originalBudgetPence: Pence;
  currentBudgetPence: Pence;
  /** Year-to-date actual at the latest close (the outturn at M12); null before the first close. */
  outturnPence: Pence | null;
  closedTo: string | null;
  /** Shares of the scheme's own sharing unit (aligned: each partner's own variance); {} in a netted pool. */
  sharesPence: Record<string, Pence>;
  /** What the previous year-end added to (carry-forward) or took off (recovery) this year's budget. */
  carriedInPence: Pence;
  final: boolean;
}

export interface PartnerYearRow {
  year: string;
  partner: string;
  name: string;
  originalContributionPence: Pence;
  currentContributionPence: Pence;
  /** Mapped actuals recorded in the partner's ledgers, year to date at the latest close. */
  actualPence: Pence | null;
  /** Its shares of every pooled sharing unit at the latest close (the settlement at M12). */
  riskSharePence: Pence | null;
  carriedInPence: Pence;
  closedTo: string | null;
  final: boolean;
}

export interface MultiYearView {
  schemes: SchemeYearRow[];
  partners: PartnerYearRow[];
}

function schemeIds(original: Agreement, current: Agreement): string[] {
  return [...new Set([...current.schemes.map((s) => s.id), ...original.schemes.map((s) => s.id)])];
}

function schemeRows(y: YearInput): SchemeYearRow[] {
  return schemeIds(y.original, y.current).flatMap((id) => {
    const now = y.current.schemes.find((s) => s.id === id);
    const then = y.original.schemes.find((s) => s.id === id);
    const scheme = (now ?? then)!;
    const closed = y.close?.schemes.find((s) => s.id === id);
    const originalBudgetPence = then ? annualBudget(then, y.year) : 0;
    const currentBudgetPence = now ? annualBudget(now, y.year) : 0;
    if (originalBudgetPence === 0 && currentBudgetPence === 0 && !closed) return [];
    return [
      {
        year: formatYear(y.year),
        pool: scheme.pool,
        scheme: id,
        name: scheme.name,
        type: scheme.type,
        originalBudgetPence,
        currentBudgetPence,
        outturnPence: closed ? closed.ytdActualPence : null,
        closedTo: y.close ? y.close.month : null,
        sharesPence: closed ? { ...closed.sharesPence } : {},
        carriedInPence: sumPence(y.carriedIn.filter((l) => l.scheme === id).map((l) => l.amountPence)),
        final: y.final,
      },
    ];
  });
}

function partnerRows(y: YearInput): PartnerYearRow[] {
  return y.current.partners.map((p) => {
    const total = (a: Agreement) => sumPence(a.schemes.map((s) => contribution(s, y.year, p.id)));
    const close = y.close;
    return {
      year: formatYear(y.year),
      partner: p.id,
      name: p.name,
      originalContributionPence: total(y.original),
      currentContributionPence: total(y.current),
      actualPence: close ? sumPence(close.schemes.map((s) => s.partners[p.id]?.ytdActualPence ?? 0)) : null,
      riskSharePence: close ? sumPence(close.units.map((u) => u.sharesPence[p.id] ?? 0)) : null,
      carriedInPence: sumPence(y.carriedIn.filter((l) => l.partner === p.id).map((l) => l.amountPence)),
      closedTo: close ? close.month : null,
      final: y.final,
    };
  });
}

export function multiYearView(years: readonly YearInput[]): MultiYearView {
  const ordered = [...years].sort((a, b) => a.year - b.year);
  return { schemes: ordered.flatMap(schemeRows), partners: ordered.flatMap(partnerRows) };
}
