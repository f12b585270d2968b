// The suspense queue: live lines no mapping rule matched, grouped by code combination with
// counts, totals and the periods they fall in, largest first — what a finance officer works
// through to write new rules.

import { addPence, type Pence } from '../domain/money.js';
import { formatPeriod } from '../domain/period.js';
import { agreementInForce, resolveFund } from './agreements.js';
import type { AppContext } from './context.js';
import { TandemError } from './errors.js';

export interface UnmappedGroup {
  ledger: string;
  codes: Record<string, string>;
  lines: number;
  amountPence: Pence;
  periods: string[];
}

export async function unmappedGroups(ctx: AppContext, options: { fundId?: string; ledgerId?: string } = {}): Promise<UnmappedGroup[]> {
  const fundId = await resolveFund(ctx, options.fundId);
  const { agreement } = await agreementInForce(ctx, fundId);
  if (options.ledgerId !== undefined && !agreement.ledgers.some((l) => l.id === options.ledgerId)) {
    throw new TandemError('LEDGER_UNKNOWN', `ledger "${options.ledgerId}" is not in the agreement of fund ${fundId}`);
  }
  const rows = await ctx.store.liveTotals({ fundId, ledgerId: options.ledgerId, status: 'unmapped' }, ['ledger', 'codes', 'period']);
  const codeNames = new Map(agreement.ledgers.map((l) => [l.id, l.file.columns.codes] as const));
  const groups = new Map<string, UnmappedGroup & { periodKeys: Set<number> }>();
  for (const r of rows) {
    const key = `${r.ledgerId}\u0000${r.codes}`;
    let g = groups.get(key);
    if (!g) {
      const values = JSON.parse(r.codes) as string[];
      const names = codeNames.get(r.ledgerId) ?? [];
      const codes = Object.fromEntries(values.map((v, i) => [names[i] ?? `code${i + 1}`, v]));
      g = { ledger: r.ledgerId, codes, lines: 0, amountPence: 0, periods: [], periodKeys: new Set() };
      groups.set(key, g);
    }
    g.lines += r.lineCount;
    g.amountPence = addPence(g.amountPence, r.amountPence);
    g.periodKeys.add(r.period);
  }
  return [...groups.values()]
    .map(({ periodKeys, ...g }) => ({ ...g, periods: [...periodKeys].sort((a, b) => a - b).map(formatPeriod) }))
    .sort((a, b) => Math.abs(b.amountPence) - Math.abs(a.amountPence) || a.ledger.localeCompare(b.ledger) || JSON.stringify(a.codes).localeCompare(JSON.stringify(b.codes)));
}
