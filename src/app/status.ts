// The fund's status at a period: what each ledger holds (live batches, lines, amounts, what is
// in suspense) and each scheme's year-to-date actual per partner. Read from the per-batch
// totals, never by scanning lines. The JSON shape is documented in docs/status.md.

import { addPence, type Pence } from '../domain/money.js';
import { formatPeriod, formatYear, periodKey, yearOf, type PeriodKey } from '../domain/period.js';
import { agreementInForce, resolveFund } from './agreements.js';
import type { AppContext } from './context.js';
import { TandemError } from './errors.js';

export interface Amount {
  lines: number;
  amountPence: Pence;
}

export interface FundStatus {
  fund: string;
  fundName: string;
  agreementVersion: number;
  database: string;
  year: string | null;
  period: string | null;
  /** Every period ever closed: locked while its latest event is a close. */
  periods: { period: string; state: 'closed' | 'reopened'; closeVersion: number; at: string; by: string }[];
  ledgers: {
    id: string;
    partner: string;
    batches: number;
    lines: number;
    amountPence: Pence;
    mapped: Amount;
    outOfScope: Amount;
    unmapped: Amount;
  }[];
  schemes: { id: string; name: string; pool: string; type: 'pooled' | 'aligned'; ytdActualPence: Record<string, Pence>; ytdActualTotalPence: Pence }[];
  unmapped: Amount;
}

export async function fundStatus(ctx: AppContext, options: { fundId?: string; period?: PeriodKey } = {}): Promise<FundStatus> {
  const fundId = await resolveFund(ctx, options.fundId);
  const { agreement, record } = await agreementInForce(ctx, fundId);
  const period = options.period ?? (await latestPeriod(ctx, fundId));
  if (period !== null && !agreement.years.includes(yearOf(period))) {
    throw new TandemError('PERIOD_OUTSIDE_AGREEMENT', `${formatPeriod(period)} is outside the agreement's years (${agreement.years.map(formatYear).join(', ')})`);
  }
  const rows =
    period === null
      ? []
      : await ctx.store.liveTotals({ fundId, fromPeriod: periodKey(yearOf(period), 1), toPeriod: period }, ['ledger', 'status', 'scheme']);
  const batches = await ctx.store.listBatches(fundId);
  const zero = (): Amount => ({ lines: 0, amountPence: 0 });
  const add = (a: Amount, lines: number, amountPence: Pence) => {
    a.lines += lines;
    a.amountPence = addPence(a.amountPence, amountPence);
  };

  const ledgers = agreement.ledgers.map((l) => {
    const entry = { id: l.id, partner: l.partner, batches: 0, lines: 0, amountPence: 0, mapped: zero(), outOfScope: zero(), unmapped: zero() };
    entry.batches = batches.filter((b) => b.ledgerId === l.id && b.periods.some((p) => !(p in b.supersededPeriods) && (period === null || (p <= period && yearOf(p) === yearOf(period))))).length;
    for (const r of rows.filter((r) => r.ledgerId === l.id)) {
      entry.lines += r.lineCount;
      entry.amountPence = addPence(entry.amountPence, r.amountPence);
      add(r.status === 'mapped' ? entry.mapped : r.status === 'out_of_scope' ? entry.outOfScope : entry.unmapped, r.lineCount, r.amountPence);
    }
    return entry;
  });

  const partnerOfLedger = new Map(agreement.ledgers.map((l) => [l.id, l.partner] as const));
  const schemes = agreement.schemes.map((s) => {
    const ytd: Record<string, Pence> = Object.fromEntries(agreement.partners.map((p) => [p.id, 0]));
    for (const r of rows) {
      if (r.status !== 'mapped' || r.schemeId !== s.id) continue;
      const partner = partnerOfLedger.get(r.ledgerId);
      if (partner !== undefined) ytd[partner] = addPence(ytd[partner] ?? 0, r.amountPence);
    }
    const total = Object.values(ytd).reduce((a, b) => addPence(a, b), 0);
    return { id: s.id, name: s.name, pool: s.pool, type: s.type, ytdActualPence: ytd, ytdActualTotalPence: total };
  });

  const unmapped = zero();
  for (const l of ledgers) add(unmapped, l.unmapped.lines, l.unmapped.amountPence);
  return {
    fund: fundId,
    fundName: agreement.fund.name,
    agreementVersion: record.version,
    database: ctx.store.location,
    year: period === null ? null : formatYear(yearOf(period)),
    period: period === null ? null : formatPeriod(period),
    ledgers,
    schemes,
    unmapped,
    periods: await closedPeriods(ctx, fundId),
  };
}

/** The latest period holding live data, or null before any import. */
async function latestPeriod(ctx: AppContext, fundId: string): Promise<PeriodKey | null> {
  const rows = await ctx.store.liveTotals({ fundId }, ['period']);
  return rows.reduce<PeriodKey | null>((max, r) => (max === null || r.period > max ? r.period : max), null);
}

async function closedPeriods(ctx: AppContext, fundId: string): Promise<FundStatus['periods']> {
  const versions = new Map<number, number>();
  for (const c of await ctx.store.listCloses(fundId)) versions.set(c.period, c.version);
  return (await ctx.store.latestPeriodEvents(fundId)).map((e) => ({
    period: formatPeriod(e.period),
    state: e.action === 'close' ? 'closed' : 'reopened',
    closeVersion: versions.get(e.period) ?? 0,
    at: e.at,
    by: e.actor,
  }));
}
