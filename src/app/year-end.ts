// The year-end (docs/year-end.md): once M01..M11 of a year are closed, close M12 if it is still
// open (the normal close, which computes the final risk-share settlement and its journals), record
// the M12 close's risk share as the year's settlement, make the year final (its months can no
// longer be reopened), and store the next year's agreement — contributions uplifted or as stated,
// retained underspends carried into the pool, agreed overspend recoveries taken off — as a new
// version in force from M01 of the next year, so the next year's closes use it. One transaction
// under the fund's lock, the M12 close included: a refusal of either writes nothing; running it
// again on a final year changes nothing and says so.

import { createHash } from 'node:crypto';
import type { CloseComputation } from '../domain/close.js';
import { formatPeriod, formatYear, periodKey, yearOf, type YearStart } from '../domain/period.js';
import { adjustmentsOf, planYearEnd, YearEndError, type CarryLine, type YearEndPlan, type YearSettlement } from '../domain/year-end.js';
import type { Store } from '../store/types.js';
import type { YearEndRecord } from '../store/year-end-types.js';
import { agreementForPeriod, agreementInForce, resolveFund } from './agreements.js';
import { closePeriod, type CloseResult } from './close.js';
import { isoNow, type AppContext } from './context.js';
import { TandemError } from './errors.js';
import { assertFundOpen } from './fund-state.js';
import { periodStates } from './periods.js';

export interface YearEndDocument {
  fund: string;
  year: string;
  nextYear: string | null;
  /** The M12 close whose risk share is the settlement, and the agreement version it used. */
  closeVersion: number;
  /** True when this year-end closed M12 itself (as version closeVersion); absent in year-ends recorded before it could. */
  closedM12?: boolean;
  closeAgreementVersion: number;
  /** The agreement version the next year's was made from (the latest when the year-end ran). */
  baseAgreementVersion: number;
  /** The version made for the next year, in force from its M01; null if none was needed. */
  agreementVersion: number | null;
  effectiveFrom: string | null;
  settlement: YearSettlement;
  /** The M12 settlement journals (refs), posted by the close. */
  settlementJournals: string[];
  lines: CarryLine[];
  /** The next year's contributions in the version made: scheme → partner → pence. */
  nextContributions: Record<string, Record<string, number>>;
  at: string;
  by: string;
}

export interface YearEndResult {
  /** False when the year was already final: nothing was written. */
  created: boolean;
  document: YearEndDocument;
  sha256: string;
  /** The M12 close this year-end made, when M12 was still open. */
  close?: CloseResult;
}

export interface YearEndRequest {
  fundId?: string;
  year: YearStart;
  /** Passed to the close of M12 when the year-end makes it (as `tandem close --allow-unmapped`). */
  allowUnmapped?: boolean;
}

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

function stored(record: YearEndRecord): YearEndResult {
  return { created: false, document: JSON.parse(record.documentJson) as YearEndDocument, sha256: record.documentSha256 };
}

/** M01..M11 must be closed; M12 may be open, for the year-end closes it. True when M12 is closed. */
async function checkClosedToM11(tx: Store, fundId: string, year: YearStart): Promise<boolean> {
  const states = await periodStates(tx, fundId);
  const open = Array.from({ length: 11 }, (_, i) => periodKey(year, i + 1)).filter((p) => states.get(p)?.action !== 'close');
  const m12Closed = states.get(periodKey(year, 12))?.action === 'close';
  if (open.length === 0) return m12Closed;
  const names = open.map(formatPeriod);
  throw new TandemError(
    'YEAR_NOT_CLOSED',
    `${formatYear(year)} cannot be ended: ${names.join(', ')} ${open.length === 1 ? 'is' : 'are'} not closed; close M01..M11 first (the year-end closes M12 itself if it is open). Nothing was written`,
    names.map((n) => ({ code: 'YEAR_NOT_CLOSED', message: `${n} is open` })),
  );
}

/** The next year's version takes effect from its M01: nothing of the next year may be closed, nor a later version be in force. */
async function checkNextYearNotStarted(tx: Store, fundId: string, nextYear: YearStart, latestEffectiveFrom: number | null): Promise<void> {
  const from = periodKey(nextYear, 1);
  const closed = [...(await periodStates(tx, fundId)).values()].filter((e) => e.action === 'close' && yearOf(e.period) >= nextYear).map((e) => formatPeriod(e.period));
  if (closed.length > 0) {
    throw new TandemError('YEAR_END_NEXT_YEAR_STARTED', `${closed.join(', ')} ${closed.length === 1 ? 'is' : 'are'} already closed, so the year-end cannot change the budgets from ${formatPeriod(from)}: reopen ${closed.length === 1 ? 'it' : 'them'} first. Nothing was written`);
  }
  if (latestEffectiveFrom !== null && latestEffectiveFrom > from) {
    throw new TandemError('YEAR_END_NEXT_YEAR_STARTED', `the latest agreement version is in force from ${formatPeriod(latestEffectiveFrom)}, after ${formatPeriod(from)}: a version from the year-end would come before it. Nothing was written`);
  }
}

function planning(fn: () => YearEndPlan): YearEndPlan {
  try {
    return fn();
  } catch (e) {
    if (e instanceof YearEndError) throw new TandemError(e.code, `${e.message}; nothing was written`);
    throw e;
  }
}

export async function runYearEnd(ctx: AppContext, request: YearEndRequest): Promise<YearEndResult> {
  const fundId = await resolveFund(ctx, request.fundId);
  const { year } = request;
  return ctx.store.transaction(async (tx) => {
    await tx.lockFund(fundId);
    const already = await tx.getYearEnd(fundId, year);
    if (already) return stored(already);
    await assertFundOpen(tx, fundId, `the year-end of ${formatYear(year)}`);
    const txCtx = { ...ctx, store: tx };
    const m12 = periodKey(year, 12);
    const atM12 = await agreementForPeriod(txCtx, fundId, m12);
    if (!atM12.agreement.years.includes(year)) {
      throw new TandemError('PERIOD_OUTSIDE_AGREEMENT', `${formatYear(year)} is outside the agreement of fund ${fundId}, which covers ${atM12.agreement.years.map(formatYear).join(', ')}`);
    }
    const m12Closed = await checkClosedToM11(tx, fundId, year);
    const latest = await agreementInForce(txCtx, fundId);
    const nextYear = latest.agreement.years.includes(year + 1) ? year + 1 : null;
    if (nextYear !== null) await checkNextYearNotStarted(tx, fundId, nextYear, latest.record.effectiveFrom);
    // The close's own transaction joins this one (a nested transaction shares the outer one), so a
    // refusal later in the year-end rolls the M12 close back with everything else.
    const madeClose = m12Closed ? undefined : await closePeriod(txCtx, { fundId, period: m12, allowUnmapped: request.allowUnmapped });
    const close = (await tx.getClose(fundId, m12))!;
    const closeDoc = JSON.parse(close.documentJson) as CloseComputation;
    const previous = await tx.getYearEnd(fundId, year - 1);
    const adjustments = previous ? adjustmentsOf((JSON.parse(previous.documentJson) as YearEndDocument).lines) : {};
    const plan = planning(() => planYearEnd(latest.agreement, year, closeDoc.units, adjustments));
    const at = isoNow(ctx);

    let agreementVersion: number | null = null;
    let versionSha: string | null = null;
    const changed = plan.next !== null && JSON.stringify(plan.next) !== JSON.stringify(latest.agreement);
    if (plan.next !== null && changed) {
      // The version's "source" is the year-end itself: which year, from which version, what it did.
      const sourceText = JSON.stringify({ yearEnd: formatYear(year), baseVersion: latest.record.version, effectiveFrom: formatPeriod(periodKey(nextYear!, 1)), lines: plan.lines });
      versionSha = sha256(sourceText);
      agreementVersion = await tx.insertAgreementVersion({
        fundId,
        fundName: plan.next.fund.name,
        loadedAt: at,
        loadedBy: ctx.actor,
        sourceFile: `year-end:${formatYear(year)}`,
        sourceSha256: versionSha,
        sourceText,
        modelJson: JSON.stringify(plan.next),
        effectiveFrom: periodKey(nextYear!, 1),
        decisionId: null,
      });
    }
    const document: YearEndDocument = {
      fund: fundId,
      year: formatYear(year),
      nextYear: nextYear === null ? null : formatYear(nextYear),
      closeVersion: close.version,
      closedM12: madeClose !== undefined,
      closeAgreementVersion: close.agreementVersion,
      baseAgreementVersion: latest.record.version,
      agreementVersion,
      effectiveFrom: agreementVersion === null ? null : formatPeriod(periodKey(nextYear!, 1)),
      settlement: plan.settlement,
      settlementJournals: [...new Set(closeDoc.journals.filter((j) => j.kind === 'settlement' && j.variant === 'standard').map((j) => j.ref))],
      lines: plan.lines,
      nextContributions: nextYear === null || plan.next === null ? {} : Object.fromEntries(plan.next.schemes.filter((s) => s.contributions[nextYear]).map((s) => [s.id, { ...s.contributions[nextYear]! }])),
      at,
      by: ctx.actor,
    };
    const json = JSON.stringify(document);
    const documentSha256 = sha256(json);
    await tx.insertYearEnd({ fundId, year, closeVersion: close.version, agreementVersion, documentJson: json, documentSha256, at, actor: ctx.actor });
    const carried = plan.lines.filter((l) => l.kind === 'carry_forward').reduce((n, l) => n + l.amountPence, 0);
    const recovered = plan.lines.filter((l) => l.kind === 'overspend_recovery').reduce((n, l) => n - l.amountPence, 0);
    await tx.appendAudit({ fundId, actor: ctx.actor, action: 'year.end', subject: `year-end:${formatYear(year)}`, details: { year: formatYear(year), closeVersion: close.version, closedM12: madeClose !== undefined, agreementVersion, settlementByPartnerPence: plan.settlement.byPartnerPence, carriedForwardPence: carried, recoveredPence: recovered }, inputSha256: documentSha256, at });
    if (agreementVersion !== null) {
      // Subject agreement:N, so `tandem verify` finds the event that records the version it made.
      await tx.appendAudit({ fundId, actor: ctx.actor, action: 'year.end.version', subject: `agreement:${agreementVersion}`, details: { version: agreementVersion, previousVersion: latest.record.version, effectiveFrom: document.effectiveFrom, year: formatYear(year) }, inputSha256: versionSha, at });
    }
    return { created: true, document, sha256: documentSha256, ...(madeClose ? { close: madeClose } : {}) };
  });
}

/** The year-end of a year, if the year is final. */
export async function readYearEnd(ctx: AppContext, request: { fundId?: string; year: YearStart }): Promise<YearEndResult | undefined> {
  const fundId = await resolveFund(ctx, request.fundId);
  const record = await ctx.store.getYearEnd(fundId, request.year);
  return record ? stored(record) : undefined;
}
