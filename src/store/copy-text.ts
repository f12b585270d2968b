// PostgreSQL COPY text format: one line per row, tab between fields, \N for NULL, and a
// backslash escape for the characters that would otherwise end a field or a row. JSON text
// (raw, codes) goes through unchanged except for those escapes: `\n` inside a JSON string is
// already the two characters `\` `n`, which must travel as `\\n`.

import { invariant } from '../domain/money.js';
import type { BulkInsert, SqlValue } from './driver.js';

const NEEDS_ESCAPE = /[\\\t\n\r\0]/;
const ESCAPABLE = /[\\\t\n\r\0]/g;
const ESCAPES: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** Characters buffered before handing a chunk to the COPY stream. */
const CHUNK_CHARS = 1 << 20;

export function copyField(value: SqlValue | undefined): string {
  invariant(value !== undefined, 'a bulk insert row left a column unset');
  if (value === null) return '\\N';
  if (typeof value === 'string') return NEEDS_ESCAPE.test(value) ? value.replace(ESCAPABLE, escapeChar) : value;
  if (typeof value === 'number') {
    invariant(Number.isFinite(value), `cannot COPY the number ${value}`);
    return String(value);
  }
  return value.toString();
}

function escapeChar(ch: string): string {
  const escaped = ESCAPES[ch];
  // PostgreSQL text cannot hold U+0000 at all; say so here rather than as a COPY error later.
  invariant(escaped !== undefined, 'text values cannot contain the NUL character (U+0000)');
  return escaped;
}

/** The rows as COPY text, in chunks of about CHUNK_CHARS characters. */
export function* copyTextChunks<R>(spec: BulkInsert<R>, rows: Iterable<R>): Generator<string> {
  const width = spec.columns.length;
  const values = new Array<SqlValue>(width);
  let chunk = '';
  for (const row of rows) {
    spec.write(row, values, 0);
    for (let c = 0; c < width; c++) chunk += (c === 0 ? '' : '\t') + copyField(values[c]);
    chunk += '\n';
    if (chunk.length >= CHUNK_CHARS) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk !== '') yield chunk;
}
