// A ledger in `replace` mode usually sends a year-to-date extract every month, so next month's
// file repeats the months already closed. Such a file is accepted when, for every closed period
// it touches, it holds exactly what the close used — the same lines and pence per status and
// scheme — and the closed period keeps its old batch (the new copy is stored, marked as superseded
// by it). Any difference in a closed period refuses the whole file, saying what differs: a closed
// month changes only after a reopen. Append-mode files never touch a closed period.

import { formatPeriod, type PeriodKey } from '../domain/period.js';
import { formatPounds } from '../domain/money.js';
import type { Ledger } from '../domain/agreement.js';
import type { Store } from '../store/types.js';
import { TandemError } from './errors.js';
import { assertPeriodsOpen, lockedPeriods } from './periods.js';

type Totals = Map<string, { lines: number; pence: number }>;

function key(period: PeriodKey, status: string, scheme: string | null): string {
  return `${period}|${status}|${scheme ?? ''}`;
}

function add(map: Totals, k: string, lines: number, pence: number): void {
  const t = map.get(k) ?? { lines: 0, pence: 0 };
  map.set(k, { lines: t.lines + lines, pence: t.pence + pence });
}

function periodSummary(map: Totals, period: PeriodKey): { lines: number; pence: number } {
  let lines = 0;
  let pence = 0;
  for (const [k, t] of map) {
    if (k.startsWith(`${period}|`)) {
      lines += t.lines;
      pence += t.pence;
    }
  }
  return { lines, pence };
}

export interface LockedSettlement {
  /** Periods the batch supplies from now on (the others were closed and are unchanged). */
  open: PeriodKey[];
  /** Closed periods the file repeated unchanged: kept from the earlier batch. */
  unchanged: PeriodKey[];
}

/** Call inside the import's transaction, after the batch's totals are written and before its periods. */
export async function settleLockedPeriods(tx: Store, request: { fundId: string; ledger: Ledger; batchId: number; periods: PeriodKey[]; file: string }): Promise<LockedSettlement> {
  const locked = new Set(await lockedPeriods(tx, request.fundId));
  const closed = request.periods.filter((p) => locked.has(p));
  const open = request.periods.filter((p) => !locked.has(p));
  if (closed.length === 0) return { open, unchanged: [] };
  const what = `ledger ${request.ledger.id}'s extract ${request.file}`;
  if (request.ledger.mode !== 'replace') await assertPeriodsOpen(tx, request.fundId, closed, what, request.file);

  const incoming: Totals = new Map();
  for (const t of await tx.batchSchemeTotals(request.batchId)) if (locked.has(t.period)) add(incoming, key(t.period, t.status, t.schemeId), t.lineCount, t.amountPence);
  const stored: Totals = new Map();
  const from = Math.min(...closed);
  const to = Math.max(...closed);
  for (const t of await tx.liveTotals({ fundId: request.fundId, ledgerId: request.ledger.id, fromPeriod: from, toPeriod: to }, ['period', 'status', 'scheme'])) {
    if (locked.has(t.period)) add(stored, key(t.period, t.status, t.schemeId), t.lineCount, t.amountPence);
  }
  const differs = closed.filter((p) => {
    const keys = new Set([...incoming.keys(), ...stored.keys()].filter((k) => k.startsWith(`${p}|`)));
    return [...keys].some((k) => incoming.get(k)?.lines !== stored.get(k)?.lines || incoming.get(k)?.pence !== stored.get(k)?.pence);
  });
  if (differs.length > 0) {
    const problems = differs.map((p) => {
      const was = periodSummary(stored, p);
      const now = periodSummary(incoming, p);
      return { code: 'PERIOD_LOCKED', message: `${formatPeriod(p)} is closed with ${was.lines} line(s), £${formatPounds(was.pence)}; this file has ${now.lines} line(s), £${formatPounds(now.pence)} (or the same total split differently between schemes)`, file: request.file, line: null, column: null };
    });
    throw new TandemError(
      'PERIOD_LOCKED',
      `${what} changes ${differs.map(formatPeriod).join(', ')}, which ${differs.length === 1 ? 'is' : 'are'} closed; nothing was imported. Reopen first (tandem reopen ${formatPeriod(differs[0]!)} --reason "…") if the closed figures must change`,
      problems,
    );
  }
  return { open, unchanged: closed };
}

/** After the batch's periods are inserted: each unchanged closed period stays with the batch that holds it now. */
export async function keepClosedPeriods(tx: Store, request: { fundId: string; ledgerId: string; batchId: number; unchanged: PeriodKey[] }): Promise<void> {
  if (request.unchanged.length === 0) return;
  const batches = await tx.listBatches(request.fundId, request.ledgerId);
  for (const period of request.unchanged) {
    const live = batches.find((b) => b.id !== request.batchId && b.periods.includes(period) && !(period in b.supersededPeriods));
    if (!live) throw new TandemError('PERIOD_LOCKED', `${formatPeriod(period)} is closed and ledger ${request.ledgerId} has no batch for it; nothing was imported`);
    await tx.markPeriodSuperseded(request.batchId, period, live.id);
  }
}
