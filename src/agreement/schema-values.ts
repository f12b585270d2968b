// The small values an agreement is made of, as zod schemas: ids, amounts in pounds (turned into
// exact pence), financial years, percentages and ledger codes. Each failure carries a stable
// problem code in `params.code`, which zod-problems.ts turns into an AgreementProblem.

import * as z from 'zod';
import { parseAmount, type AmountResult } from '../domain/money.js';
import { parseYear } from '../domain/period.js';

/** Letters, digits, `_` and `-`, starting with a letter or digit: safe in paths, CLI arguments and file names. */
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_-]*$/;

export const Id = z
  .string()
  .refine((text) => ID_PATTERN.test(text), {
    message: 'an id is letters, digits, "_" and "-", starting with a letter or digit',
    params: { code: 'ID_INVALID' },
  })
  .meta({ pattern: ID_PATTERN.source });

/** A reference to something with an id (a partner, pool or scheme); validate.ts checks it exists. */
export const Ref = z.string();

/**
 * A YAML amount in pounds, exactly: the number's shortest decimal text (String(6000000.5) is
 * "6000000.5") is parsed like a ledger amount, so no binary fraction ever reaches the pence.
 */
export function poundsToPence(value: number | string): AmountResult {
  if (typeof value === 'number' && !Number.isFinite(value)) {
    return { ok: false, code: 'AMOUNT_INVALID', reason: `${String(value)} is not an amount` };
  }
  return parseAmount(String(value));
}

const AMOUNT_HELP =
  'Pounds: a number (6000000 or 6000000.50) or a string ("£6,000,000", "6,000,000.00"); at most two decimal places.';

export const Amount = z
  .union([z.number(), z.string()])
  .transform((value, ctx) => {
    const result = poundsToPence(value);
    if (result.ok) return result.pence;
    ctx.addIssue({ code: 'custom', message: result.reason, params: { code: result.code } });
    return z.NEVER;
  })
  .meta({ id: 'Amount', description: AMOUNT_HELP });

export const NonNegativeAmount = Amount.refine((pence) => pence >= 0, {
  message: 'the amount must not be negative',
  params: { code: 'AMOUNT_NEGATIVE' },
}).meta({ id: 'NonNegativeAmount', description: `${AMOUNT_HELP} Not negative.` });

/** `2025-26`; kept as written (it is also the key of the YAML mapping), parsed when the model is built. */
export const YearText = z
  .string()
  .refine((text) => /^[0-9]{4}-[0-9]{2}$/.test(text) && parseYear(text) !== undefined, {
    message: 'a financial year is written like 2025-26 (the second part is the next year)',
    params: { code: 'YEAR_INVALID' },
  })
  .meta({ pattern: '^[0-9]{4}-[0-9]{2}$' });

/** Hundredths of a percent, exactly, or undefined: percentages have at most two decimal places. */
export function percentHundredths(value: number): number | undefined {
  const result = parseAmount(String(value));
  return result.ok ? result.pence : undefined;
}

export function percent(max: number | null) {
  const limit = max === null ? 'not negative' : `between 0 and ${max}`;
  return z
    .number()
    .refine(
      (value) => {
        const hundredths = percentHundredths(value);
        return hundredths !== undefined && hundredths >= 0 && (max === null || hundredths <= max * 100);
      },
      { message: `a percentage is a number ${limit} with at most two decimal places`, params: { code: 'PERCENT_INVALID' } },
    )
    .meta(max === null ? { minimum: 0 } : { minimum: 0, maximum: max });
}

/**
 * A ledger code or value as text. Whole numbers are accepted (`5001`) and kept as text; the YAML
 * reader already keeps `05001` as text, so a leading zero is never lost.
 */
export const Code = z
  .union([z.string(), z.int()])
  .transform((value) => String(value))
  .meta({ id: 'Code', description: 'A ledger code or value, as text; a whole number such as 5001 is read as "5001".' });

/** The name of a column in a ledger extract's header row. */
export const ColumnName = z.string().min(1);
