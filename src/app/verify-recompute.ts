// tandem verify: recompute a stored close with the pure computeClose from the inputs it records —
// the agreement version, the batch-periods it read (kept even when a later extract superseded
// them), the forecast batches it used and the earlier closes it built on — read the way the close
// read them (src/app/close.ts readInputs), but from those recorded batches rather than whatever is
// live today. What cannot be read back is named, not guessed.

import type { RechargeSource } from '../domain/close-journals.js';
import { computeClose, type CloseComputation, type UnmappedRow } from '../domain/close.js';
import type { Journal } from '../domain/journal.js';
import { addPence, type Pence } from '../domain/money.js';
import { formatPeriod, monthOf, parsePeriodArg, periodKey, yearOf, type PeriodKey } from '../domain/period.js';
import type { CloseRecord, Store } from '../store/types.js';
import { agreementInForce } from './agreements.js';
import type { CloseDocument } from './close.js';
import type { AppContext } from './context.js';

/** Either the recomputed close, or what is missing; `unrecorded` when the document never named its inputs. */
export type Recomputed = { ok: true; computation: CloseComputation } | { ok: false; missing: string[]; unrecorded?: boolean };

/** The members of the document that computeClose produces (the rest is who, when and from what). */
export const COMPUTED_KEYS = ['fund', 'fundName', 'year', 'month', 'period', 'schemes', 'pools', 'totals', 'units', 'journals', 'agreementOfBalances', 'unmapped'] as const;

export async function recomputeClose(ctx: AppContext, record: CloseRecord, doc: CloseDocument, closes: readonly Omit<CloseRecord, 'documentJson'>[]): Promise<Recomputed> {
  const { store } = ctx;
  const missing: string[] = [];
  const { fundId, period } = record;
  const [year, month] = [yearOf(period), monthOf(period)];
  const version = await store.getAgreementVersion(fundId, doc.agreementVersion);
  if (!version) missing.push(`agreement version ${doc.agreementVersion}`);
  if (!doc.sources || !Array.isArray(doc.sources.batches)) return { ok: false, missing: [...missing, 'the list of batches it read (the document records none)'], unrecorded: true };

  const actuals: Record<string, Record<string, Pence[]>> = {};
  const unmapped = new Map<string, UnmappedRow>();
  const recharges = new Map<string, RechargeSource>();
  const agreement = version ? (await agreementInForce(ctx, fundId, version.version)).agreement : undefined;
  const partnerOf = new Map((agreement?.ledgers ?? []).map((l) => [l.id, l.partner]));
  for (const source of doc.sources.batches) {
    const batch = await store.getBatch(source.id);
    if (!batch || batch.fileSha256 !== source.sha256) {
      missing.push(batch ? `batch ${source.id} as it read it (the batch now holds another file: ${batch.fileName})` : `batch ${source.id} (${source.file})`);
      continue;
    }
    const periods = new Set(source.periods.map((p) => parsePeriodArg(p)));
    for (const t of await store.batchSchemeTotals(batch.id)) {
      if (!periods.has(t.period)) continue;
      if (t.status === 'unmapped') {
        const u = unmapped.get(batch.ledgerId) ?? { ledger: batch.ledgerId, lines: 0, amountPence: 0 };
        unmapped.set(batch.ledgerId, { ...u, lines: u.lines + t.lineCount, amountPence: addPence(u.amountPence, t.amountPence) });
      }
      const partner = partnerOf.get(batch.ledgerId);
      if (t.status !== 'mapped' || t.schemeId === null || partner === undefined) continue;
      const months = ((actuals[t.schemeId] ??= {})[partner] ??= Array.from({ length: 12 }, () => 0));
      months[monthOf(t.period) - 1] = addPence(months[monthOf(t.period) - 1]!, t.amountPence);
    }
    if (!periods.has(period)) continue;
    for (const t of await store.batchLineTotals(batch.id, period)) {
      if (t.status !== 'mapped' || t.schemeId === null) continue;
      const key = `${batch.ledgerId}\u0000${t.schemeId}\u0000${t.codes}`;
      const r = recharges.get(key);
      recharges.set(key, { ledger: batch.ledgerId, scheme: t.schemeId, codes: JSON.parse(t.codes) as string[], amountPence: addPence(r?.amountPence ?? 0, t.amountPence) });
    }
  }

  const leadForecasts = await forecastsUsed(store, fundId, period, doc.sources.forecastBatches ?? [], missing);
  const history = await earlierJournals(store, record, closes, missing);
  if (missing.length > 0 || !agreement) return { ok: false, missing };
  const computation = computeClose({
    agreement,
    year,
    month,
    actuals,
    leadForecasts,
    // In the order the close's query returned them: by ledger, scheme and codes, bytewise.
    recharges: [...recharges.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, r]) => r),
    ...history,
    unmapped: [...unmapped.values()].sort((a, b) => (a.ledger < b.ledger ? -1 : a.ledger > b.ledger ? 1 : 0)),
  });
  return { ok: true, computation };
}

/**
 * Each scheme's forecast from the latest of the batches the close used that gives one: the same as
 * "the latest batch that gives one" on the day, since a later batch giving one for that scheme
 * would have been the one used.
 */
async function forecastsUsed(store: Store, fundId: string, period: PeriodKey, batchIds: readonly number[], missing: string[]): Promise<Record<string, Pence>> {
  const known = new Set((await store.listForecastBatches(fundId)).map((b) => b.id));
  const chosen = new Map<string, { batchId: number; amountPence: Pence }>();
  for (const id of batchIds) {
    if (!known.has(id)) {
      missing.push(`forecast batch ${id}`);
      continue;
    }
    for (const row of await store.forecastRows(id)) {
      if (row.period !== period) continue;
      const held = chosen.get(row.schemeId);
      if (!held || held.batchId < id) chosen.set(row.schemeId, { batchId: id, amountPence: row.amountPence });
    }
  }
  return Object.fromEntries([...chosen.entries()].map(([scheme, f]) => [scheme, f.amountPence]));
}

/** The journals of this year's earlier closes as they stood when this one was made: the latest version of each stored before it. */
async function earlierJournals(store: Store, record: CloseRecord, closes: readonly Omit<CloseRecord, 'documentJson'>[], missing: string[]): Promise<{ previousJournals: Journal[]; earlierJournals: Journal[] }> {
  const [year, month] = [yearOf(record.period), monthOf(record.period)];
  const history = { previousJournals: [] as Journal[], earlierJournals: [] as Journal[] };
  for (let m = 1; m < month; m++) {
    const before = closes.filter((c) => c.period === periodKey(year, m) && c.id < record.id).sort((a, b) => b.version - a.version)[0];
    if (!before) continue;
    const earlier = await store.getClose(record.fundId, before.period, before.version);
    let journals: Journal[] | undefined;
    try {
      journals = earlier ? (JSON.parse(earlier.documentJson) as CloseComputation).journals : undefined;
    } catch {
      journals = undefined;
    }
    if (!Array.isArray(journals)) {
      missing.push(`the journals of the close of ${formatPeriod(before.period)} version ${before.version} it built on (unreadable)`);
      continue;
    }
    history.earlierJournals.push(...journals);
    if (m === month - 1) history.previousJournals = journals;
  }
  return history;
}
