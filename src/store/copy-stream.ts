// One COPY FROM STDIN kept open across bulk inserts into the same table of one transaction.
// The import writes lines in chunks of a few thousand; ending the COPY after each chunk would
// make Node wait for PostgreSQL to finish every chunk before encoding the next (measured:
// ~300k lines/s). Left open, encoding and parsing overlap (~520k lines/s). Any other statement
// on the connection ends the COPY first, so an error in the data surfaces at the latest there.

import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom, type CopyStreamQuery } from 'pg-copy-streams';
import { copyTextChunks } from './copy-text.js';
import type { BulkInsert } from './driver.js';
import { identifier } from './sql-text.js';

export class OpenCopy {
  readonly target: string;
  private readonly stream: CopyStreamQuery;
  private failure: Error | undefined;

  constructor(client: pg.PoolClient, spec: BulkInsert<unknown>) {
    this.target = copyTarget(spec);
    this.stream = client.query(copyFrom(`COPY ${this.target} FROM STDIN`));
    // Kept, and thrown from the next write or from end(); unhandled it would crash the process.
    this.stream.on('error', (error: Error) => {
      this.failure ??= error;
    });
  }

  async write<R>(spec: BulkInsert<R>, rows: readonly R[]): Promise<void> {
    for (const chunk of copyTextChunks(spec, rows)) {
      this.throwIfFailed();
      if (!this.stream.write(chunk)) await once(this.stream, 'drain');
    }
    this.throwIfFailed();
  }

  /** Ends the COPY and waits until PostgreSQL has taken every row (or refused them). */
  async end(): Promise<void> {
    this.throwIfFailed();
    this.stream.end();
    await finished(this.stream);
    this.throwIfFailed();
  }

  private throwIfFailed(): void {
    if (this.failure) throw this.failure;
  }
}

/** `table (col, col)`: two bulk inserts can share a COPY only if this matches. */
export function copyTarget(spec: BulkInsert<unknown>): string {
  return `${identifier(spec.table)} (${spec.columns.map(identifier).join(', ')})`;
}
