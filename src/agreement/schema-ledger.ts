// A ledger as the agreement describes it: how its extracts are laid out (`extract`, which becomes
// the model's FileSettings) and its ordered mapping rules. Both may live in a separate ledger
// file named by `file:` (see include.ts), which is why `extract` is optional here: validate.ts
// asks for it once includes are resolved.

import * as z from 'zod';
import { Code, ColumnName, Id, Ref } from './schema-values.js';

const Columns = z
  .strictObject({
    date: ColumnName.optional().describe('transaction or posting date; gives the period when there is no period column'),
    period: ColumnName.optional().describe('the ledger period (1..13, M03, 2025-26 M03, ...)'),
    year: ColumnName.optional().describe('financial year column, for files whose period is a bare number'),
    amount: ColumnName.optional().describe('one signed amount column (expenditure positive); or give debit and credit'),
    debit: ColumnName.optional(),
    credit: ColumnName.optional(),
    description: ColumnName.optional(),
    id: ColumnName.optional().describe('transaction / line id, if the ledger has one'),
    codes: z.array(ColumnName).default([]).describe('the analysis code columns, in order (cost centre, subjective, ...)'),
  })
  .describe('which header columns hold what; every other column is kept as it is');

/** A whole number of at least 1 and at most `max` (bounds keep a typo from disabling a guard). */
const limit = (max: number, description: string) => z.int().min(1).max(max).optional().describe(description);

const ExtractLimits = z
  .strictObject({
    max_file_mb: limit(1_048_576, 'largest file, in MB of 1,048,576 bytes; default 4096'),
    max_line_chars: limit(16_777_216, 'longest CSV record, in characters; default 1000000'),
    max_columns: limit(1_048_576, 'most columns in the header row (and in an XLSX row); default 16384'),
    max_lines: limit(1_000_000_000, 'most data lines in one file; default 25000000'),
    max_cell_chars: limit(16_777_216, 'longest field (cell), in characters; default 32767'),
    max_xlsx_mb: limit(65_536, 'XLSX: most MB the parts Tandem reads inflate to; default 1024'),
    max_shared_strings: limit(100_000_000, 'XLSX: most shared strings (distinct cell texts); default 2000000'),
    max_shared_string_chars: limit(400_000_000, 'XLSX: most characters in all shared strings together; default 100000000'),
  })
  .meta({ id: 'ExtractLimits', description: 'limits on one extract, so a broken or hostile file is refused in bounded time and memory; each defaults far above any real extract' });

export const ExtractSettings = z
  .strictObject({
    format: z.enum(['auto', 'csv', 'xlsx']).default('auto').describe('auto: by the extension (.xlsx, otherwise CSV)'),
    encoding: z.enum(['utf-8', 'windows-1252']).default('utf-8'),
    delimiter: z.string().length(1).default(','),
    sheet: z.string().nullable().default(null).describe('XLSX: the sheet to read; default the first'),
    skip_top: z.int().min(0).default(0).describe('lines (rows) above the header row, such as a title'),
    skip_bottom: z.int().min(0).default(0).describe('lines (rows) at the bottom that are not data, such as totals'),
    columns: Columns,
    date_format: z.enum(['auto', 'DD/MM/YYYY', 'YYYY-MM-DD', 'DD-MMM-YY', 'DD-MMM-YYYY', 'excel']).default('auto'),
    decimal_comma: z.boolean().default(false).describe('amounts written 1 234,56'),
    period13: z.enum(['M12', 'reject']).default('M12').describe('where period 13 / adjustment periods go'),
    limits: ExtractLimits.optional(),
  })
  .meta({ id: 'ExtractSettings', description: 'how the ledger’s extracts are laid out' });

const tests = {
  equals: Code.optional(),
  in: z.array(Code).min(1).optional(),
  prefix: Code.optional(),
  range: z.tuple([Code, Code]).optional().describe('[from, to], inclusive; numeric when both ends and the value are numbers'),
  pattern: z.string().optional().describe('a regular expression (JavaScript) that must match the whole value'),
};

export const ConditionTests = z.strictObject(tests).meta({ id: 'ConditionTests' });
export const ListCondition = z.strictObject({ column: ColumnName, ...tests }).meta({ id: 'ListCondition' });

/** `{Column: value}` (a plain value means equals) or a list of `{column: ..., <test>: ...}`. */
export const When = z.union([
  z.record(ColumnName, z.union([Code, ConditionTests])),
  z.array(ListCondition),
]);

export const MappingRule = z
  .strictObject({
    when: When.describe('conditions on the extract’s columns; all must hold'),
    scheme: Ref.optional().describe('the scheme matching lines go to'),
    out_of_scope: z.boolean().optional().describe('true: matching lines are outside the fund'),
    note: z.string().optional(),
  })
  .meta({ id: 'MappingRule' });

export const LedgerMode = z.enum(['replace', 'append']);

/** The keys a ledger file (`file:`) may hold; the rest of the ledger is stated in the agreement. */
export const LEDGER_FILE_KEYS = ['mode', 'extract', 'rules'] as const;

export const Ledger = z.strictObject({
  id: Id,
  name: z.string().min(1),
  partner: Ref.describe('the partner whose finance system this is'),
  mode: LedgerMode.default('replace').describe('replace: each extract is complete for its periods; append: extracts add lines'),
  file: z.string().optional().describe('a ledger file, relative to the agreement, holding mode, extract and rules'),
  extract: ExtractSettings.optional(),
  rules: z.array(MappingRule).default([]).describe('tried in order; the first whose conditions all hold decides'),
});

export type LedgerDoc = z.output<typeof Ledger>;
export type ExtractDoc = z.output<typeof ExtractSettings>;
export type ExtractLimitsDoc = z.output<typeof ExtractLimits>;
export type MappingRuleDoc = z.output<typeof MappingRule>;
export type ConditionTestsDoc = z.output<typeof ConditionTests>;
