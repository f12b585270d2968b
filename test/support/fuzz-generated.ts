// Extracts generated from scratch by fast-check, in the two Sheffield ledger shapes, with what
// they must import to worked out here, independently of the reader: the number of lines, the
// control total, and each line's description exactly as written (commas, quotes, newlines,
// formulas, markup, any Unicode the file's encoding can hold). The council shape is Windows-1252
// with a title line, a totals line, columns in any order, blank lines and any line ending; the
// NHS shape is UTF-8 (with or without a byte order mark) or an XLSX workbook, debit and credit
// columns and a period number with a year.

import fc from 'fast-check';
import type { FuzzCase } from './fuzz-fixtures.js';
import { HOSTILE_TEXTS } from './fuzz-fixtures.js';
import { quoteField } from './fuzz-mutate.js';
import { xlsxOf, xmlEscape } from './fuzz-zip.js';

interface Amount {
  pence: number;
  text: string;
}

/** Amounts in the forms ledgers write, as text and as the pence they must read as. */
const amount = fc.tuple(fc.integer({ min: -99_999_999_999, max: 99_999_999_999 }), fc.constantFrom('plain', 'grouped', 'brackets', 'pound', 'one-place', 'whole')).map(([raw, form]): Amount => {
  const pence = form === 'one-place' ? raw - (raw % 10) : form === 'whole' ? raw - (raw % 100) : raw;
  const negative = pence < 0;
  const abs = Math.abs(pence);
  const pounds = Math.floor(abs / 100);
  const grouped = pounds.toLocaleString('en-GB');
  const pennies = String(abs % 100).padStart(2, '0');
  switch (form) {
    case 'plain':
      return { pence, text: `${negative ? '-' : ''}${pounds}.${pennies}` };
    case 'grouped':
      return { pence, text: `${negative ? '-' : ''}${grouped}.${pennies}` };
    case 'brackets':
      return { pence, text: negative ? `(${grouped}.${pennies})` : `${grouped}.${pennies}` };
    case 'pound':
      return { pence, text: `${negative ? '-' : ''}£${grouped}.${pennies}` };
    case 'one-place':
      return { pence, text: `${negative ? '-' : ''}${pounds}.${pennies[0]}` };
    default:
      return { pence, text: `${negative ? '-' : ''}${pounds}` };
  }
});

/** A day of the 2025-26 financial year as DD/MM/YYYY. */
const date = fc.integer({ min: 0, max: 364 }).map((n) => {
  const day = new Date(Date.UTC(2025, 3, 1 + n));
  return `${String(day.getUTCDate()).padStart(2, '0')}/${String(day.getUTCMonth() + 1).padStart(2, '0')}/${day.getUTCFullYear()}`;
});

/** Characters a Windows-1252 file can hold, and the bytes of the ones beyond Latin-1. */
const CP1252_EXTRA: Record<string, number> = { '€': 0x80, '–': 0x96, '—': 0x97, '’': 0x92, '“': 0x93, '”': 0x94 };
const text1252 = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom(...'aZ 09,."\'\n\r=+-@<>&;£é€–’“”()/\\|\t#'.split('')), maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_TEXTS) },
);

function encode1252(text: string): Buffer {
  const bytes = Buffer.alloc(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = CP1252_EXTRA[text[i]!] ?? text.charCodeAt(i);
  return bytes;
}

const COUNCIL_COLUMNS = ['Cost Centre', 'Subjective', 'Cost Centre Name', 'Description', 'Transaction Date', 'Amount'];

const councilLine = fc.record({
  costCentre: fc.integer({ min: 4000, max: 4999 }).map((n) => `C${n}`),
  subjective: fc.integer({ min: 1000, max: 9999 }).map(String),
  name: text1252,
  description: text1252,
  date,
  amount,
  blankAfter: fc.boolean(),
});

/**
 * Characters of padding lines to put after the header (0 most of the time): past 64 KiB, the
 * lines after it fall across the reader's 64 KiB pieces, so records, quotes, CRLFs and
 * multi-byte characters are cut between pieces. A padding line holds at most 30,000 characters
 * (under Excel's cell limit) and an amount of zero.
 */
const padding = fc.oneof({ weight: 3, arbitrary: fc.constant(0) }, { weight: 1, arbitrary: fc.integer({ min: 1, max: 140_000 }) });
const PAD_LINE = 30_000;
const padLengths = (pad: number): number[] => Array.from({ length: Math.ceil(pad / PAD_LINE) }, (_, i) => Math.min(PAD_LINE, pad - i * PAD_LINE));

export const councilCsv = fc
  .record({
    pad: padding,
    title: fc.string({ unit: fc.constantFrom(...'Council ledger 2025/26 –,"'.split('')), maxLength: 60 }),
    order: fc.shuffledSubarray(COUNCIL_COLUMNS, { minLength: COUNCIL_COLUMNS.length }),
    extra: fc.array(fc.constantFrom('Notes', 'Ref', 'Batch'), { maxLength: 2 }).map((names) => [...new Set(names)]),
    lines: fc.array(councilLine, { minLength: 1, maxLength: 40 }),
    linebreak: fc.constantFrom('\r\n', '\n', '\r'),
    finalBreak: fc.boolean(),
  })
  .map(({ pad, title, order, extra, lines: generated, linebreak, finalBreak }): FuzzCase => {
    const header = [...order, ...extra];
    const out: string[] = [title, header.map(quoteField).join(',')];
    const raw: { lineNo: number; column: number; text: string }[] = [];
    const column = header.indexOf('Description');
    // the linebreak inside a quoted field is kept as written, and counted as a physical line
    const newlineChar = linebreak === '\r' ? '\r' : '\n';
    let lineNo = 3;
    let total = 0;
    const zero = { pence: 0, text: '0.00' };
    const padLines = padLengths(pad).map((n) => ({ costCentre: 'C4000', subjective: '1000', name: '', description: 'P'.repeat(n), date: '01/04/2025', amount: zero, blankAfter: false }));
    const lines = [...padLines, ...generated];
    for (const line of lines) {
      const values: Record<string, string> = {
        'Cost Centre': line.costCentre,
        Subjective: line.subjective,
        'Cost Centre Name': line.name,
        Description: line.description,
        'Transaction Date': line.date,
        Amount: line.amount.text,
      };
      out.push(header.map((name) => quoteField(values[name] ?? '')).join(','));
      raw.push({ lineNo, column, text: line.description });
      total += line.amount.pence;
      lineNo += 1 + line.description.split(newlineChar).length - 1 + line.name.split(newlineChar).length - 1;
      if (line.blankAfter) {
        out.push('');
        lineNo++;
      }
    }
    out.push(',,,Total,,"0.00"');
    const bytes = encode1252(out.join(linebreak) + (finalBreak ? linebreak : ''));
    return { generator: 'generated-council-csv', ledger: 'scc', ext: 'csv', bytes, newline: newlineChar, expect: { kind: 'import', lines: lines.length, totalPence: total, raw } };
  });


const NHS_HEADER = ['Entity', 'Cost Centre', 'Account', 'Analysis Code', 'Description', 'Year', 'Period', 'Debit', 'Credit'];

/** Any text XML 1.0 can carry (a workbook) or any well-formed text without NUL (a UTF-8 CSV). */
const unicodeText = (forXml: boolean) =>
  fc
    .oneof({ weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 30 }) }, { weight: 1, arbitrary: fc.constantFrom(...HOSTILE_TEXTS) })
    .map((text) => text.replace(forXml ? /[\u0000-\u0008\u000b\u000c\u000d\u000e-\u001f\ufffe\uffff]/g : /\u0000/g, ''));

const nhsLine = (forXml: boolean) =>
  fc.record({
    entity: fc.constantFrom('03N', '03N ', 'X1'),
    costCentre: fc.integer({ min: 700000, max: 709999 }).map(String),
    account: fc.integer({ min: 500000, max: 599999 }).map(String),
    analysis: fc.constantFrom('ASR01', 'CHC01', 'NEL01', 'PKW01', 'ILS01', 'ZZZ99', ''),
    description: unicodeText(forXml),
    period: fc.integer({ min: 1, max: 13 }),
    amount,
    side: fc.constantFrom('debit', 'credit'),
    asNumbers: fc.boolean(),
  });

type NhsLine = ReturnType<typeof nhsLine> extends fc.Arbitrary<infer T> ? T : never;

function nhsRow(line: NhsLine): { row: string[]; pence: number } {
  const plain = `${Math.floor(Math.abs(line.amount.pence) / 100)}.${String(Math.abs(line.amount.pence) % 100).padStart(2, '0')}`;
  const debit = line.side === 'debit' ? plain : '';
  const credit = line.side === 'credit' ? plain : '';
  const pence = (line.side === 'debit' ? 1 : -1) * Math.abs(line.amount.pence);
  return { row: [line.entity, line.costCentre, line.account, line.analysis, line.description, '2025/26', String(line.period), debit, credit], pence };
}

/** Padding rows of the NHS shape: multi-byte characters, so pieces cut them in two. */
function nhsPadding(pad: number): { row: string[]; pence: number }[] {
  return padLengths(pad).map((n) => ({ row: ['03N', '700000', '500000', '', 'é£💷'.repeat(Math.floor(n / 4)), '2025/26', '1', '0.00', ''], pence: 0 }));
}

export const nhsCsv = fc.tuple(fc.array(nhsLine(false), { minLength: 1, maxLength: 40 }), fc.boolean(), padding).map(([generated, bom, pad]): FuzzCase => {
  const rows = [...nhsPadding(pad), ...generated.map(nhsRow)];
  const lines = rows;
  let lineNo = 2;
  const raw = rows.map(({ row }) => {
    const at = { lineNo, column: 4, text: row[4]! };
    lineNo += 1 + (row[4]!.match(/\n/g)?.length ?? 0);
    return at;
  });
  const text = [NHS_HEADER.join(','), ...rows.map(({ row }) => row.map(quoteField).join(','))].join('\r\n') + '\r\n';
  const bytes = Buffer.concat([bom ? Buffer.from([0xef, 0xbb, 0xbf]) : Buffer.alloc(0), Buffer.from(text, 'utf8')]);
  const total = rows.reduce((sum, r) => sum + r.pence, 0);
  return { generator: 'generated-nhs-csv', ledger: 'sccg', ext: 'csv', bytes, newline: '\n', expect: { kind: 'import', lines: lines.length, totalPence: total, raw } };
});

export const nhsXlsx = fc.tuple(fc.array(nhsLine(true), { minLength: 1, maxLength: 40 }), fc.boolean(), padding).map(([generated, shared, pad]): FuzzCase => {
  const padRows = nhsPadding(pad);
  const rows = [...padRows, ...generated.map(nhsRow)];
  const lines = rows;
  const grid = [NHS_HEADER, ...rows.map((r) => r.row)];
  // amounts as number cells where the line says so (exact in binary only to 15 digits: kept small)
  const cell = (row: number, column: number, ref: string, text: string): string | null => {
    const line = generated[row - 2 - padRows.length];
    if (line === undefined || !line.asNumbers || column < 8 || text === '' || Math.abs(line.amount.pence) > 1e12) return null;
    return `<c r="${ref}"><v>${xmlEscape(text)}</v></c>`;
  };
  const raw = rows.map(({ row }, i) => ({ lineNo: i + 2, column: 4, text: row[4]! }));
  const total = rows.reduce((sum, r) => sum + r.pence, 0);
  return {
    generator: 'generated-nhs-xlsx',
    ledger: 'sccg',
    ext: 'xlsx',
    bytes: xlsxOf(grid, { sharedStrings: shared, cell }),
    expect: { kind: 'import', lines: lines.length, totalPence: total, raw },
  };
});
