import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { LinesDigester, parseDigestBlocks, type DigestLine } from './line-digest.js';

function line(lineNo: number, extra: Partial<DigestLine> = {}): DigestLine {
  return { lineNo, period: 202503, amountPence: lineNo * 100, lineId: null, codes: '["C4101","5001"]', raw: `["C4101","5001","${lineNo}.00"]`, ...extra };
}

function digest(chunks: DigestLine[][]) {
  const d = new LinesDigester();
  for (const chunk of chunks) d.add(chunk);
  return d.finish();
}

describe('the digest of a batch’s lines', () => {
  it('is the same however the lines are chunked, and the SHA-256 of its blocks', () => {
    const lines = [2, 3, 999, 1000, 1001, 2500].map((n) => line(n));
    const whole = digest([lines]);
    expect(digest([lines.slice(0, 1), lines.slice(1, 4), [], lines.slice(4)])).toEqual(whole);
    expect(whole.sha256).toBe(createHash('sha256').update(whole.blocksJson).digest('hex'));
    const blocks = parseDigestBlocks(whole.blocksJson)!;
    expect(blocks.map((b) => [b.block, b.firstLineNo, b.lastLineNo, b.lines, b.amountPence])).toEqual([
      [0, 2, 999, 3, 100400],
      [1, 1000, 1001, 2, 200100],
      [2, 2500, 2500, 1, 250000],
    ]);
  });

  it('changes only the block of a line edited, deleted or inserted', () => {
    const lines = [2, 3, 1000, 1001].map((n) => line(n));
    const before = parseDigestBlocks(digest([lines]).blocksJson)!;
    const variants = [
      [line(2), line(3, { amountPence: 301 }), line(1000), line(1001)],
      [line(2), line(3, { lineId: 'TX3' }), line(1000), line(1001)],
      [line(2), line(3, { codes: '["C4101","5002"]' }), line(1000), line(1001)],
      [line(2), line(3, { period: 202504 }), line(1000), line(1001)],
      [line(3), line(1000), line(1001)],
      [line(2), line(3), line(4), line(1000), line(1001)],
    ];
    for (const v of variants) {
      const after = parseDigestBlocks(digest([v]).blocksJson)!;
      expect(after[0]!.sha256).not.toBe(before[0]!.sha256);
      expect(after[1]).toEqual(before[1]);
    }
  });

  it('tells texts apart wherever one ends and the next begins', () => {
    const a = digest([[line(2, { lineId: 'ab', codes: '["c"]' })]]);
    const b = digest([[line(2, { lineId: 'a', codes: 'b["c"]' })]]);
    expect(a.sha256).not.toBe(b.sha256);
  });

  it('tells characters beyond Latin-1 apart, and from the bytes of their UTF-8', () => {
    const euro = digest([[line(2, { raw: '["€1"]' })]]);
    expect(euro.sha256).not.toBe(digest([[line(2, { raw: '["¬1"]' })]]).sha256); // U+20AC and U+00AC share a low byte
    expect(euro.sha256).not.toBe(digest([[line(2, { raw: '["â\u0082¬1"]' })]]).sha256); // "€" as UTF-8 bytes read as Latin-1
    expect(euro.sha256).toBe(digest([[line(2, { raw: '["€1"]' })]]).sha256);
  });

  it('refuses lines out of order (the store pages by line number, and files are read in order)', () => {
    const d = new LinesDigester();
    d.add([line(5)]);
    expect(() => d.add([line(4)])).toThrow(/line 4 comes after line 5/);
    const e = new LinesDigester();
    e.add([line(1500)]);
    expect(() => e.add([line(20)])).toThrow(/comes after a later block/);
  });

  it('reads back only what it writes', () => {
    expect(parseDigestBlocks('[[0,2,3,2,500,"ab"]]')).toEqual([{ block: 0, firstLineNo: 2, lastLineNo: 3, lines: 2, amountPence: 500, sha256: 'ab' }]);
    for (const bad of ['', 'null', '{}', '[[0,2,3,2,500]]', '[[0,2,3,2,"500","ab"]]', '[[0.5,2,3,2,500,"ab"]]']) expect(parseDigestBlocks(bad)).toBeUndefined();
  });
});
