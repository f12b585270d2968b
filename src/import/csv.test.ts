import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { periodKey } from '../domain/period.js';
import { FIXTURES, fileSettings, readAll, readCsv, readOptions, tempFile } from '../../test/fixtures/import/helpers.js';
import { openExtract } from './extract.js';

const HEADER = ['Cost Centre', 'Subjective', 'Description', 'Date', 'Amount'];
const fixture = (name: string) => join(FIXTURES, name);

describe('CSV encodings and line endings', () => {
  const expectFixtureLines = (result: Awaited<ReturnType<typeof readAll>>) => {
    expect(result.problems).toEqual([]);
    expect(result.header).toEqual(HEADER);
    expect(result.lines.map((l) => [l.lineNo, l.description, l.amountPence, l.date, l.period, l.codes])).toEqual([
      [2, 'Home care, Anaïs Dupré', 123456, '2025-05-31', periodKey(2025, 2), ['C100', '5000']],
      [3, 'Équipement café', -25000, '2025-06-01', periodKey(2025, 3), ['C101', '5001']],
      [4, 'Residential - Zoë Brontë', -1250, '2025-06-15', periodKey(2025, 3), ['C102', '5002']],
    ]);
  };

  it('reads UTF-8 with a byte order mark, dropping the mark', async () => {
    expectFixtureLines(await readAll(fixture('utf8-bom.csv'), readOptions(fileSettings())));
  });

  it('reads UTF-8 without a byte order mark', async () => {
    expectFixtureLines(await readAll(fixture('utf8.csv'), readOptions(fileSettings())));
  });

  it('reads Windows-1252 (£ is 0xA3) with CRLF line ends', async () => {
    expectFixtureLines(await readAll(fixture('windows-1252.csv'), readOptions(fileSettings({ encoding: 'windows-1252' }))));
  });

  it('reads a file with a UTF-8 byte order mark as UTF-8 even if the settings say Windows-1252', async () => {
    expectFixtureLines(await readAll(fixture('utf8-bom.csv'), readOptions(fileSettings({ encoding: 'windows-1252' }))));
  });

  it('reads CRLF files without leaving carriage returns in the values', async () => {
    const result = await readAll(fixture('crlf.csv'), readOptions(fileSettings()));
    expectFixtureLines(result);
    expect(result.lines.flatMap((l) => l.raw).some((v) => v.includes('\r'))).toBe(false);
  });

  it('reads old Mac files that end lines with CR alone', async () => {
    const result = await readCsv('Cost Centre,Subjective,Description,Date,Amount\rC1,5000,a,31/05/2025,1\rC2,5000,b,31/05/2025,2\r');
    expect(result.lines.map((l) => [l.lineNo, l.amountPence])).toEqual([
      [2, 100],
      [3, 200],
    ]);
  });

  it('reports Windows-1252 bytes in a UTF-8 file as FILE_ENCODING with the line', async () => {
    const result = await readAll(fixture('windows-1252.csv'), readOptions(fileSettings()));
    expect(result.problems).toEqual([
      {
        code: 'FILE_ENCODING',
        file: 'extract.csv',
        line: 2,
        column: null,
        reason: 'the file is not valid UTF-8: byte 0xEF cannot appear here',
      },
    ]);
    expect(result.lines).toEqual([]);
  });

  it('finds the line of a bad byte far into the file', async () => {
    const good = 'C1,5000,care,31/05/2025,1.00\n'.repeat(9999);
    const bytes = Buffer.concat([Buffer.from(`${HEADER.join(',')}\n${good}`), Buffer.from('C2,5000,caf\xa3,31/05/2025,2.00\n', 'latin1')]);
    const result = await readCsv(bytes);
    expect(result.problems).toEqual([
      expect.objectContaining({ code: 'FILE_ENCODING', line: 10001, reason: expect.stringContaining('0xA3 is £ in Windows-1252') }),
    ]);
  });

  it('rejects bytes that Windows-1252 leaves undefined', async () => {
    const bytes = Buffer.from(`${HEADER.join(',')}\nC1,5000,ok,31/05/2025,1\nC1,5000,b\x81d,31/05/2025,1\n`, 'latin1');
    const result = await readCsv(bytes, { encoding: 'windows-1252' });
    expect(result.problems).toEqual([
      { code: 'FILE_ENCODING', file: 'extract.csv', line: 3, column: null, reason: 'byte 0x81 is not a character in Windows-1252' },
    ]);
  });
});

describe('CSV records', () => {
  it('keeps quoted commas, doubled quotes and newlines, and numbers lines physically', async () => {
    const result = await readAll(fixture('quoted-newline.csv'), readOptions(fileSettings()));
    expect(result.problems).toEqual([]);
    expect(result.lines.map((l) => [l.lineNo, l.description])).toEqual([
      [2, 'Two-line\nnote'],
      [4, 'Three\r\nline\nnote, with "quotes"'],
      [7, 'Plain'],
    ]);
  });

  it('skips lines at the top, ignores blank lines, and drops totals at the bottom', async () => {
    const result = await readAll(fixture('skip-top-bottom.csv'), readOptions(fileSettings({ skipTop: 2, skipBottom: 1 })));
    expect(result.problems).toEqual([]);
    expect(result.header).toEqual(HEADER);
    expect(result.lines.map((l) => [l.lineNo, l.amountPence])).toEqual([
      [5, 10000],
      [6, 20000],
    ]);
  });

  it('trims header names but keeps raw values exactly', async () => {
    const result = await readCsv(' Cost Centre ,Subjective,Description, Date ,Amount\n C1 ,5000,"  padded  ",31/05/2025, 1.00 \n');
    expect(result.header).toEqual(HEADER);
    expect(result.lines[0]!.raw).toEqual([' C1 ', '5000', '  padded  ', '31/05/2025', ' 1.00 ']);
    expect(result.lines[0]!.codes).toEqual(['C1', '5000']);
    expect(result.lines[0]!.description).toBe('padded');
  });

  it('uses the delimiter from the settings', async () => {
    const semicolons = await readCsv('Cost Centre;Subjective;Description;Date;Amount\nC1;5000;a, b;31/05/2025;1 234,56\n', {
      delimiter: ';',
      decimalComma: true,
    });
    expect(semicolons.lines.map((l) => [l.description, l.amountPence])).toEqual([['a, b', 123456]]);
    const tabs = await readCsv('Cost Centre\tSubjective\tDescription\tDate\tAmount\nC1\t5000\ta\t31/05/2025\t1.50\n', { delimiter: '\t' });
    expect(tabs.lines.map((l) => l.amountPence)).toEqual([150]);
  });

  it('reports a line with a different number of fields', async () => {
    const result = await readCsv(`${HEADER.join(',')}\nC1,5000,a,31/05/2025,1\nC1,5000,a,b,31/05/2025,1\nC1,5000\n`);
    expect(result.problems).toEqual([
      { code: 'FIELD_COUNT', file: 'extract.csv', line: 3, column: null, reason: 'this line has 6 fields, but the header has 5' },
      { code: 'FIELD_COUNT', file: 'extract.csv', line: 4, column: null, reason: 'this line has 2 fields, but the header has 5' },
    ]);
    expect(result.lines.map((l) => l.lineNo)).toEqual([2]);
  });

  it('reports an unbalanced quote as CSV_MALFORMED at the line where its record starts', async () => {
    const result = await readCsv(`${HEADER.join(',')}\nC1,5000,a,31/05/2025,1\nC2,5000,"never closed,31/05/2025,2\nC3,5000,c,31/05/2025,3\n`);
    expect(result.problems).toEqual([
      {
        code: 'CSV_MALFORMED',
        file: 'extract.csv',
        line: 3,
        column: 'Description',
        reason: 'a quoted field starts in this record but its closing quote (") never comes, so the rest of the file cannot be split into fields',
      },
    ]);
  });

  it('stops holding an unclosed quote once it runs past the longest record', async () => {
    const tail = 'C9,5000,more,31/05/2025,1.00\n'.repeat(50_000); // 1.4 MB after the bad quote
    const result = await readCsv(`${HEADER.join(',')}\nC1,5000,a,31/05/2025,1\nC2,5000,"oops,31/05/2025,2\n${tail}`);
    expect(result.problems).toEqual([expect.objectContaining({ code: 'CSV_MALFORMED', line: 3, reason: expect.stringContaining('never closed') })]);
  });

  it('reports text after a closing quote as CSV_MALFORMED', async () => {
    const result = await readCsv(`${HEADER.join(',')}\nC1,5000,"a"b,31/05/2025,1\nC2,5000,"c",31/05/2025,2\n`);
    expect(result.problems).toEqual([expect.objectContaining({ code: 'CSV_MALFORMED', line: 2 })]);
  });

  it('ignores blank lines between records and keeps counting them', async () => {
    const result = await readCsv(`${HEADER.join(',')}\n\nC1,5000,a,31/05/2025,1\n   \n,,,,\nC2,5000,b,31/05/2025,2\n\n\n`);
    expect(result.problems).toEqual([]);
    expect(result.lines.map((l) => l.lineNo)).toEqual([3, 6]);
  });
});

describe('CSV whole-file problems', () => {
  it('reports a missing file, a folder, an empty file, a blank file and a header without lines', async () => {
    const options = readOptions(fileSettings());
    const problem = async (path: string) => {
      const opened = await openExtract(path, options);
      return opened.ok ? null : opened.problems.map((p) => [p.code, p.reason]);
    };
    expect(await problem('/no/such/file.csv')).toEqual([['FILE_NOT_FOUND', 'there is no such file']]);
    expect(await problem(dirname(tempFile('in-a-folder.csv', '')))).toEqual([['FILE_NOT_FOUND', 'this is a folder or device, not a file']]);
    expect(await problem(tempFile('empty.csv', ''))).toEqual([['FILE_EMPTY', 'the file is empty']]);
    expect(await problem(tempFile('blank.csv', '\n \r\n\n'))).toEqual([['FILE_EMPTY', 'the file has no header row: there is nothing in it']]);
    expect(await problem(tempFile('header.csv', `${HEADER.join(',')}\r\n\r\n`))).toEqual([
      ['FILE_HEADER_ONLY', 'the file has a header row (line 1) but no data lines'],
    ]);
    const totalsOnly = tempFile('totals.csv', `${HEADER.join(',')}\nTotal,,,,3\n`);
    const opened = await openExtract(totalsOnly, readOptions(fileSettings({ skipBottom: 1 })));
    expect(opened.ok ? [] : opened.problems.map((p) => p.code)).toEqual(['FILE_HEADER_ONLY']);
  });

  it('reports duplicated header names', async () => {
    const opened = await openExtract(tempFile('dup.csv', 'Cost Centre,Subjective,Description,Date,Amount,Amount\n'), readOptions(fileSettings()));
    expect(opened.ok ? [] : opened.problems).toEqual([
      { code: 'COLUMN_DUPLICATE', file: 'extract.csv', line: 1, column: 'Amount', reason: 'the header names column "Amount" twice (columns 5 and 6)' },
    ]);
  });
});

describe('CSV streaming', () => {
  /** A 5,000-line file whose quoted, multi-line records fall across 64 KiB reads and 2,000-line chunks. */
  function generated(): { text: string; lineNos: number[]; amounts: number[] } {
    const rows = [HEADER.join(',')];
    const lineNos: number[] = [];
    const amounts: number[] = [];
    let line = 2;
    for (let i = 0; i < 5000; i++) {
      const multiLine = i % 97 === 0;
      const description = multiLine ? `"Care package ${i},\nsecond line"` : `"Home care, week ${i}"`;
      const pounds = 1000 + (i % 9000);
      rows.push(`C${i},${5000 + (i % 7)},${description},${(i % 28) + 1}/05/2025,"(${pounds.toLocaleString('en-GB')}.${String(i % 100).padStart(2, '0')})"`);
      lineNos.push(line);
      amounts.push(-(pounds * 100 + (i % 100)));
      line += multiLine ? 2 : 1;
    }
    return { text: `${rows.join('\r\n')}\r\n`, lineNos, amounts };
  }

  it('reads 5,000 lines across read and chunk boundaries with the right line numbers', async () => {
    const { text, lineNos, amounts } = generated();
    const path = tempFile('five-thousand.csv', text);
    const result = await readAll(path, readOptions(fileSettings()));
    expect(result.problems).toEqual([]);
    expect(result.lines.map((l) => l.lineNo)).toEqual(lineNos);
    expect(result.lines.map((l) => l.amountPence)).toEqual(amounts);
    expect(result.chunkSizes).toEqual([2000, 2000, 1000]);
    expect(result.sha256).toBe(createHash('sha256').update(readFileSync(path)).digest('hex'));
  });

  it('reads the file only as fast as the chunks are consumed', async () => {
    const path = tempFile('big.csv', `${HEADER.join(',')}\n${'C1,5000,a,31/05/2025,1.00\n'.repeat(200_000)}`);
    const opened = await openExtract(path, readOptions(fileSettings()));
    if (!opened.ok) throw new Error('expected to open');
    const iterator = opened.extract.chunks[Symbol.asyncIterator]();
    const first = await iterator.next();
    expect(first.done).toBe(false);
    expect(first.value!.bytesRead).toBeLessThan(opened.extract.fileBytes / 10);
    expect(() => opened.extract.sha256()).toThrow(/read to the end/);
    let last = first.value!;
    for (let next = await iterator.next(); !next.done; next = await iterator.next()) last = next.value;
    expect(last.bytesRead).toBe(opened.extract.fileBytes);
  });
});
