// The monthly joint finance report (domain.md §9) as plain data: built once from a stored close
// by src/app/report.ts, then handed to each renderer (HTML, PDF, XLSX, CSV) in this folder, so
// every format shows the same figures. Amounts are integer pence; renderers choose £ or £000s.

import type { BalanceRow } from '../domain/balances.js';
import type { Rag } from '../domain/close-figures.js';
import type { Journal } from '../domain/journal.js';
import type { Pence } from '../domain/money.js';
import type { ReconciliationRow } from './budget-reconciliation.js';
import type { MetricRow } from './metrics.js';
import type { MultiYearView } from './multi-year.js';
import type { MemorandumOutcome } from './returns-data.js';

/** The figures of one row of the report: a scheme, a pool, a subtotal or the whole fund. */
export interface ReportFigures {
  annualBudgetPence: Pence;
  ytdBudgetPence: Pence;
  ytdActualPence: Pence;
  ytdVariancePence: Pence;
  fotPence: Pence;
  fotVariancePence: Pence;
  rag: Rag;
}

export interface ReportScheme extends ReportFigures {
  id: string;
  name: string;
  pool: string;
  type: 'pooled' | 'aligned';
  /** How the FOT was made: plan, run_rate, lead (a scheme lead's forecast), actual (M12). */
  fotBasis: string;
  leadCommissioner: string | null;
  /** The latest commentary for this scheme and period, if any. */
  commentary: { text: string; by: string; at: string } | null;
}

export interface ReportPool extends ReportFigures {
  id: string;
  name: string;
  host: string | null;
  netting: boolean;
  /** Its schemes, pooled and aligned, in agreement order. */
  schemes: ReportScheme[];
}

/** One sharing unit's variance and how it falls on the partners. */
export interface ReportShare {
  unit: string;
  /** "Better Care Fund pool (netted)" or "Scheme pkw — People Keeping Well". */
  label: string;
  pool: string;
  variancePence: Pence;
  /** Every partner of the agreement, in agreement order (0 where it bears nothing). */
  sharesPence: Record<string, Pence>;
  retainedPence: Pence;
  /** Sentences a committee member can read, in order. */
  reasons: string[];
}

/** A trend chart's data: cumulative budget and actual by month, and the forecast outturn. */
export interface ReportSeries {
  id: string;
  label: string;
  /** Twelve monthly budgets (not cumulative). */
  monthlyBudgetPence: Pence[];
  /** Monthly actuals M01..the report's month (not cumulative). */
  monthlyActualPence: Pence[];
  fotPence: Pence;
}

export interface ReportLedgerJournals {
  ledger: string;
  ledgerName: string;
  partner: string;
  /** The ledger's own code columns, in order, as its journals are coded. */
  codeColumns: string[];
  journals: Journal[];
}

/** One contract next to the money (docs/contracts.md): its value, and spend and due for the year to date. */
export interface ReportContract {
  id: string;
  name: string;
  provider: string;
  mechanism: 'block' | 'cost_and_volume' | 'outcome';
  annualValuePence: Pence;
  unitsYtd: number;
  outcomesYtd: number;
  dueYtdPence: Pence;
  spendYtdPence: Pence;
  /** Spend − due: positive when more was spent than the mechanism makes due. */
  spendMinusDuePence: Pence;
  /** Lines its spend conditions match that are mapped elsewhere, out of scope or unmapped. */
  matchedOutsideSchemesPence: Pence;
}

export interface ReportData {
  fund: { id: string; name: string };
  /** "2025-26 M03" */
  period: string;
  year: string;
  /** 1..12 */
  month: number;
  /** "June 2025": the calendar month the period is. */
  monthName: string;
  classification: 'OFFICIAL';
  partners: { id: string; name: string }[];
  /** Pooled, aligned and integrated (= pooled + aligned), in that order. */
  summary: (ReportFigures & { id: 'pooled' | 'aligned' | 'integrated'; label: string })[];
  pools: ReportPool[];
  shares: ReportShare[];
  /** Each partner's total share across every unit (its risk-share exposure). */
  exposure: { partner: string; name: string; sharePence: Pence }[];
  /** The fund first, then each pool. */
  series: ReportSeries[];
  journals: ReportLedgerJournals[];
  balances: BalanceRow[];
  unmapped: { ledger: string; lines: number; amountPence: Pence }[];
  /**
   * The year's budget per scheme as the agreement file set it, each change a decision made since
   * (as at the close's agreement version), and the budget now (budget-reconciliation.ts).
   */
  budgetReconciliation: ReconciliationRow[];
  /**
   * The contracts of the register version in force at the close (the latest loaded at or before
   * it), with activity and outcomes as they stood then and spend from the batches the close read;
   * null when there was no register or it has no contracts.
   */
  contracts: { registerVersion: number; rows: ReportContract[]; warnings: string[] } | null;
  /** The register's metrics up to the report's period, measures as they stood at the close; null when none. */
  metrics: { registerVersion: number; rows: MetricRow[] } | null;
  /** Each year of the agreement as at the close (src/report/multi-year.ts, docs/year-end.md). */
  multiYear: MultiYearView;
  /**
   * Only in the report of an M12 close: the pooled budgets' memorandum account for the year made
   * from this very close, as `tandem returns memorandum` makes it (docs/returns.md), or the reason
   * it cannot be made from it; null for every other month.
   */
  memorandum: MemorandumOutcome | null;
  provenance: {
    agreementVersion: number;
    closeVersion: number;
    closedAt: string;
    closedBy: string;
    closeSha256: string;
    generatedAt: string;
    generatedBy: string;
    /** Each ledger batch behind the figures, with the periods it supplied. */
    batches: { id: number; ledger: string; file: string; sha256: string; periods: string[] }[];
    forecastBatches: number[];
  };
}

/** The mapped ledger lines behind the figures, batch by batch, streamed for the XLSX Lines sheet. */
export interface ReportLineBatch {
  batchId: number;
  ledger: string;
  file: string;
  /** The extract's original header row; each line's `raw` aligns with it. */
  header: string[];
  lines: AsyncIterable<ReportLine[]>;
}

export interface ReportLine {
  lineNo: number;
  /** "2025-26 M03" */
  period: string;
  schemeId: string;
  amountPence: Pence;
  raw: string[];
}
