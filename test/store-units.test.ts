// Pure pieces of the store: COPY text escaping, placeholder numbering, URL redaction, the mutex.

import { describe, expect, it } from 'vitest';
import { copyField, copyTextChunks } from '../src/store/copy-text.js';
import { isPostgresUrl, redactUrl } from '../src/store/location.js';
import { Mutex } from '../src/store/mutex.js';
import { chunked, multiRowInsert, numberPlaceholders } from '../src/store/sql-text.js';

describe('COPY text format', () => {
  it('escapes what would end a field or a row, and nothing else', () => {
    expect(copyField(null)).toBe('\\N');
    expect(copyField('\\N')).toBe('\\\\N');
    expect(copyField('a\tb\nc\rd\\e')).toBe('a\\tb\\nc\\rd\\\\e');
    expect(copyField('["£ 🙂","x,y"]')).toBe('["£ 🙂","x,y"]');
    expect(copyField(-9007199254740991)).toBe('-9007199254740991');
    expect(copyField(12n)).toBe('12');
  });

  it('refuses what PostgreSQL text cannot hold', () => {
    expect(() => copyField('nul\0')).toThrow(/NUL/);
    expect(() => copyField(Number.NaN)).toThrow(/cannot COPY/);
  });

  it('writes one line per row, tab-separated', () => {
    const spec = {
      table: 't',
      columns: ['a', 'b'],
      write(row: [number, string | null], out: (string | number | null)[], offset: number) {
        out[offset] = row[0];
        out[offset + 1] = row[1];
      },
    };
    expect([...copyTextChunks(spec, [[1, 'x\ty'], [2, null]])].join('')).toBe('1\tx\\ty\n2\t\\N\n');
  });
});

describe('SQL text', () => {
  it('numbers placeholders outside quotes', () => {
    expect(numberPlaceholders(`SELECT ? , '?' , "a?" , 'it''s ?', ?`)).toBe(`SELECT $1 , '?' , "a?" , 'it''s ?', $2`);
  });

  it('builds multi-row inserts from plain identifiers only', () => {
    expect(multiRowInsert('lines', ['a', 'b'], 2)).toBe('INSERT INTO lines (a, b) VALUES (?, ?), (?, ?)');
    expect(() => multiRowInsert('lines; DROP TABLE x', ['a'], 1)).toThrow(/identifier/);
  });

  it('chunks lists', () => {
    expect(chunked([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(chunked([], 2)).toEqual([]);
  });
});

describe('locations', () => {
  it('tells PostgreSQL URLs from file paths', () => {
    expect(isPostgresUrl('postgres://h/db')).toBe(true);
    expect(isPostgresUrl('postgresql://h/db')).toBe(true);
    expect(isPostgresUrl('./postgres.db')).toBe(false);
    expect(isPostgresUrl('/data/tandem.db')).toBe(false);
  });

  it('removes passwords from URLs', () => {
    expect(redactUrl('postgres://fin:s3cret@db.example:5432/tandem')).toBe('postgres://fin@db.example:5432/tandem');
    expect(redactUrl('postgresql://fin@db/tandem?password=s3cret&sslmode=require')).toBe('postgresql://fin@db/tandem?sslmode=require');
    expect(redactUrl('postgres://fin:s3cret@[bad')).not.toContain('s3cret');
  });
});

describe('mutex', () => {
  it('lets one holder in at a time, in arrival order', async () => {
    const mutex = new Mutex();
    const log: string[] = [];
    const task = (name: string, ms: number) =>
      mutex.runExclusive(async () => {
        log.push(`${name}+`);
        await new Promise((resolve) => setTimeout(resolve, ms));
        log.push(`${name}-`);
      });
    await Promise.all([task('a', 15), task('b', 1), task('c', 5)]);
    expect(log).toEqual(['a+', 'a-', 'b+', 'b-', 'c+', 'c-']);
    expect(mutex.isHeld).toBe(false);
  });
});
