// The import fuzz's case generator: one fast-check arbitrary mixing every kind of case — the
// example extracts mutated (fuzz-mutate.ts), extracts generated with known contents
// (fuzz-generated.ts), and limits met or just missed (fuzz-hostile.ts). The weights keep most
// cases cheap; the full-scale hostile files (100 MB lines, zip bombs) are `heavyCases`, run as
// their own tests and now and then by `npm run fuzz`.

import fc from 'fast-check';
import type { FuzzCase, FuzzFixtures } from './fuzz-fixtures.js';
import { councilCsv, nhsCsv, nhsXlsx } from './fuzz-generated.js';
import { limitCases } from './fuzz-hostile.js';
import { linesAt, mutationCases } from './fuzz-mutate.js';

export { heavyCases } from './fuzz-hostile.js';
export { loadFuzzFixtures, type FuzzCase, type FuzzFixtures } from './fuzz-fixtures.js';

export function fuzzCases(fixtures: FuzzFixtures): fc.Arbitrary<FuzzCase> {
  const weighted = (weight: number) => (arbitrary: fc.Arbitrary<FuzzCase>) => ({ weight, arbitrary });
  return fc.oneof(
    ...mutationCases(fixtures).map(weighted(6)),
    ...[councilCsv, nhsCsv, nhsXlsx].map(weighted(8)),
    ...generatedMutations().map(weighted(4)),
    ...limitCases(fixtures).map(weighted(2)),
  );
}

/**
 * Generated extracts (some past 64 KiB, so across the reader's pieces) cut, flipped or given
 * a NUL: the NUL must be reported on the line it is on, however far into the file.
 */
function generatedMutations(): fc.Arbitrary<FuzzCase>[] {
  const generated = fc.oneof(councilCsv, nhsCsv, nhsXlsx);
  const csv = fc.oneof(councilCsv, nhsCsv);
  const cut = fc.tuple(generated, fc.nat()).map(([c, n]): FuzzCase => {
    const bytes = c.bytes!;
    return { ...c, generator: `${c.generator}-cut`, bytes: bytes.subarray(0, n % bytes.length), expect: { kind: 'any' } };
  });
  const flip = fc.tuple(generated, fc.nat(), fc.integer({ min: 0, max: 255 })).map(([c, at, value]): FuzzCase => {
    const bytes = Buffer.from(c.bytes!);
    bytes[at % bytes.length] = value;
    return { ...c, generator: `${c.generator}-flip`, bytes, expect: { kind: 'any' } };
  });
  const nul = fc.tuple(csv, fc.nat()).map(([c, pick]): FuzzCase => {
    const bytes = c.bytes!;
    const at = pick % (bytes.length + 1);
    const lines = linesAt(bytes, at, c.newline === '\r' ? 0x0d : 0x0a);
    return { ...c, generator: `${c.generator}-nul`, bytes: Buffer.concat([bytes.subarray(0, at), Buffer.from([0]), bytes.subarray(at)]), expect: { kind: 'reject', codes: ['FILE_ENCODING'], lines } };
  });
  return [cut, flip, nul];
}

/** The case a seed gives: `npm run fuzz -- --cases 1 --seed S` makes it again. */
export function caseAt(arbitrary: fc.Arbitrary<FuzzCase>, seed: number): FuzzCase {
  return fc.sample(arbitrary, { seed, numRuns: 1 })[0]!;
}
