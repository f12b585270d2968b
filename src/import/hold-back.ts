// The last N records of a file are not data when the ledger puts totals there (skipBottom), but a
// stream does not know which records are the last until it ends. So each record waits in a ring
// of N places and is released only when N newer records have arrived; whatever is still waiting
// at the end of the file is the totals, and is dropped.

export class HoldBack {
  private readonly fields: string[][];
  private readonly lineNos: number[];
  private next = 0;
  private held = 0;
  /** The record released by the last `push`, valid when it returned true. */
  releasedFields: string[] = [];
  releasedLineNo = 0;

  constructor(private readonly size: number) {
    this.fields = new Array<string[]>(size);
    this.lineNos = new Array<number>(size);
  }

  /** Hold this record; true if an older one was released (in `releasedFields`/`releasedLineNo`). */
  push(fields: string[], lineNo: number): boolean {
    if (this.size === 0) {
      this.releasedFields = fields;
      this.releasedLineNo = lineNo;
      return true;
    }
    const released = this.held === this.size;
    if (released) {
      this.releasedFields = this.fields[this.next]!;
      this.releasedLineNo = this.lineNos[this.next]!;
    } else {
      this.held++;
    }
    this.fields[this.next] = fields;
    this.lineNos[this.next] = lineNo;
    this.next = (this.next + 1) % this.size;
    return released;
  }
}
