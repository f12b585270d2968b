// One record of text fields to one ExtractLine: its amount, date, period, id and analysis codes.
// Every problem on the line is logged (not just the first), and a line with any problem is not
// returned. This runs once per line of files with millions of lines, so it avoids allocating
// where it can: NaN marks "problem already logged" instead of result objects.

import type { Pence } from '../domain/money.js';
import { readAmount } from './amount-field.js';
import { isoOfDay, type PackedDay } from './calendar.js';
import { NOT_A_DATE, dateProblem, readDay } from './date-field.js';
import type { Column, ColumnPlan } from './header.js';
import { LinePeriods, isBlank } from './line-period.js';
import { groupDigits, type ProblemLog } from './problems.js';
import type { ExtractLine, ReadOptions } from './types.js';

/** ISO texts of recent dates: a ledger repeats a few hundred dates across a million lines. */
const MAX_CACHED_DATES = 4096;
/** What a workbook's date column may also hold, tried after the ledger's own date format. */
const SPREADSHEET_DATES = ['YYYY-MM-DD', 'excel'] as const;

export class LineParser {
  private readonly periods: LinePeriods;
  private readonly decimalComma: boolean;
  /** First line of each transaction id, kept only when the ledger has an id column. */
  private readonly idLines = new Map<string, number>();
  private readonly isoCache = new Map<PackedDay, string>();

  /**
   * `spreadsheet`: the extract is a workbook, whose date cells arrive as ISO dates and whose
   * date column may hold bare serial numbers; the date format describes dates typed as text.
   */
  constructor(
    private readonly plan: ColumnPlan,
    private readonly options: ReadOptions,
    private readonly log: ProblemLog,
    private readonly spreadsheet: boolean,
    private readonly maxCellChars: number,
  ) {
    this.periods = new LinePeriods(plan, options, log);
    this.decimalComma = options.settings.decimalComma;
  }

  parse(fields: string[], lineNo: number): ExtractLine | null {
    const { plan, log } = this;
    if (fields.length !== plan.header.length) {
      log.add('FIELD_COUNT', lineNo, null, `this line has ${fields.length} fields, but the header has ${plan.header.length}`);
      return null;
    }
    for (let i = 0; i < fields.length; i++) {
      if (fields[i]!.length > this.maxCellChars) return this.cellTooLong(fields, lineNo);
    }
    const problemsBefore = log.count;
    const amountPence = plan.amount !== null ? this.signedAmount(fields, lineNo, plan.amount) : this.debitMinusCredit(fields, lineNo);
    const day = this.dayOf(fields, lineNo);
    const period = this.periods.resolve(fields, lineNo, day);
    const lineId = this.lineIdOf(fields, lineNo);
    if (log.count !== problemsBefore) return null;
    return {
      lineNo,
      period,
      amountPence,
      date: day > 0 ? this.iso(day) : null,
      description: plan.description === null ? null : fields[plan.description.index]!.trim(),
      lineId,
      codes: this.codesOf(fields),
      raw: fields,
    };
  }

  /** Every over-long field of the line, each a problem; the line is not imported. */
  private cellTooLong(fields: string[], lineNo: number): null {
    fields.forEach((field, i) => {
      if (field.length <= this.maxCellChars) return;
      const reason = `this field has ${groupDigits(field.length)} characters, over the limit of ${groupDigits(this.maxCellChars)} (extract.limits.max_cell_chars)`;
      this.log.add('CELL_TOO_LONG', lineNo, this.plan.header[i] || `column ${i + 1}`, reason);
    });
    return null;
  }

  private signedAmount(fields: string[], lineNo: number, column: Column): Pence {
    const result = readAmount(fields[column.index]!, this.decimalComma);
    if (result.ok) return result.pence;
    this.log.add(result.code, lineNo, column.name, result.reason);
    return NaN;
  }

  /** Amount = debit − credit; exactly one side may carry a (non-zero) amount. */
  private debitMinusCredit(fields: string[], lineNo: number): Pence {
    const debit = this.plan.debit!;
    const credit = this.plan.credit!;
    const debitText = fields[debit.index]!;
    const creditText = fields[credit.index]!;
    if (isBlank(debitText) && isBlank(creditText)) {
      this.log.add('AMOUNT_EMPTY', lineNo, null, `neither "${debit.name}" nor "${credit.name}" has an amount`);
      return NaN;
    }
    const debitPence = isBlank(debitText) ? 0 : this.signedAmount(fields, lineNo, debit);
    const creditPence = isBlank(creditText) ? 0 : this.signedAmount(fields, lineNo, credit);
    if (debitPence !== 0 && creditPence !== 0 && !Number.isNaN(debitPence) && !Number.isNaN(creditPence)) {
      this.log.add(
        'DEBIT_AND_CREDIT',
        lineNo,
        null,
        `both "${debit.name}" ("${debitText.trim()}") and "${credit.name}" ("${creditText.trim()}") have an amount; a line can have only one`,
      );
      return NaN;
    }
    return debitPence - creditPence;
  }

  /** The line's date as a PackedDay; 0 if it has none; negative once a bad date is logged. */
  private dayOf(fields: string[], lineNo: number): PackedDay {
    const column = this.plan.date;
    if (column === null) return 0;
    const text = fields[column.index]!;
    if (isBlank(text)) return 0;
    const format = this.options.settings.dateFormat;
    let day = readDay(text, format);
    let readAs = format;
    for (const fallback of this.spreadsheet ? SPREADSHEET_DATES : []) {
      if (day !== NOT_A_DATE) break;
      day = readDay(text, fallback);
      readAs = fallback;
    }
    if (day > 0) return day;
    this.log.add('DATE_INVALID', lineNo, column.name, dateProblem(text, day === NOT_A_DATE ? format : readAs, day));
    return -1;
  }

  private lineIdOf(fields: string[], lineNo: number): string | null {
    const column = this.plan.id;
    if (column === null) return null;
    const id = fields[column.index]!.trim();
    if (id === '') return null;
    const firstLine = this.idLines.get(id);
    if (firstLine === undefined) this.idLines.set(id, lineNo);
    else this.log.add('LINE_ID_DUPLICATE', lineNo, column.name, `transaction id "${id}" is also on line ${firstLine}`);
    return id;
  }

  private codesOf(fields: string[]): string[] {
    const columns = this.plan.codes;
    const codes = new Array<string>(columns.length);
    for (let i = 0; i < columns.length; i++) codes[i] = fields[columns[i]!.index]!.trim();
    return codes;
  }

  private iso(day: PackedDay): string {
    let iso = this.isoCache.get(day);
    if (iso === undefined) {
      iso = isoOfDay(day);
      if (this.isoCache.size < MAX_CACHED_DATES) this.isoCache.set(day, iso);
    }
    return iso;
  }
}
