// Golden tests (test/golden/import-errors/README.md): each small bad file against the exact,
// hand-written list of problems a finance officer should see.

import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parsePeriodArg, parseYear } from '../domain/period.js';
import { fileSettings, readAll, readOptions, type SettingsOverrides } from '../../test/fixtures/import/helpers.js';

const GOLDEN = join(import.meta.dirname, '../../test/golden/import-errors');

interface GoldenSettings {
  file: SettingsOverrides;
  read: { years: string[]; period: string | null; year: string | null; maxProblems?: number };
}

function year(text: string): number {
  const parsed = parseYear(text);
  if (parsed === undefined) throw new Error(`bad year ${text} in a golden settings.json`);
  return parsed;
}

describe('golden import errors', () => {
  const cases = readdirSync(GOLDEN, { withFileTypes: true }).filter((entry) => entry.isDirectory());

  it('has the cases the import contract lists', () => {
    expect(cases.length).toBeGreaterThanOrEqual(11);
  });

  for (const { name } of cases) {
    it(name, async () => {
      const dir = join(GOLDEN, name);
      const settings = JSON.parse(readFileSync(join(dir, 'settings.json'), 'utf8')) as GoldenSettings;
      const expected: unknown = JSON.parse(readFileSync(join(dir, 'expected.json'), 'utf8'));
      const { read } = settings;
      const result = await readAll(
        join(dir, 'input.csv'),
        readOptions(fileSettings(settings.file), {
          fileName: 'input.csv',
          years: read.years.map(year),
          year: read.year === null ? null : year(read.year),
          period: read.period === null ? null : (parsePeriodArg(read.period) ?? null),
          ...(read.maxProblems === undefined ? {} : { maxProblems: read.maxProblems }),
        }),
      );
      expect(result.problems).toEqual(expected);
    });
  }
});
