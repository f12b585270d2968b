// Lines on their way to the store in the import's fast path, column by column.

import type { LineStatus } from './types.js';

/** Where a line went: one of a file's few mapping results (each rule's, and unmapped). */
export interface LineTarget {
  status: LineStatus;
  schemeId: string | null;
  ruleIndex: number | null;
}

/**
 * A chunk of lines to store, column by column: what the import's reader thread hands over
 * (typed arrays move between threads without copying; no object per line on either side).
 * Line i went to `targets[target[i]]`.
 */
export interface LineColumns {
  count: number;
  lineNo: Int32Array;
  period: Int32Array;
  amountPence: Float64Array;
  target: Int32Array;
  targets: LineTarget[];
  /** null when no line of the chunk has a transaction id. */
  lineId: (string | null)[] | null;
  codes: string[];
  /**
   * The codes text's number within the file: equal texts, equal numbers. Not stored; it lets the
   * import's totals key on numbers instead of hashing a fresh text per line (line-totals.ts).
   */
  codesNo: Int32Array;
  /**
   * True when the reader started numbering codes texts afresh before this chunk (it keeps a
   * bounded table of them): totals held under the old numbers must be written out first.
   */
  codesRenumbered: boolean;
  raw: string[];
}
