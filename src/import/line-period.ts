// Which period a line belongs to (domain.md §3, §5). The period column wins when it has a value;
// else the date's calendar month; else the period given for the import. Then the period must be
// one of the agreement's years, and the import's period if one was given.

import { formatPeriod, formatYear, parseYear, periodOfDate, yearOf, type PeriodKey, type YearStart } from '../domain/period.js';
import { monthOfDay, yearOfDay, type PackedDay } from './calendar.js';
import type { Column, ColumnPlan } from './header.js';
import { parsePeriod, type PeriodContext, type PeriodResult } from './period-field.js';
import type { ProblemLog } from './problems.js';
import type { ReadOptions } from './types.js';

/** Distinct period texts remembered; a ledger has a handful, so this only guards odd files. */
const MAX_CACHED_PERIODS = 1000;
/** Financial years a PeriodKey can hold (period.ts). */
const FIRST_KEY_YEAR = 1900;
const LAST_KEY_YEAR = 2999;

export class LinePeriods {
  private readonly years: Set<YearStart>;
  private readonly yearsText: string;
  private readonly fallbackYear: YearStart | null;
  private readonly cache = new Map<string, PeriodResult>();

  constructor(
    private readonly plan: ColumnPlan,
    private readonly options: ReadOptions,
    private readonly log: ProblemLog,
  ) {
    this.years = new Set(options.years);
    this.yearsText = options.years.map(formatYear).join(', ');
    this.fallbackYear = options.year ?? (options.period === null ? null : yearOf(options.period));
  }

  /**
   * The line's period, or NaN once its problem is logged. `day` is the line's date: a PackedDay,
   * 0 if the line has none, or negative if the date was bad (already reported).
   */
  resolve(fields: string[], lineNo: number, day: PackedDay): PeriodKey {
    const { period: periodColumn, date: dateColumn } = this.plan;
    if (periodColumn !== null && !isBlank(fields[periodColumn.index]!)) return this.fromPeriodColumn(fields, lineNo, periodColumn);
    if (dateColumn !== null && day > 0) return this.fromDate(fields[dateColumn.index]!, lineNo, dateColumn, day);
    if (day < 0) return NaN;
    if (this.options.period !== null) return this.options.period;
    const column = periodColumn ?? dateColumn;
    this.log.add('PERIOD_MISSING', lineNo, column?.name ?? null, `the line has no ${periodColumn ? 'period' : 'date'}, and no period was given for the import`);
    return NaN;
  }

  private fromPeriodColumn(fields: string[], lineNo: number, column: Column): PeriodKey {
    const text = fields[column.index]!;
    const yearColumn = this.plan.year;
    const yearText = yearColumn === null ? '' : fields[yearColumn.index]!.trim();
    const result = this.parse(text, yearText);
    if (!result.ok) {
      if (result.code === 'PERIOD_MISSING' && yearText !== '' && yearColumn !== null) {
        this.log.add('PERIOD_INVALID', lineNo, yearColumn.name, `"${yearText}" is not a financial year (expected e.g. 2025-26)`);
      } else {
        this.log.add(result.code, lineNo, column.name, result.reason);
      }
      return NaN;
    }
    return this.check(result.period, text, lineNo, column);
  }

  private fromDate(text: string, lineNo: number, column: Column, day: PackedDay): PeriodKey {
    const year = yearOfDay(day);
    const month = monthOfDay(day);
    const financialYear = month >= 4 ? year : year - 1;
    if (!this.years.has(financialYear) || financialYear < FIRST_KEY_YEAR || financialYear > LAST_KEY_YEAR) {
      // built by hand: periodKey only holds the years 1900-2999, a date may be outside them
      const shown = `${formatYear(financialYear)} M${String(month >= 4 ? month - 3 : month + 9).padStart(2, '0')}`;
      this.log.add('PERIOD_OUTSIDE_AGREEMENT', lineNo, column.name, this.outsideReason(text, shown));
      return NaN;
    }
    return this.check(periodOfDate(year, month), text, lineNo, column);
  }

  private check(period: PeriodKey, text: string, lineNo: number, column: Column): PeriodKey {
    if (!this.years.has(yearOf(period))) {
      this.log.add('PERIOD_OUTSIDE_AGREEMENT', lineNo, column.name, this.outsideReason(text, formatPeriod(period)));
      return NaN;
    }
    const wanted = this.options.period;
    if (wanted !== null && period !== wanted) {
      this.log.add(
        'PERIOD_MISMATCH',
        lineNo,
        column.name,
        `"${text.trim()}" is in ${formatPeriod(period)}, not ${formatPeriod(wanted)}, the period given for this import`,
      );
      return NaN;
    }
    return period;
  }

  private outsideReason(text: string, period: string): string {
    return `"${text.trim()}" is in ${period}, outside the agreement's financial years (${this.yearsText})`;
  }

  /** parsePeriod with the year for bare month numbers: the line's year column, else the import's. */
  private parse(text: string, yearText: string): PeriodResult {
    const key = yearText === '' ? text : `${yearText}\u0000${text}`;
    const cached = this.cache.get(key);
    if (cached !== undefined) return cached;
    // a year column's year a PeriodKey cannot hold (`0025/26`) is no year: PERIOD_INVALID on that
    // column, not a RangeError from periodKey (found by the import fuzz)
    const columnYear = yearText === '' ? undefined : parseYear(yearText);
    const context: PeriodContext = {
      year: yearText === '' ? this.fallbackYear : columnYear !== undefined && columnYear >= FIRST_KEY_YEAR && columnYear <= LAST_KEY_YEAR ? columnYear : null,
      period13: this.options.settings.period13,
    };
    const result = parsePeriod(text, context);
    if (this.cache.size < MAX_CACHED_PERIODS) this.cache.set(key, result);
    return result;
  }
}

export function isBlank(text: string): boolean {
  return text.length === 0 || (text.charCodeAt(0) <= 32 && text.trim() === '');
}
