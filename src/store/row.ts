// Reading values out of database rows, checked. PostgreSQL returns BIGINT and SUM/COUNT as
// text; the SQLite driver returns every integer as bigint. Both become plain numbers here, and
// only if they are safe integers: a value that would lose precision is a bug, not a rounding.

import { assertPence, invariant, type Pence } from '../domain/money.js';
import type { SqlRow } from './driver.js';

const INTEGER_TEXT = /^-?\d+$/;

export function int(row: SqlRow, column: string): number {
  const value = row[column];
  invariant(value !== null && value !== undefined, `column ${column} is null`);
  return toSafeInteger(value, column);
}

export function intOrNull(row: SqlRow, column: string): number | null {
  const value = row[column];
  return value === null || value === undefined ? null : toSafeInteger(value, column);
}

export function pence(row: SqlRow, column: string): Pence {
  const value = int(row, column);
  assertPence(value, column);
  return value;
}

export function text(row: SqlRow, column: string): string {
  const value = row[column];
  invariant(typeof value === 'string', `column ${column} should be text, got ${typeof value}`);
  return value;
}

export function textOrNull(row: SqlRow, column: string): string | null {
  const value = row[column];
  if (value === null || value === undefined) return null;
  invariant(typeof value === 'string', `column ${column} should be text, got ${typeof value}`);
  return value;
}

function toSafeInteger(value: unknown, column: string): number {
  let result: number | undefined;
  if (typeof value === 'number') result = value;
  else if (typeof value === 'bigint') result = Number(value);
  else if (typeof value === 'string' && INTEGER_TEXT.test(value)) result = Number(value);
  invariant(
    result !== undefined && Number.isSafeInteger(result) && (typeof value !== 'bigint' || BigInt(result) === value),
    `column ${column} should be a safe integer, got ${String(value)}`,
  );
  return result;
}
