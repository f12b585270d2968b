// Small helpers for building SQL text. Only identifiers written in this codebase and `?`
// placeholders ever go into SQL; every value travels as a parameter.

import { invariant } from '../domain/money.js';

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

export function identifier(name: string): string {
  invariant(IDENTIFIER.test(name), `not a plain SQL identifier: ${name}`);
  return name;
}

/** `?, ?, ?` for an IN list or a VALUES row. */
export function placeholders(count: number): string {
  invariant(Number.isInteger(count) && count > 0, `placeholder count must be positive, got ${count}`);
  return new Array<string>(count).fill('?').join(', ');
}

/** `INSERT INTO t (a, b) VALUES (?, ?), (?, ?)` for `rows` rows. */
export function multiRowInsert(table: string, columns: readonly string[], rows: number): string {
  const row = `(${placeholders(columns.length)})`;
  return `INSERT INTO ${identifier(table)} (${columns.map(identifier).join(', ')}) VALUES ${new Array<string>(rows).fill(row).join(', ')}`;
}

/**
 * Rewrites `?` placeholders to PostgreSQL's `$1, $2, …`, leaving `?` inside quoted strings and
 * identifiers alone. Shared SQL contains no comments holding `?`, and no dollar-quoted bodies
 * (those live only in migrations, which run without parameters).
 */
export function numberPlaceholders(sql: string): string {
  let out = '';
  let next = 1;
  let quote: string | null = null;
  for (const ch of sql) {
    if (quote !== null) {
      if (ch === quote) quote = null; // a doubled quote closes and reopens: still right
      out += ch;
    } else if (ch === "'" || ch === '"') {
      quote = ch;
      out += ch;
    } else if (ch === '?') {
      out += `$${next++}`;
    } else {
      out += ch;
    }
  }
  return out;
}

export function chunked<T>(items: readonly T[], size: number): T[][] {
  invariant(Number.isInteger(size) && size > 0, `chunk size must be positive, got ${size}`);
  const chunks: T[][] = [];
  for (let start = 0; start < items.length; start += size) chunks.push(items.slice(start, start + size));
  return chunks;
}
