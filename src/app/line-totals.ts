// Per-batch totals by (period, status, scheme, code combination): what status, the suspense
// queue and the close read, so they aggregate a few thousand rows rather than every line.
// Memory is bounded by the number of distinct combinations, not by the number of lines.

import { addPence, type Pence } from '../domain/money.js';
import type { PeriodKey } from '../domain/period.js';
import type { LineStatus, LineTotal } from '../store/types.js';

export class LineTotalsAccumulator {
  private readonly groups = new Map<string, Omit<LineTotal, 'batchId'>>();

  add(period: PeriodKey, status: LineStatus, schemeId: string | null, codes: string, amountPence: Pence): void {
    const key = `${period}\u0000${status}\u0000${schemeId ?? ''}\u0000${codes}`;
    const group = this.groups.get(key);
    if (group) {
      group.lineCount += 1;
      group.amountPence = addPence(group.amountPence, amountPence);
    } else {
      this.groups.set(key, { period, status, schemeId, codes, lineCount: 1, amountPence });
    }
  }

  rows(): Omit<LineTotal, 'batchId'>[] {
    return [...this.groups.values()];
  }
}
