// The zod schemas of the two big read-only documents: the stored close (docs/close.md, the
// CloseDocument of src/app/close.ts) and the report data (src/report/report-data.ts). They
// document the JSON for the OpenAPI document; the compiler checks them against those types.

import { z } from '@hono/zod-openapi';
import { Pence, PenceByPartner } from './schemas.js';

const Rag = z.enum(['red', 'amber', 'green']);
const Int = z.number().int();
const Str = z.string();

const FIGURES = {
  annualBudgetPence: Pence,
  monthBudgetPence: Pence,
  ytdBudgetPence: Pence,
  monthActualPence: Pence,
  ytdActualPence: Pence,
  ytdVariancePence: Pence,
  fotPence: Pence,
  fotVariancePence: Pence,
  rag: Rag,
};
const Figures = z.object(FIGURES).openapi('Figures');

/** A sentence explaining one share of a variance; its other fields depend on the rule. */
const Reason = z.looseObject({ kind: Str, partner: Str.nullable(), unit: Str, text: Str }).openapi('ShareReason');

const PartnerFigures = z.object({ contributionPence: Pence, ytdContributionPence: Pence, ytdActualPence: Pence, fotPence: Pence.nullable(), fotVariancePence: Pence.nullable() });

const SchemeResult = z.object({
  ...FIGURES,
  id: Str,
  name: Str,
  pool: Str,
  type: z.enum(['pooled', 'aligned']),
  fotBasis: z.enum(['plan', 'run_rate', 'lead', 'actual']),
  partners: z.record(Str, PartnerFigures),
  monthlyBudgetPence: z.array(Pence),
  monthlyActualPence: z.array(Pence),
  sharingUnit: Str.nullable(),
  sharesPence: PenceByPartner,
  retainedPence: Pence,
  reasons: z.array(Reason),
});

const PoolResult = z.object({
  id: Str,
  name: Str,
  host: Str.nullable(),
  netting: z.boolean(),
  figures: Figures,
  fotVariancePence: Pence,
  sharesPence: PenceByPartner,
  retainedPence: Pence,
  reasons: z.array(Reason),
});

const SharingUnit = z.object({
  id: Str,
  pool: Str,
  host: Str,
  schemes: z.array(Str),
  variancePence: Pence,
  contributionsPence: PenceByPartner,
  sharesPence: PenceByPartner,
  retainedPence: Pence,
  reasons: z.array(Reason),
});

const Codes = z.record(Str, Str);

const Journal = z
  .object({
    ledger: Str,
    partner: Str,
    counterparty: Str,
    pool: Str,
    kind: z.enum(['contribution', 'recharge', 'settlement']),
    variant: z.enum(['standard', 'accrual', 'reversal']),
    ref: Str,
    date: Str,
    period: Str,
    description: Str,
    lines: z.array(
      z.object({
        codes: Codes,
        debitPence: Pence,
        creditPence: Pence,
        description: Str,
        role: z.enum(['contribution_to_pool', 'pool_income', 'debtor', 'creditor', 'fund_spend', 'spend', 'recharge_income']),
        counterparty: Str.nullable(),
        scheme: Str.nullable(),
        analysis: Codes.nullable(),
      }),
    ),
  })
  .openapi('Journal');

const BalanceRow = z.object({
  partner: Str,
  counterparty: Str,
  debtorPence: Pence,
  creditorPence: Pence,
  differencePence: Pence,
  ytdDebtorPence: Pence,
  ytdCreditorPence: Pence,
  ytdDifferencePence: Pence,
});

const Unmapped = z.object({ ledger: Str, lines: Int, amountPence: Pence });
const SourceBatch = z.object({ id: Int, ledger: Str, file: Str, sha256: Str, periods: z.array(Str) });

const Change = z.object({ kind: z.enum(['added', 'removed', 'changed']), path: Str, before: z.unknown().optional(), after: z.unknown().optional() });

export const CloseDocumentSchema = z
  .object({
    fund: Str,
    fundName: Str,
    year: Str.openapi({ example: '2025-26' }),
    month: Str.openapi({ example: 'M03' }),
    period: Str.openapi({ example: '2025-26 M03' }),
    schemes: z.array(SchemeResult),
    pools: z.array(PoolResult),
    totals: z.object({ pooled: Figures, aligned: Figures, fund: Figures }),
    units: z.array(SharingUnit),
    journals: z.array(Journal),
    agreementOfBalances: z.array(BalanceRow),
    unmapped: z.array(Unmapped),
    closeVersion: Int,
    agreementVersion: Int,
    closedAt: Str,
    closedBy: Str,
    sources: z.object({ batches: z.array(SourceBatch), forecastBatches: z.array(Int) }),
    previousVersion: Int.nullable(),
    changes: z.array(Change),
  })
  .openapi('CloseDocument', { description: 'the stored close, exactly as closed (docs/close.md)' });

const REPORT_FIGURES = {
  annualBudgetPence: Pence,
  ytdBudgetPence: Pence,
  ytdActualPence: Pence,
  ytdVariancePence: Pence,
  fotPence: Pence,
  fotVariancePence: Pence,
  rag: Rag,
};

const ReportScheme = z.object({
  ...REPORT_FIGURES,
  id: Str,
  name: Str,
  pool: Str,
  type: z.enum(['pooled', 'aligned']),
  fotBasis: Str,
  leadCommissioner: Str.nullable(),
  commentary: z.object({ text: Str, by: Str, at: Str }).nullable(),
});

const Series = z.object({ id: Str, label: Str, monthlyBudgetPence: z.array(Pence), monthlyActualPence: z.array(Pence), fotPence: Pence });

export const ReportDataSchema = z
  .object({
    fund: z.object({ id: Str, name: Str }),
    period: Str,
    year: Str,
    month: Int,
    monthName: Str.openapi({ example: 'June 2025' }),
    classification: z.literal('OFFICIAL'),
    partners: z.array(z.object({ id: Str, name: Str })),
    summary: z.array(z.object({ ...REPORT_FIGURES, id: z.enum(['pooled', 'aligned', 'integrated']), label: Str })),
    pools: z.array(z.object({ ...REPORT_FIGURES, id: Str, name: Str, host: Str.nullable(), netting: z.boolean(), schemes: z.array(ReportScheme) })),
    shares: z.array(z.object({ unit: Str, label: Str, pool: Str, variancePence: Pence, sharesPence: PenceByPartner, retainedPence: Pence, reasons: z.array(Str) })),
    exposure: z.array(z.object({ partner: Str, name: Str, sharePence: Pence })),
    series: z.array(Series),
    journals: z.array(z.object({ ledger: Str, ledgerName: Str, partner: Str, codeColumns: z.array(Str), journals: z.array(Journal) })),
    balances: z.array(BalanceRow),
    unmapped: z.array(Unmapped),
    provenance: z.object({
      agreementVersion: Int,
      closeVersion: Int,
      closedAt: Str,
      closedBy: Str,
      closeSha256: Str,
      generatedAt: Str,
      generatedBy: Str,
      batches: z.array(SourceBatch),
      forecastBatches: z.array(Int),
    }),
  })
  .openapi('ReportData', { description: 'the monthly joint finance report as data (the same figures as every report format)' });
