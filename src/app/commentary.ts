// Commentary per scheme and period, written by the scheme lead or finance officer for the monthly
// report. It changes no figure, so a closed (locked) month can still take commentary; each new
// text is stored beside the old (append-only) and audited.

import { formatPeriod, yearOf, type PeriodKey } from '../domain/period.js';
import { agreementInForce, resolveFund } from './agreements.js';
import { isoNow, type AppContext } from './context.js';
import { TandemError } from './errors.js';

const MAX_CHARS = 4000;

export async function setCommentary(ctx: AppContext, request: { fundId?: string; schemeId: string; period: PeriodKey; text: string }) {
  const fundId = await resolveFund(ctx, request.fundId);
  const { agreement } = await agreementInForce(ctx, fundId);
  if (!agreement.schemes.some((s) => s.id === request.schemeId)) {
    throw new TandemError('SCHEME_UNKNOWN', `"${request.schemeId}" is not a scheme of fund ${fundId} (${agreement.schemes.map((s) => s.id).join(', ')})`);
  }
  if (!agreement.years.includes(yearOf(request.period))) {
    throw new TandemError('PERIOD_OUTSIDE_AGREEMENT', `${formatPeriod(request.period)} is outside the agreement of fund ${fundId}`);
  }
  const text = request.text.replace(/\r\n?/g, '\n').trim();
  if (text === '') throw new TandemError('USAGE', 'the commentary is empty', [], 2);
  if (text.length > MAX_CHARS) throw new TandemError('COMMENTARY_TOO_LONG', `the commentary has ${text.length} characters; the report takes at most ${MAX_CHARS}`);
  return ctx.store.transaction(async (tx) => {
    const at = isoNow(ctx);
    const id = await tx.insertCommentary({ fundId, schemeId: request.schemeId, period: request.period, text, writtenAt: at, writtenBy: ctx.actor });
    await tx.appendAudit({ fundId, actor: ctx.actor, action: 'commentary.set', subject: `commentary:${id}`, details: { scheme: request.schemeId, period: formatPeriod(request.period), text }, inputSha256: null, at });
    return { id, fundId, scheme: request.schemeId, period: formatPeriod(request.period), text, at, by: ctx.actor };
  });
}

export async function listCommentary(ctx: AppContext, request: { fundId?: string; period: PeriodKey }) {
  const fundId = await resolveFund(ctx, request.fundId);
  return (await ctx.store.latestCommentary(fundId, request.period)).map((c) => ({ scheme: c.schemeId, period: formatPeriod(c.period), text: c.text, at: c.writtenAt, by: c.writtenBy }));
}
