// The field readers a ledger extract is parsed with, in one place for the readers and the tests:
// dates, periods and amounts as text goes in, exact values or a reason comes out.

export { parseDate, readDay, dateProblem, NOT_A_DATE, NO_SUCH_DAY, type DateResult } from './date-field.js';
export { parsePeriod, type PeriodContext, type PeriodResult } from './period-field.js';
export { readAmount, plainPence } from './amount-field.js';
