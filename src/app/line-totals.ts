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
 * The same totals for the import's columnar chunks, keyed by numbers the reader gives every
 * line: its codes text's number in the file, then its period's slot and its mapping target's
 * index. Held as columns of typed arrays, with each codes number's groups chained from a head (a
 * codes text has a group per period and target it meets: a handful), so a line costs a short
 * walk and two array writes — no Map lookup and no object per group until the groups are handed
 * over. Three Map lookups per line took ~0.3 s per 500,000 lines, this a fifth of that (profile,
 * ~95,000 groups).
 */
export class NumberedTotals {
  private readonly periodSlots = new Map<PeriodKey, number>();
  private readonly periodOfSlot: PeriodKey[] = [];
  private lastPeriod = -1;
  private lastSlot = -1;
  /** The first group of each codes number (-1: none yet); `next` chains the rest. */
  private heads = new Int32Array(1024).fill(-1);
  private keys = new Int32Array(1024);
  private next = new Int32Array(1024);
  private counts = new Float64Array(1024);
  private pence = new Float64Array(1024);
  private codesOf: string[] = [];
  private targetOf: Pick<MappingResult, 'status' | 'schemeId'>[] = [];
  /** Distinct groups held now. */
  size = 0;

  get full(): boolean {
    return this.size >= MAX_GROUPS_IN_MEMORY;
  }

  add(period: PeriodKey, targetNo: number, target: Pick<MappingResult, 'status' | 'schemeId'>, codesNo: number, codes: string, amountPence: Pence): void {
    if (period !== this.lastPeriod) this.lastSlot = this.slotOf((this.lastPeriod = period));
    // Period slot and target each within their own bits, so two groups never share a key.
    const key = this.lastSlot * TARGET_SLOTS + targetNo;
    if (codesNo >= this.heads.length) this.heads = grown(this.heads, codesNo + 1, -1);
    for (let g = this.heads[codesNo]!; g >= 0; g = this.next[g]!) {
      if (this.keys[g] === key) {
        this.counts[g] = this.counts[g]! + 1;
        this.pence[g] = addPence(this.pence[g]!, amountPence);
        return;
      }
    }
    invariant(targetNo >= 0 && targetNo < TARGET_SLOTS && Number.isSafeInteger(amountPence), `line totals key out of range (target ${targetNo}) or amount not whole pence`);
    const g = this.size++;
    if (g >= this.keys.length) this.grow();
    this.keys[g] = key;
    this.next[g] = this.heads[codesNo]!;
    this.heads[codesNo] = g;
    this.counts[g] = 1;
    this.pence[g] = amountPence;
    this.codesOf[g] = codes;
    this.targetOf[targetNo] = target;
  }

  /** Hands over the groups held and starts empty. */
  take(): Group[] {
    const rows = new Array<Group>(this.size);
    for (let g = 0; g < this.size; g++) {
      const key = this.keys[g]!;
      const target = this.targetOf[key & (TARGET_SLOTS - 1)]!;
      rows[g] = {
        period: this.periodOfSlot[key >>> TARGET_BITS]!,
        status: target.status,
        schemeId: target.schemeId,
        codes: this.codesOf[g]!,
        lineCount: this.counts[g]!,
        amountPence: this.pence[g]!,
      };
    }
    this.heads.fill(-1);
    this.codesOf = [];
    this.size = 0;
    return rows;
  }

  private slotOf(period: PeriodKey): number {
    let slot = this.periodSlots.get(period);
    if (slot === undefined) {
      slot = this.periodSlots.size;
      invariant(slot < PERIOD_SLOTS, `line totals key out of range (period slot ${slot})`);
      this.periodSlots.set(period, slot);
      this.periodOfSlot[slot] = period;
    }
    return slot;
  }

  private grow(): void {
    const length = this.keys.length * 2;
    this.keys = grown(this.keys, length, 0);
    this.next = grown(this.next, length, 0);
    this.counts = grown(this.counts, length, 0);
    this.pence = grown(this.pence, length, 0);
  }
}

function grown<T extends Int32Array | Float64Array>(array: T, atLeast: number, fill: number): T {
  let length = array.length;
  while (length < atLeast) length *= 2;
  const bigger = new (array.constructor as new (length: number) => T)(length);
  bigger.set(array);
  bigger.fill(fill, array.length);
  return bigger;
}

/** A file's periods (an extract spans at most a few years of 13) and its mapping targets (rules + 1): 2^8 × 2^16 stays a small integer. */
const PERIOD_SLOTS = 1 << 8;
const TARGET_BITS = 16;
const TARGET_SLOTS = 1 << TARGET_BITS;
