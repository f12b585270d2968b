// Statutory returns (docs/returns.md): the pooled budgets' memorandum account and the Better Care
// Fund year-end figures, both read from the year's stored M12 close (never recomputed), and the
// BCF minimum-contribution check, read from the agreement in force for the year. Nothing here
// writes to the database; the files are made in full beside their targets and only then renamed
// into place, so a refusal or a failure leaves nothing behind.

import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Agreement } from '../domain/agreement.js';
import { checkBcfMinimums, bcfSchemes, type BcfCheck } from '../domain/bcf.js';
import { bcfYearEnd } from '../domain/bcf-year-end.js';
import { memorandumAccount, OutturnNotActualError } from '../domain/memorandum.js';
import { formatPounds } from '../domain/money.js';
import { formatPeriod, formatYear, periodKey, type YearStart } from '../domain/period.js';
import type { BcfYearEndReturn, MemorandumOutcome, MemorandumReturn, ReturnProvenance } from '../report/returns-data.js';
import { agreementForPeriod, agreementInForce, resolveFund } from './agreements.js';
import { readCloseRecord, type CloseDocument } from './close.js';
import { isoNow, type AppContext } from './context.js';
import { TandemError } from './errors.js';
import { periodStates } from './periods.js';

export interface ReturnRequest {
  fundId?: string;
  year: YearStart;
}

/** The agreement in force at the year end (M12), refusing a year it does not cover. */
async function agreementForYear(ctx: AppContext, fundId: string, year: YearStart): Promise<{ agreement: Agreement; version: number }> {
  const { agreement, record } = await agreementForPeriod(ctx, fundId, periodKey(year, 12));
  if (!agreement.years.includes(year)) {
    throw new TandemError('PERIOD_OUTSIDE_AGREEMENT', `${formatYear(year)} is not a year of the agreement of fund ${fundId} (version ${record.version}), which covers ${agreement.years.map(formatYear).join(', ')}; nothing was written`);
  }
  return { agreement, version: record.version };
}

interface YearEndClose {
  fundId: string;
  close: CloseDocument;
  agreement: Agreement;
  provenance: ReturnProvenance;
}

/** The year's M12 close and the agreement version it used, or a clear refusal. */
async function yearEndClose(ctx: AppContext, request: ReturnRequest, what: string): Promise<YearEndClose> {
  const fundId = await resolveFund(ctx, request.fundId);
  await agreementForYear(ctx, fundId, request.year);
  const m12 = periodKey(request.year, 12);
  const states = await periodStates(ctx.store, fundId);
  const state = states.get(m12);
  if (state?.action !== 'close') {
    const closed = [...states.values()].filter((e) => e.action === 'close' && e.period >= periodKey(request.year, 1) && e.period < m12).map((e) => e.period);
    const latest = closed.length > 0 ? `; the latest closed month is ${formatPeriod(Math.max(...closed))}` : '; no month of the year is closed';
    const why = state?.action === 'reopen' ? `${formatPeriod(m12)} was reopened and has not been closed again` : `${formatPeriod(m12)} is not closed${latest}`;
    throw new TandemError('M12_NOT_CLOSED', `${what} of ${formatYear(request.year)} is made from the year-end close, and ${why}: close it first (tandem close ${formatPeriod(m12)}); nothing was written`);
  }
  const { document: close, record } = await readCloseRecord(ctx, { fundId, period: m12 });
  const { agreement } = await agreementInForce(ctx, fundId, close.agreementVersion);
  const provenance: ReturnProvenance = {
    period: close.period,
    closeVersion: record.version,
    agreementVersion: close.agreementVersion,
    closedAt: close.closedAt,
    closedBy: close.closedBy,
    closeSha256: record.documentSha256,
    generatedAt: isoNow(ctx),
    generatedBy: ctx.actor,
  };
  return { fundId, close, agreement, provenance };
}

/**
 * The memorandum account of an M12 close under the agreement version it used, or why it cannot
 * be made from that close (a pooled scheme's outturn was a lead's forecast, not its actual).
 * `tandem returns memorandum` refuses with the reason; the M12 joint report shows it as a note.
 */
export function memorandumOfClose(close: CloseDocument, agreement: Agreement): MemorandumOutcome {
  try {
    return { account: memorandumAccount(close, agreement.partners), refusal: null };
  } catch (e) {
    if (!(e instanceof OutturnNotActualError)) throw e;
    const reason = `the ${close.period} close shared a lead's forecast outturn for scheme ${e.scheme} (£${formatPounds(e.fotPence)}) instead of its actual spend (£${formatPounds(e.actualPence)}), so the memorandum account cannot reconcile; reopen ${close.period}, import that scheme's M12 forecast as its actual spend and close again`;
    return { account: null, refusal: { code: 'OUTTURN_NOT_ACTUAL', reason } };
  }
}

export async function buildMemorandum(ctx: AppContext, request: ReturnRequest): Promise<MemorandumReturn & { fundId: string }> {
  const { fundId, close, agreement, provenance } = await yearEndClose(ctx, request, 'the memorandum account');
  const made = memorandumOfClose(close, agreement);
  if (made.account === null) throw new TandemError(made.refusal.code, `${made.refusal.reason}; nothing was written`);
  return { fundId, account: made.account, provenance };
}

export async function buildBcfYearEnd(ctx: AppContext, request: ReturnRequest): Promise<BcfYearEndReturn & { fundId: string }> {
  const { fundId, close, agreement, provenance } = await yearEndClose(ctx, request, 'the BCF year-end return');
  if (bcfSchemes(agreement).length === 0) throw new TandemError('BCF_NOT_CONFIGURED', `the agreement (version ${close.agreementVersion}) has no pooled schemes in its BCF pools, so there is no BCF expenditure to return; nothing was written`);
  return { fundId, figures: bcfYearEnd(close, agreement), provenance };
}

export interface BcfCheckResult extends BcfCheck {
  fundId: string;
  agreementVersion: number;
}

export async function checkBcf(ctx: AppContext, request: ReturnRequest): Promise<BcfCheckResult> {
  const fundId = await resolveFund(ctx, request.fundId);
  const { agreement, version } = await agreementForYear(ctx, fundId, request.year);
  const check = checkBcfMinimums(agreement, request.year);
  if (check === null) {
    throw new TandemError('BCF_NOT_CONFIGURED', `the agreement of fund ${fundId} (version ${version}) gives no BCF minimum contributions for ${formatYear(request.year)}: add them under bcf.minimums (docs/returns.md)`);
  }
  return { fundId, agreementVersion: version, ...check };
}

export interface ReturnFiles {
  fundId: string;
  year: string;
  files: { format: 'xlsx' | 'md' | 'html'; path: string }[];
}

/** Write every file beside its target first; rename them all only once all are written. */
async function writeAll(outDir: string, files: { file: string; write: (tmp: string) => Promise<void> }[]): Promise<void> {
  await mkdir(outDir, { recursive: true });
  const parts = files.map((f) => `${f.file}.part`);
  try {
    for (const [i, f] of files.entries()) await f.write(parts[i]!);
    for (const [i, f] of files.entries()) await rename(parts[i]!, f.file);
  } catch (e) {
    await Promise.all(parts.map((p) => rm(p, { force: true })));
    throw e;
  }
}

export async function writeMemorandumFiles(ctx: AppContext, request: ReturnRequest & { outDir: string }): Promise<ReturnFiles & { memorandum: MemorandumReturn }> {
  const memorandum = await buildMemorandum(ctx, request);
  const { renderMemorandumXlsx } = await import('../report/memorandum-xlsx.js');
  const { renderMemorandumHtml, renderMemorandumMarkdown } = await import('../report/memorandum-text.js');
  const stem = path.join(request.outDir, `${memorandum.fundId}-${formatYear(request.year)}-memorandum`);
  const files: ReturnFiles['files'] = [
    { format: 'xlsx', path: `${stem}.xlsx` },
    { format: 'md', path: `${stem}.md` },
    { format: 'html', path: `${stem}.html` },
  ];
  await writeAll(request.outDir, [
    { file: files[0]!.path, write: (tmp) => renderMemorandumXlsx(memorandum, tmp) },
    { file: files[1]!.path, write: (tmp) => writeFile(tmp, renderMemorandumMarkdown(memorandum), 'utf8') },
    { file: files[2]!.path, write: (tmp) => writeFile(tmp, renderMemorandumHtml(memorandum), 'utf8') },
  ]);
  return { fundId: memorandum.fundId, year: formatYear(request.year), files, memorandum };
}

export async function writeBcfYearEndFiles(ctx: AppContext, request: ReturnRequest & { outDir: string }): Promise<ReturnFiles & { yearEnd: BcfYearEndReturn }> {
  const yearEnd = await buildBcfYearEnd(ctx, request);
  const { renderBcfYearEndXlsx } = await import('../report/bcf-year-end-xlsx.js');
  const file = path.join(request.outDir, `${yearEnd.fundId}-${formatYear(request.year)}-bcf-year-end.xlsx`);
  await writeAll(request.outDir, [{ file, write: (tmp) => renderBcfYearEndXlsx(yearEnd, tmp) }]);
  return { fundId: yearEnd.fundId, year: formatYear(request.year), files: [{ format: 'xlsx', path: file }], yearEnd };
}
