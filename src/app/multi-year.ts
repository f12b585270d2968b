// Gathers what the multi-year view (src/report/multi-year.ts) needs for each year of the agreement:
// the version in force at M01 and at the latest close (or M12), the latest close, and the lines
// the previous year's year-end carried into it.

import type { CloseComputation } from '../domain/close.js';
import { periodKey, yearOf } from '../domain/period.js';
import type { YearEndDocument } from './year-end.js';
import { multiYearView, type MultiYearView, type YearInput } from '../report/multi-year.js';
import { agreementForPeriod, agreementInForce, resolveFund } from './agreements.js';
import type { AppContext } from './context.js';
import { periodStates } from './periods.js';

export async function multiYear(ctx: AppContext, request: { fundId?: string } = {}): Promise<MultiYearView> {
  const fundId = await resolveFund(ctx, request.fundId);
  const latest = await agreementInForce(ctx, fundId);
  const states = [...(await periodStates(ctx.store, fundId)).values()];
  const yearEnds = new Map((await ctx.store.listYearEnds(fundId)).map((r) => [r.year, JSON.parse(r.documentJson) as YearEndDocument]));
  const inputs: YearInput[] = [];
  for (const year of latest.agreement.years) {
    const closed = states.filter((e) => e.action === 'close' && yearOf(e.period) === year).map((e) => e.period);
    const lastClosed = closed.length > 0 ? Math.max(...closed) : null;
    const record = lastClosed === null ? null : await ctx.store.getClose(fundId, lastClosed);
    const close = record ? (JSON.parse(record.documentJson) as CloseComputation) : null;
    const carriedIn = (yearEnds.get(year - 1)?.lines ?? []).filter((l) => l.kind === 'carry_forward' || l.kind === 'overspend_recovery');
    inputs.push({
      year,
      original: (await agreementForPeriod(ctx, fundId, periodKey(year, 1))).agreement,
      current: (await agreementForPeriod(ctx, fundId, lastClosed ?? periodKey(year, 12))).agreement,
      close,
      carriedIn,
      final: yearEnds.has(year),
    });
  }
  return multiYearView(inputs);
}
