// The zod schemas of the API's requests and responses (fund status, closes list, imports,
// forecasts, suspense queue, commentary, errors). They validate every request and are the source
// of the OpenAPI document, so the two cannot drift; response schemas are checked against the use
// cases' types by the compiler. Amounts are integer pence. Close and report: schemas-report.ts.

import { z } from '@hono/zod-openapi';
import { parsePeriodArg } from '../../domain/period.js';

export const Pence = z.number().int().openapi({ description: 'an amount in integer pence (£1.00 = 100)', example: 12345 });
export const PenceByPartner = z.record(z.string(), Pence).openapi({ description: 'partner id → pence' });

export const ProblemSchema = z
  .object({
    code: z.string(),
    message: z.string(),
    file: z.string().nullable().optional(),
    line: z.number().int().nullable().optional().openapi({ description: 'line (CSV) or row (XLSX) of the file, counting the header as 1' }),
    column: z.union([z.string(), z.number().int()]).nullable().optional(),
    path: z.string().nullable().optional().openapi({ description: 'where in the request (`body.reason`) or the agreement' }),
  })
  .openapi('Problem');

export const ErrorSchema = z
  .object({
    error: z.object({
      code: z.string().openapi({ description: 'stable code, listed in docs/errors.md', example: 'IMPORT_REJECTED' }),
      message: z.string(),
      problems: z.array(ProblemSchema),
    }),
  })
  .openapi('Error');

const PERIOD_HELP = 'a period: `2025-26-M03` (financial year and month) or `2025-06` (calendar month); `2025-26 M03` URL-encoded also works';

export const PeriodParam = z
  .string()
  .refine((text) => parsePeriodArg(text) !== undefined, { message: `not a period (try 2025-26-M03 or 2025-06)` })
  .openapi({ param: { name: 'period', in: 'path' }, description: PERIOD_HELP, example: '2025-26-M03' });

export const PeriodParams = z.object({ period: PeriodParam });

export const VersionQuery = z.object({
  version: z.coerce.number().int().min(1).optional().openapi({ param: { name: 'version', in: 'query' }, description: 'a close version (default: the latest)', example: 1 }),
});

const Amount = z.object({ lines: z.number().int(), amountPence: Pence });

export const StatusSchema = z
  .object({
    fund: z.string(),
    fundName: z.string(),
    agreementVersion: z.number().int(),
    year: z.string().nullable().openapi({ example: '2025-26' }),
    period: z.string().nullable().openapi({ example: '2025-26 M03' }),
    periods: z.array(z.object({ period: z.string(), state: z.enum(['closed', 'reopened']), closeVersion: z.number().int(), at: z.string(), by: z.string() })),
    ledgers: z.array(
      z.object({ id: z.string(), partner: z.string(), batches: z.number().int(), lines: z.number().int(), amountPence: Pence, mapped: Amount, outOfScope: Amount, unmapped: Amount }),
    ),
    schemes: z.array(
      z.object({ id: z.string(), name: z.string(), pool: z.string(), type: z.enum(['pooled', 'aligned']), ytdActualPence: PenceByPartner, ytdActualTotalPence: Pence }),
    ),
    unmapped: Amount,
  })
  .openapi('FundStatus');

export const CloseSummarySchema = z
  .object({
    period: z.string().openapi({ example: '2025-26 M03' }),
    version: z.number().int(),
    agreementVersion: z.number().int(),
    closedAt: z.string(),
    closedBy: z.string(),
    sha256: z.string().openapi({ description: 'SHA-256 of the stored close document' }),
    current: z.boolean().openapi({ description: 'true for the latest version of a period that is closed (not reopened)' }),
  })
  .openapi('CloseSummary');

export const CloseBody = z
  .object({ allowUnmapped: z.boolean().optional().openapi({ description: 'close even though lines are unmapped (reported prominently)' }) })
  .strict()
  .openapi('CloseRequest');

export const ReopenBody = z
  .object({ reason: z.string().trim().min(1, 'a reopen needs a reason: it goes in the audit trail').max(2000).openapi({ example: 'late ICB invoice for May' }) })
  .strict()
  .openapi('ReopenRequest');

export const ReopenSchema = z.object({ fundId: z.string(), period: z.string(), closeVersion: z.number().int() }).openapi('Reopened');

const Ledger = z.string().min(1).max(100);

export const ImportQuery = z.object({
  ledger: Ledger.openapi({ param: { name: 'ledger', in: 'query' }, description: 'the ledger id in the agreement', example: 'icb' }),
  name: z.string().max(200).optional().openapi({ param: { name: 'name', in: 'query' }, description: 'the file name to show in errors (default: the ledger id)', example: 'icb-m03.csv' }),
});

export const ImportResultSchema = z
  .object({
    status: z.enum(['imported', 'already-imported']),
    batchId: z.number().int(),
    fundId: z.string(),
    ledgerId: z.string(),
    file: z.string(),
    sha256: z.string(),
    lines: z.number().int(),
    controlTotalPence: Pence,
    periods: z.array(z.string()),
    mapped: Amount,
    outOfScope: Amount,
    unmapped: Amount,
    superseded: z.array(z.object({ batchId: z.number().int(), period: z.string() })),
    unchangedClosedPeriods: z.array(z.string()).openapi({ description: 'closed periods this (year-to-date) file repeated exactly: kept from the earlier batch' }),
    seconds: z.number(),
  })
  .openapi('ImportResult');

export const ForecastQuery = z.object({
  name: z.string().max(200).optional().openapi({ param: { name: 'name', in: 'query' }, description: 'the file name to show in errors', example: 'forecasts-m03.csv' }),
});

export const ForecastResultSchema = z
  .object({
    status: z.enum(['imported', 'already-imported']),
    batchId: z.number().int(),
    fundId: z.string(),
    file: z.string(),
    sha256: z.string(),
    forecasts: z.array(z.object({ scheme: z.string(), period: z.string(), amountPence: Pence })),
  })
  .openapi('ForecastImportResult');

export const UnmappedQuery = z.object({
  ledger: Ledger.optional().openapi({ param: { name: 'ledger', in: 'query' }, description: 'one ledger (default: every ledger the caller may see)', example: 'icb' }),
});

export const UnmappedSchema = z
  .array(
    z.object({
      ledger: z.string(),
      codes: z.record(z.string(), z.string()).openapi({ description: 'code column → value' }),
      lines: z.number().int(),
      amountPence: Pence,
      periods: z.array(z.string()),
    }),
  )
  .openapi('UnmappedGroups');

export const CommentaryParams = z.object({
  scheme: z.string().min(1).max(100).openapi({ param: { name: 'scheme', in: 'path' }, example: 'care' }),
  period: PeriodParam,
});

export const CommentaryBody = z
  .object({ text: z.string().min(1).max(4000).openapi({ description: 'plain text (shown escaped wherever it is rendered)', example: 'Overspend on home care: winter pressures.' }) })
  .strict()
  .openapi('CommentaryRequest');

export const CommentarySchema = z
  .object({ id: z.number().int(), fundId: z.string(), scheme: z.string(), period: z.string(), text: z.string(), at: z.string(), by: z.string() })
  .openapi('Commentary');

export const CommentaryListSchema = z
  .array(z.object({ scheme: z.string(), period: z.string(), text: z.string(), at: z.string(), by: z.string() }))
  .openapi('CommentaryList');

export const MappingRuleBody = z
  .object({
    ledger: z.string().openapi({ example: 'scc' }),
    when: z.record(z.string(), z.string()).openapi({ description: 'code column → value: a line matches when it has every one (at least one)', example: { 'Cost Centre': 'C4501' } }),
    scheme: z.string().optional().openapi({ description: 'the scheme matching lines go to', example: 'lths' }),
    outOfScope: z.boolean().optional().openapi({ description: 'true: matching lines are outside the fund (instead of a scheme)' }),
    note: z.string().max(500).optional(),
    basedOnVersion: z.number().int().min(1).optional().openapi({ description: 'the agreement version the rule was made against: refused (409 AGREEMENT_CHANGED) if another version was stored since' }),
  })
  .refine((b) => (b.scheme !== undefined) !== (b.outOfScope === true), { message: 'give either scheme or outOfScope: true', path: ['scheme'] })
  .openapi('MappingRuleRequest');

export const MappingRuleResultSchema = z
  .object({
    fundId: z.string(),
    ledgerId: z.string(),
    version: z.number().int().openapi({ description: 'the new agreement version' }),
    created: z.boolean(),
    ruleIndex: z.number().int().openapi({ description: "the rule's position in the ledger's rules (0-based)" }),
    changes: z.array(z.object({ kind: z.enum(['added', 'removed', 'changed']), path: z.string() }).passthrough()),
  })
  .openapi('MappingRuleResult');

export const RemapBody = z
  .object({
    ledger: z.string().openapi({ example: 'scc' }),
    skipClosedPeriods: z.boolean().default(true).openapi({ description: 'leave lines of closed months as they are (default); false refuses the whole remap if any of them would change' }),
  })
  .openapi('RemapRequest');

export const RemapResultSchema = z
  .object({
    fundId: z.string(),
    agreementVersion: z.number().int(),
    ledgers: z.array(
      z.object({ id: z.string(), batches: z.number().int(), lines: z.number().int(), changed: z.number().int(), unmappedBefore: z.number().int(), unmappedAfter: z.number().int(), keptInClosedPeriods: z.number().int() }),
    ),
  })
  .openapi('RemapResult');
