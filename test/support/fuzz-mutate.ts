// Mutations of the Sheffield example extracts, as fast-check arbitraries of fuzz cases: bytes cut,
// flipped, inserted; NULs; the encoding switched part way; quotes unbalanced; line ends changed;
// hostile text in descriptions; workbooks whose XML is damaged but whose zip is whole (so the
// damage reaches exceljs's parsers). A mutation that keeps the content (line ends, text in a
// description, a workbook rebuilt from the same rows) must import exactly the baseline's lines
// and control total; any other must end in a clear outcome.

import fc from 'fast-check';
import type { Example, Expect, FuzzCase, FuzzFixtures } from './fuzz-fixtures.js';
import { HOSTILE_TEXTS, HOSTILE_UNICODE } from './fuzz-fixtures.js';
import { unzipParts, xlsxOf, xmlEscape, zipParts } from './fuzz-zip.js';

const ANY: Expect = { kind: 'any' };

function caseOf(generator: string, example: Example, bytes: Uint8Array, expect: Expect = ANY): FuzzCase {
  return { generator, ledger: example.ledger, ext: example.ext, bytes, expect };
}

const same = (example: Example, raw?: { lineNo: number; column: number; text: string }[]): Expect => ({
  kind: 'import',
  lines: example.baseline.lines,
  totalPence: example.baseline.totalPence,
  ...(raw === undefined ? {} : { raw }),
});

/** A CSV example as lines of text: latin1 keeps Windows-1252 bytes one to one; UTF-8 as itself. */
function csvLines(example: Example): { lines: string[]; encoding: BufferEncoding } {
  const encoding: BufferEncoding = example.ledger === 'scc' ? 'latin1' : 'utf8';
  return { lines: example.bytes.toString(encoding).split('\r\n'), encoding };
}

/** Fields of one CSV line without newlines in it (the examples have none). */
export function splitCsvLine(line: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i]!;
    if (quoted) {
      if (c === '"' && line[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      fields.push(field);
      field = '';
    } else field += c;
  }
  fields.push(field);
  return fields;
}

export const quoteField = (field: string): string => (/[",\r\n]|^\s|\s$/.test(field) || field === '' ? `"${field.replace(/"/g, '""')}"` : field);

/** Indexes in `lines` of the data lines (by the baseline's physical line numbers). */
const dataLineIndexes = (example: Example): number[] => example.baseline.rows.map((row) => row.lineNo - 1);

/**
 * The physical line (1-based) of a byte put at `at`: line ends before it, plus one. Put between
 * the CR and LF of a CRLF before the reader has seen a line end, it may as well be on the next
 * line (the CR looks like an old Mac line end): both are given.
 */
export function linesAt(bytes: Uint8Array, at: number, newline: number): number[] {
  let line = 1;
  for (let i = 0; i < at; i++) if (bytes[i] === newline) line++;
  return at > 0 && bytes[at - 1] === 0x0d && newline === 0x0a ? [line, line + 1] : [line];
}

function splice(bytes: Uint8Array, at: number, remove: number, insert: Uint8Array): Buffer {
  return Buffer.concat([bytes.subarray(0, at), insert, bytes.subarray(at + remove)]);
}

export function mutationCases(fixtures: FuzzFixtures): fc.Arbitrary<FuzzCase>[] {
  const all = fc.constantFrom(...fixtures.examples);
  const csv = fc.constantFrom(...fixtures.examples.filter((e) => e.ext === 'csv'));
  const xlsx = fc.constantFrom(...fixtures.examples.filter((e) => e.ext === 'xlsx'));
  const bytesOf = (e: Example) => e.bytes;

  const truncate = fc.tuple(all, fc.nat()).map(([e, n]) => caseOf('truncate', e, bytesOf(e).subarray(0, n % e.bytes.length)));
  const flip = fc
    .tuple(all, fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }))
    .map(([e, flips]) => {
      const bytes = Buffer.from(e.bytes);
      for (const [at, value] of flips) bytes[at % bytes.length] = value;
      return caseOf('flip-bytes', e, bytes);
    });
  const insert = fc
    .tuple(all, fc.nat(), fc.uint8Array({ minLength: 1, maxLength: 64 }))
    .map(([e, at, inserted]) => caseOf('insert-bytes', e, splice(e.bytes, at % (e.bytes.length + 1), 0, inserted)));
  const nul = fc.tuple(csv, fc.nat(), fc.integer({ min: 1, max: 4 })).map(([e, pick, count]) => {
    const at = pick % (e.bytes.length + 1);
    return caseOf('nul', e, splice(e.bytes, at, 0, new Uint8Array(count)), { kind: 'reject', codes: ['FILE_ENCODING'], lines: linesAt(e.bytes, at, 0x0a) });
  });

  const encodingSwitch = fc.tuple(csv, fc.nat(), fc.constantFrom('other', 'utf-16')).map(([e, pick, to]) => {
    const { lines, encoding } = csvLines(e);
    const data = dataLineIndexes(e);
    const k = data[pick % data.length]!;
    const fields = splitCsvLine(lines[k]!);
    const column = e.baseline.header.indexOf('Description');
    fields[column] = 'Café £5';
    lines[k] = fields.map(quoteField).join(',');
    const head = Buffer.from(lines.slice(0, k).join('\r\n') + '\r\n', encoding);
    const tailText = lines.slice(k).join('\r\n');
    const refused = { kind: 'reject' as const, codes: ['FILE_ENCODING'], lines: [k + 1] };
    if (to === 'utf-16') return caseOf('encoding-utf16', e, Buffer.concat([head, Buffer.from(tailText, 'utf16le')]), refused);
    if (encoding === 'utf8') {
      // the rest in Windows-1252: `é` and `£` are not UTF-8
      return caseOf('encoding-switch', e, Buffer.concat([head, Buffer.from(tailText, 'latin1')]), refused);
    }
    // the rest in UTF-8 read as Windows-1252: mojibake, but every byte is a character
    const raw = [{ lineNo: k + 1, column, text: Buffer.from('Café £5', 'utf8').toString('latin1') }];
    return caseOf('encoding-switch', e, Buffer.concat([head, Buffer.from(tailText, 'utf8')]), same(e, raw));
  });

  const quotes = fc.tuple(csv, fc.nat(), fc.boolean()).map(([e, pick, add]) => {
    const positions: number[] = [];
    e.bytes.forEach((b, i) => b === 0x22 && positions.push(i));
    const at = add ? pick % (e.bytes.length + 1) : positions[pick % positions.length]!;
    return caseOf('unbalanced-quote', e, add ? splice(e.bytes, at, 0, Buffer.from('"')) : splice(e.bytes, at, 1, new Uint8Array(0)));
  });

  const lineEnds = fc.tuple(csv, fc.constantFrom('\n', '\r', 'mixed'), fc.nat()).map(([e, to, pick]) => {
    const { lines, encoding } = csvLines(e);
    if (to !== 'mixed') return caseOf('line-endings', e, Buffer.from(lines.join(to), encoding), same(e));
    const k = 1 + (pick % (lines.length - 1));
    return caseOf('line-endings-mixed', e, Buffer.from(`${lines.slice(0, k).join('\r\n')}\n${lines.slice(k).join('\n')}`, encoding));
  });

  const injection = fc
    .tuple(csv, fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }))
    .map(([e, picks]) => {
      const { lines, encoding } = csvLines(e);
      const texts = e.ledger === 'scc' ? HOSTILE_TEXTS : [...HOSTILE_TEXTS, ...HOSTILE_UNICODE];
      const data = dataLineIndexes(e);
      const column = e.baseline.header.indexOf('Description');
      const raw = new Map<number, string>();
      for (const [linePick, textPick] of picks) {
        const k = data[linePick % data.length]!;
        const text = texts[textPick % texts.length]!;
        const fields = splitCsvLine(lines[k]!);
        fields[column] = text;
        lines[k] = fields.map(quoteField).join(',');
        raw.set(k, text);
      }
      // a newline inside a quoted description moves the physical line numbers after it
      const lineNoOf = (k: number) => k + 1 + [...raw].filter(([j, text]) => j < k && text.includes('\n')).length;
      const expected = [...raw].map(([k, text]) => ({ lineNo: lineNoOf(k), column, text }));
      return caseOf('injection-csv', e, Buffer.from(lines.join('\r\n'), encoding), same(e, expected));
    });

  const duplicate = fc.tuple(csv, fc.nat()).map(([e, pick]) => {
    const { lines, encoding } = csvLines(e);
    const k = pick % lines.length;
    lines.splice(k, 0, lines[k]!);
    return caseOf('duplicate-line', e, Buffer.from(lines.join('\r\n'), encoding));
  });

  // one bad line repeated: past 100 problems the rest are counted (TOO_MANY_ERRORS)
  const badLines = fc.tuple(csv, fc.nat(), fc.integer({ min: 1, max: 150 })).map(([e, pick, times]) => {
    const { lines, encoding } = csvLines(e);
    const k = dataLineIndexes(e)[pick % e.baseline.lines]!;
    const fields = splitCsvLine(lines[k]!);
    const amount = e.baseline.header.indexOf(e.ledger === 'scc' ? 'Amount' : 'Debit');
    fields[amount] = 'twelve';
    lines.splice(k, 1, ...Array.from({ length: times }, () => fields.map(quoteField).join(',')));
    const codes = times > 100 ? ['TOO_MANY_ERRORS'] : ['AMOUNT_INVALID', 'AMOUNT_EMPTY', 'DEBIT_AND_CREDIT'];
    return caseOf('bad-lines', e, Buffer.from(lines.join('\r\n'), encoding), { kind: 'reject', codes });
  });

  const garbage = fc
    .tuple(all, fc.uint8Array({ maxLength: 4096 }))
    .map(([e, bytes]) => caseOf('garbage', e, bytes));

  return [truncate, flip, insert, nul, encodingSwitch, quotes, lineEnds, injection, duplicate, badLines, garbage, ...workbookMutations(xlsx)];
}

/** Bits of SpreadsheetML, broken and whole, for mutating a part's XML. */
const XML_TOKENS = [
  '<', '>', '</c>', '</row>', '<row>', '<row r="0">', '<row r="-3">', '<row r="99999999999">', '<c r="XFD1" t="s"><v>0</v></c>', '<c r="XFE1"><v>1</v></c>',
  '<c r="A1" t="s"><v>99999999</v></c>', '<c r="B2" t="n"><v>1e308</v></c>', '<c r="B2"><v>NaN</v></c>', '<c>', '<c r="">', '<c r="A0">', '<c r="ZZZZZZ9">', '<v>', '</v>',
  't="s"', 't="inlineStr"', 't="e"', 't="b"', 't="str"', 's="99999"', '<f>SUM(A1)</f>', '&#0;', '&#xD800;', '&amp;', '&unknown;', '<!--', '-->', '<![CDATA[', ']]>',
  '<?xml version="1.0"?>', '<si><t>x</t></si>', '<si>', '<r><t>run</t></r>', '<is><t>=HYPERLINK("http://x","y")</t></is>', '\u0000', '\uFFFE', '"', "'", ' ', '0', '-1', '1048577',
];

function workbookMutations(xlsx: fc.Arbitrary<Example>): fc.Arbitrary<FuzzCase>[] {
  const partNames = ['xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml', 'xl/workbook.xml', 'xl/_rels/workbook.xml.rels', 'xl/styles.xml'];
  const edit = fc.oneof(
    fc.record({ op: fc.constant('insert' as const), at: fc.nat(), token: fc.constantFrom(...XML_TOKENS) }),
    fc.record({ op: fc.constant('delete' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 200 }) }),
    fc.record({ op: fc.constant('repeat' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 400 }), times: fc.integer({ min: 2, max: 50 }) }),
  );
  const xml = fc.tuple(xlsx, fc.constantFrom(...partNames), fc.array(edit, { minLength: 1, maxLength: 4 })).map(([e, name, edits]) => {
    const parts = unzipParts(e.bytes);
    const part = parts.find((p) => p.name === name)!;
    let text = part.data.toString('utf8');
    for (const change of edits) {
      const at = change.at % (text.length + 1);
      if (change.op === 'insert') text = text.slice(0, at) + change.token + text.slice(at);
      else if (change.op === 'delete') text = text.slice(0, at) + text.slice(at + change.length);
      else text = text.slice(0, at) + text.slice(at, at + change.length).repeat(change.times) + text.slice(at + change.length);
    }
    part.data = Buffer.from(text, 'utf8');
    return caseOf('xlsx-xml', e, zipParts(parts));
  });

  // the same rows rebuilt as a workbook of text cells, with hostile text in descriptions, as
  // inline strings, shared strings, or a formula's cached text result
  const injection = fc
    .tuple(xlsx, fc.array(fc.tuple(fc.nat(), fc.nat()), { minLength: 1, maxLength: 3 }), fc.constantFrom('inline', 'shared', 'formula'))
    .map(([e, picks, mode]) => {
      const { header, rows } = e.baseline;
      const column = header.indexOf('Description');
      const texts = [...HOSTILE_TEXTS, ...HOSTILE_UNICODE].filter((t) => !/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufeff]/.test(t));
      const grid = [header, ...rows.map((row) => [...row.raw])];
      const hostile = new Map<number, string>();
      for (const [rowPick, textPick] of picks) {
        const r = 1 + (rowPick % rows.length);
        const text = texts[textPick % texts.length]!;
        grid[r]![column] = text;
        hostile.set(r, text);
      }
      const formula = (row: number, col: number, ref: string, text: string): string | null =>
        mode === 'formula' && col === column + 1 && hostile.has(row - 1) ? `<c r="${ref}" t="str"><f>HYPERLINK("http://evil.example","y")</f><v>${xmlEscape(text)}</v></c>` : null;
      const bytes = xlsxOf(grid, { sharedStrings: mode === 'shared', cell: formula });
      const raw = [...hostile].map(([r, text]) => ({ lineNo: r + 1, column, text }));
      return caseOf(`injection-xlsx-${mode}`, e, bytes, same(e, raw));
    });
  return [xml, injection];
}
