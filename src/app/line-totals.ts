// Per-batch totals by (period, status, scheme, code combination): what status, the suspense
// queue and the close read, so they aggregate a few thousand rows rather than every line.
// Memory is bounded by the number of distinct combinations, not by the number of lines.
// Keyed by nested maps (codes → period → mapping result) rather than one concatenated string:
// this runs for every imported line, and building and hashing a fresh key string per line
// was an eighth of the import's time.

import type { MappingResult } from '../domain/mapping.js';
import { addPence, invariant, type Pence } from '../domain/money.js';
import type { PeriodKey } from '../domain/period.js';
import type { LineTotal } from '../store/types.js';

type Group = Omit<LineTotal, 'batchId'>;

/**
 * Groups held before the caller should flush them to the store as partial totals. Each flush
 * writes every group held, so a file whose combinations outnumber this writes some groups more
 * than once: at 50,000 the benchmark's council file (95,944 groups in 500,000 lines) wrote
 * 352,739 rows. At 250,000 it writes each group once, for ~40 MB more at most (~160 B a group).
 */
export const MAX_GROUPS_IN_MEMORY = 250_000;

export class LineTotalsAccumulator {
  private byCodes = new Map<string, Map<PeriodKey, Map<string, Group>>>();
  /** Distinct groups held now. */
  size = 0;

  add(period: PeriodKey, mapping: Pick<MappingResult, 'status' | 'schemeId'>, codes: string, amountPence: Pence): void {
    let byPeriod = this.byCodes.get(codes);
    if (!byPeriod) this.byCodes.set(codes, (byPeriod = new Map()));
    let byTarget = byPeriod.get(period);
    if (!byTarget) byPeriod.set(period, (byTarget = new Map()));
    const target = mapping.schemeId ?? `\u0000${mapping.status}`;
    const group = byTarget.get(target);
    if (group) {
      group.lineCount += 1;
      group.amountPence = addPence(group.amountPence, amountPence);
    } else {
      byTarget.set(target, { period, status: mapping.status, schemeId: mapping.schemeId, codes, lineCount: 1, amountPence });
      this.size += 1;
    }
  }

  get full(): boolean {
    return this.size >= MAX_GROUPS_IN_MEMORY;
  }

  /** Hands over the groups held and starts empty. */
  take(): Group[] {
    const rows: Group[] = [];
    for (const byPeriod of this.byCodes.values()) for (const byTarget of byPeriod.values()) for (const g of byTarget.values()) rows.push(g);
    this.byCodes = new Map();
    this.size = 0;
    return rows;
  }
}

/**
 * The same totals for the import's columnar chunks, keyed by numbers the reader gives every line:
 * its codes text's number in the file, then its period's slot and its mapping target's index.
 * Two Maps of small integers instead of three nested Maps over a fresh codes text per line (the
 * text would be hashed for every line). Small integers matter: a single key of all three parts
 * passed 2^31, and V8 then keys the Map by heap numbers — ~0.3 s per 500,000 lines instead of
 * 60–90 ms (micro-benchmark and profile, ~95,000 groups).
 */
export class NumberedTotals {
  private byCodes = new Map<number, Map<number, Group>>();
  private readonly periodSlots = new Map<PeriodKey, number>();
  /** Distinct groups held now. */
  size = 0;

  get full(): boolean {
    return this.size >= MAX_GROUPS_IN_MEMORY;
  }

  add(period: PeriodKey, targetNo: number, target: Pick<MappingResult, 'status' | 'schemeId'>, codesNo: number, codes: string, amountPence: Pence): void {
    let slot = this.periodSlots.get(period);
    if (slot === undefined) {
      slot = this.periodSlots.size;
      this.periodSlots.set(period, slot);
    }
    let groups = this.byCodes.get(codesNo);
    if (groups === undefined) this.byCodes.set(codesNo, (groups = new Map()));
    // Period slot and target each within their own bits, so two groups never share a key.
    const key = slot * TARGET_SLOTS + targetNo;
    const group = groups.get(key);
    if (group) {
      group.lineCount += 1;
      group.amountPence = addPence(group.amountPence, amountPence);
      return;
    }
    invariant(slot < PERIOD_SLOTS && targetNo >= 0 && targetNo < TARGET_SLOTS, `line totals key out of range (period slot ${slot}, target ${targetNo})`);
    groups.set(key, { period, status: target.status, schemeId: target.schemeId, codes, lineCount: 1, amountPence });
    this.size += 1;
  }

  /** Hands over the groups held and starts empty. */
  take(): Group[] {
    const rows: Group[] = [];
    for (const groups of this.byCodes.values()) for (const g of groups.values()) rows.push(g);
    this.byCodes = new Map();
    this.size = 0;
    return rows;
  }
}

/** A file's periods (an extract spans at most a few years of 13) and its mapping targets (rules + 1): 2^8 × 2^16 stays a small integer. */
const PERIOD_SLOTS = 1 << 8;
const TARGET_SLOTS = 1 << 16;
