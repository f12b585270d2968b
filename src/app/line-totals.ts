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
 * its codes text's number in the file, its period's slot and its mapping target's index. One Map
 * of numbers instead of three nested Maps over a fresh codes text per line: 60–90 ms instead of
 * 330–490 ms for 500,000 lines in ~95,000 groups (a micro-benchmark of both on the bench's codes).
 */
export class NumberedTotals {
  private groups = new Map<number, Group>();
  private readonly periodSlots = new Map<PeriodKey, number>();

  get size(): number {
    return this.groups.size;
  }

  get full(): boolean {
    return this.groups.size >= MAX_GROUPS_IN_MEMORY;
  }

  add(period: PeriodKey, targetNo: number, target: Pick<MappingResult, 'status' | 'schemeId'>, codesNo: number, codes: string, amountPence: Pence): void {
    let slot = this.periodSlots.get(period);
    if (slot === undefined) {
      slot = this.periodSlots.size;
      this.periodSlots.set(period, slot);
    }
    // Each part within its own bits, so two groups never share a key; checked once per group.
    const key = (codesNo * PERIOD_SLOTS + slot) * TARGET_SLOTS + targetNo;
    const group = this.groups.get(key);
    if (group) {
      group.lineCount += 1;
      group.amountPence = addPence(group.amountPence, amountPence);
      return;
    }
    invariant(slot < PERIOD_SLOTS && targetNo >= 0 && targetNo < TARGET_SLOTS && codesNo >= 0 && Number.isSafeInteger(key), `line totals key out of range (codes ${codesNo}, period slot ${slot}, target ${targetNo})`);
    this.groups.set(key, { period, status: target.status, schemeId: target.schemeId, codes, lineCount: 1, amountPence });
  }

  /** Hands over the groups held and starts empty. */
  take(): Group[] {
    const rows = [...this.groups.values()];
    this.groups = new Map();
    return rows;
  }
}

/** A file's periods (an extract spans at most a few years of 13) and its mapping targets (rules + 1). */
const PERIOD_SLOTS = 1 << 8;
const TARGET_SLOTS = 1 << 16;
