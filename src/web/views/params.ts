// Reading what a page's address asks for. Nothing from the address is trusted: periods, sorts and
// page numbers are parsed strictly, names are matched exactly against the agreement's, and a
// bad value is a 400 page that says what was wrong (TandemError USAGE, exit code 2).

import { TandemError } from '../../app/errors.js';
import { formatPeriod, parsePeriodArg, type PeriodKey } from '../../domain/period.js';

/** `2025-26-M03`: a period as it appears in addresses (no spaces, nothing to escape). */
export function periodSlug(period: PeriodKey): string {
  return formatPeriod(period).replace(' ', '-');
}

const PERIOD_SLUG = /^\d{4}-\d{2}-M\d{2}$/;

/** The period of a slug, or undefined for anything else (including `..%2F` and friends). */
export function parsePeriodSlug(text: string): PeriodKey | undefined {
  return PERIOD_SLUG.test(text) ? parsePeriodArg(text) : undefined;
}

/** Ids in the agreement are short words; anything else (a `/`, `..`, spaces) is not an id. */
const ID = /^[A-Za-z0-9_-]{1,64}$/;

export function isId(text: string): boolean {
  return ID.test(text);
}

export function badRequest(message: string): TandemError {
  return new TandemError('USAGE', message, [], 2);
}

/** One of `allowed`, or the default when absent or empty; anything else is a 400. */
export function oneOf<T extends string>(name: string, value: string | undefined, allowed: readonly T[], fallback: T): T {
  if (value === undefined || value === '') return fallback;
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw badRequest(`${name} must be one of ${allowed.join(', ')}; got "${value}"`);
}

/** A page number 1..max; absent means 1. */
export function pageNumber(value: string | undefined, max = 1_000_000): number {
  if (value === undefined || value === '') return 1;
  if (!/^[1-9]\d{0,6}$/.test(value) || Number(value) > max) throw badRequest(`page must be a whole number from 1 to ${max}; got "${value}"`);
  return Number(value);
}

/** Free text of at most `max` characters, trimmed; absent or blank is undefined. */
export function shortText(name: string, value: string | undefined, max: number): string | undefined {
  const text = value?.trim();
  if (text === undefined || text === '') return undefined;
  if ([...text].length > max) throw badRequest(`${name} may have at most ${max} characters`);
  if (/[\u0000-\u001f\u007f]/.test(text)) throw badRequest(`${name} may not contain control characters`);
  return text;
}
