// Scheme leads' forecast outturns (domain.md §6), imported from a CSV of `scheme, period, amount`
// (and an optional `note`). Validated like a ledger extract: every problem with file, line and
// column, all or nothing, the same file twice stores nothing, and a locked period is refused.
// A forecast applies to its month only; a later file's figure for the same scheme and month wins.

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import Papa from 'papaparse';
import { parseAmount } from '../domain/money.js';
import { formatPeriod, formatYear, parsePeriodArg, yearOf } from '../domain/period.js';
import type { ForecastRow } from '../store/types.js';
import { agreementInForce, resolveFund } from './agreements.js';
import { isoNow, type AppContext } from './context.js';
import { TandemError, type Problem } from './errors.js';
import { assertFundOpen } from './fund-state.js';
import { assertPeriodsOpen } from './periods.js';

export interface ForecastImportResult {
  status: 'imported' | 'already-imported';
  batchId: number;
  fundId: string;
  file: string;
  sha256: string;
  forecasts: { scheme: string; period: string; amountPence: number }[];
}

const REQUIRED = ['scheme', 'period', 'amount'] as const;

async function readText(path: string, file: string): Promise<{ text: string; sha256: string }> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (e) {
    throw new TandemError('FILE_NOT_FOUND', `cannot read ${file}: ${(e as Error).message}`, [{ code: 'FILE_NOT_FOUND', message: 'cannot read the file', file }]);
  }
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false }).decode(bytes);
  } catch {
    throw new TandemError('FILE_ENCODING', `${file} is not UTF-8 text; save it as CSV UTF-8`, [{ code: 'FILE_ENCODING', message: 'not valid UTF-8', file }]);
  }
  return { text, sha256 };
}

export async function importForecasts(ctx: AppContext, request: { fundId?: string; path: string; displayName?: string }): Promise<ForecastImportResult> {
  const fundId = await resolveFund(ctx, request.fundId);
  const file = request.displayName ?? request.path;
  const { text, sha256 } = await readText(request.path, file);
  const earlier = await ctx.store.findForecastBatchBySha256(fundId, sha256);
  if (earlier) return { status: 'already-imported', batchId: earlier.id, fundId, file, sha256, forecasts: [] };

  const { agreement, record } = await agreementInForce(ctx, fundId);
  const parsed = Papa.parse<string[]>(text.trim(), { skipEmptyLines: 'greedy' });
  const problems: Problem[] = parsed.errors.map((e) => ({ code: 'CSV_MALFORMED', message: e.message, file, line: (e.row ?? 0) + 1, column: null }));
  const [header = [], ...data] = parsed.data;
  const columns = header.map((h) => h.trim().toLowerCase());
  const index = Object.fromEntries([...REQUIRED, 'note'].map((c) => [c, columns.indexOf(c)]));
  for (const c of REQUIRED) if (index[c] === -1) problems.push({ code: 'COLUMN_MISSING', message: `the header has no "${c}" column (it needs scheme, period, amount; note is optional)`, file, line: 1, column: c });
  if (data.length === 0 && problems.length === 0) problems.push({ code: 'FILE_HEADER_ONLY', message: 'the file has a header but no forecasts', file, line: null, column: null });

  const rows: ForecastRow[] = [];
  const seen = new Map<string, number>();
  if (problems.length === 0) {
    data.forEach((fields, i) => {
      const line = i + 2;
      const at = (column: string, code: string, message: string) => problems.push({ code, message, file, line, column });
      if (fields.length !== header.length) return at('', 'FIELD_COUNT', `${fields.length} fields where the header has ${header.length}`);
      const schemeId = fields[index.scheme!]!.trim();
      const periodText = fields[index.period!]!.trim();
      const amountText = fields[index.amount!]!;
      const scheme = agreement.schemes.find((s) => s.id === schemeId);
      if (!scheme) at('scheme', 'FORECAST_SCHEME_UNKNOWN', `"${schemeId}" is not a scheme of the agreement (${agreement.schemes.map((s) => s.id).join(', ')})`);
      const period = parsePeriodArg(periodText);
      if (period === undefined) at('period', 'PERIOD_INVALID', `"${periodText}" is not a period (write 2025-26 M03 or 2025-06)`);
      else if (!agreement.years.includes(yearOf(period))) at('period', 'PERIOD_OUTSIDE_AGREEMENT', `${formatPeriod(period)} is outside the agreement (${agreement.years.map(formatYear).join(', ')})`);
      const amount = parseAmount(amountText);
      if (!amount.ok) at('amount', amount.code, amount.reason);
      if (!scheme || period === undefined || !amount.ok) return;
      const key = `${schemeId}@${period}`;
      if (seen.has(key)) return at('period', 'FORECAST_DUPLICATE', `a second forecast for ${schemeId} in ${formatPeriod(period)} (the first is on line ${seen.get(key)})`);
      seen.set(key, line);
      const note = index.note! >= 0 ? fields[index.note!]!.trim() : '';
      rows.push({ lineNo: line, schemeId, period, amountPence: amount.pence, note: note === '' ? null : note });
    });
  }
  if (problems.length > 0) {
    throw new TandemError('FORECAST_REJECTED', `${file} was rejected with ${problems.length} problem(s); nothing was imported`, problems);
  }

  return ctx.store.transaction(async (tx) => {
    await tx.lockFund(fundId);
    await assertFundOpen(tx, fundId, `the forecasts in ${file}`);
    await assertPeriodsOpen(tx, fundId, [...new Set(rows.map((r) => r.period))], `the forecasts in ${file}`, file);
    const at = isoNow(ctx);
    const batchId = await tx.insertForecastBatch({ fundId, fileName: file, fileSha256: sha256, agreementVersion: record.version, importedAt: at, importedBy: ctx.actor, lineCount: rows.length }, rows);
    const forecasts = rows.map((r) => ({ scheme: r.schemeId, period: formatPeriod(r.period), amountPence: r.amountPence }));
    await tx.appendAudit({ fundId, actor: ctx.actor, action: 'forecast.import', subject: `forecast-batch:${batchId}`, details: { file, forecasts }, inputSha256: sha256, at });
    return { status: 'imported', batchId, fundId, file, sha256, forecasts };
  });
}
