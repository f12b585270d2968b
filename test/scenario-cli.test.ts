// `tandem scenario run` as a user runs it: the built CLI in a child process on the Sheffield
// example scenarios, producing JSON, HTML and an XLSX read back with exceljs; bad files and bad
// options failing with their codes; and no database anywhere.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import ExcelJS from 'exceljs';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ScenarioRunResult } from '../src/app/scenario-run.js';

const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');
const SHIFT = join(process.cwd(), 'examples/sheffield/scenarios/shift-to-prevention.yaml');
const NOTHING = join(process.cwd(), 'examples/sheffield/scenarios/do-nothing.yaml');

let dir: string;

function tandem(...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', cwd: dir });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-scenario-'));
});

describe('tandem scenario run', () => {
  it('projects two scenarios side by side, as JSON, HTML and XLSX', async () => {
    const run = tandem('scenario', 'run', SHIFT, '--compare', NOTHING, '--json', '--out', 'out');
    expect(run.status, run.stderr).toBe(0);
    const result = JSON.parse(run.stdout) as ScenarioRunResult;
    expect(result.scenarios.map((s) => s.scenario.id)).toEqual(['shift-to-prevention', 'do-nothing']);
    // 2025-26, the base year, the same in both. BCF pool: lths spends £109m against £107m → +£2m,
    // within the first band, shared by contributions scc £91m : sccg £94m of £185m:
    //   scc  200,000,000 p × 91/185 = 98,378,378.38 p → 98,378,378 p
    //   sccg 200,000,000 p × 94/185 = 101,621,621.62 p → 101,621,621 p + the last penny = 101,621,622 p
    // nel (aligned, the CCG's): £94.5m against £93m → +£1.5m, the CCG's own.
    for (const s of result.scenarios) {
      const base = s.years[0]!;
      expect(base.fund).toMatchObject({ budgetPence: 27_800_000_000, spendPence: 28_150_000_000, gapPence: 350_000_000 });
      expect(base.partners.map((p) => [p.partner, p.gapSharePence])).toEqual([
        ['scc', 98_378_378],
        ['sccg', 101_621_622 + 150_000_000],
      ]);
      for (const y of s.years) {
        const shares = y.partners.reduce((a, p) => a + p.gapSharePence, 0);
        expect(shares + y.fund.retainedPence, `${s.scenario.id} ${y.label}`).toBe(y.fund.gapPence);
      }
    }
    // The social investor (hand-checked in docs/scenarios.md): 600 avoided × £1,200 = £720,000;
    // then £1,440,000 capped at £1,200,000 a year; then £2,160,000 capped by the year cap and the
    // £480,000 left of the £2,400,000 total cap; then nothing.
    expect(result.scenarios[0]!.investments[0]!.years.map((y) => y.duePence)).toEqual([72_000_000, 120_000_000, 48_000_000, 0]);
    expect(result.comparison!.years).toHaveLength(5);
    expect(result.files.map((f) => f.format)).toEqual(['html', 'xlsx']);

    const html = readFileSync(join(dir, result.files[0]!.path), 'utf8');
    expect(html).toContain('PLANNING SCENARIO');
    expect(html).toContain('Side by side: Shift to prevention and Do nothing');
    expect(html).not.toMatch(/<script/i);
    expect(html).toContain('<svg');

    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(join(dir, result.files[1]!.path));
    expect(workbook.worksheets.map((w) => w.name)).toEqual(['Comparison', 'shift-to-prevention', 'do-nothing']);
    const sheet = workbook.getWorksheet('shift-to-prevention')!;
    let gapRow: ExcelJS.Row | undefined;
    sheet.eachRow((row) => {
      if (row.getCell(1).value === 'Funding gap (spend − budget)') gapRow = row;
    });
    expect(gapRow).toBeDefined();
    const gaps = result.scenarios[0]!.years.map((y) => y.fund.gapPence / 100);
    const cells = [2, 3, 4, 5, 6].map((c) => gapRow!.getCell(c));
    expect(cells.map((c) => (c.value as { result: number }).result)).toEqual(gaps);
    expect((cells[0]!.value as { formula: string }).formula).toMatch(/^ROUND\(B\d+-B\d+,2\)$/);
    expect(cells[0]!.numFmt).toContain('£');
    const comparison = workbook.getWorksheet('Comparison')!;
    const diff = comparison.getRow(comparison.rowCount).getCell(5).value as { formula: string; result: number };
    expect(diff.formula).toMatch(/^ROUND\(D\d+-C\d+,2\)$/);
  });

  it('prints a table and writes nothing without --out', () => {
    const run = tandem('scenario', 'run', SHIFT);
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout).toContain('Shift to prevention (shift-to-prevention), £000s');
    expect(run.stdout).toMatch(/2025-26\s+278,000\.0\s+281,500\.0\s+3,500\.0/);
    expect(readdirSync(dir)).toEqual([]);
  });

  it('rejects a bad scenario file with every problem placed, exit status 1', () => {
    const file = join(dir, 'bad.yaml');
    writeFileSync(file, 'scenario: {id: bad, name: Bad}\nyears: ["2025-26"]\nagreement: ../nowhere.yaml\nprice_inflation_percent: 101\n');
    const run = tandem('scenario', 'run', file, '--json');
    expect(run.status).toBe(1);
    const error = (JSON.parse(run.stdout) as { error: { code: string; problems: { code: string; file: string; line: number; column: number }[] } }).error;
    expect(error.code).toBe('SCENARIO_INVALID');
    expect(error.problems[0]).toMatchObject({ code: 'PERCENT_INVALID', file, line: 4, column: 1 });
    const human = tandem('scenario', 'run', file);
    expect(human.stderr).toContain(`${file}, line 4, column 1, price_inflation_percent: a percentage is a number between 0 and 100`);
  });

  it('escapes every text from the file in the HTML, and refuses a shift bigger than the budget', () => {
    const text = readFileSync(SHIFT, 'utf8').replace('agreement: ../agreement.yaml', `agreement: ${join(process.cwd(), 'examples/sheffield/agreement.yaml')}`);
    writeFileSync(join(dir, 'x.yaml'), text.replace('name: Shift to prevention', 'name: "<b>Shift</b> & co"'));
    const run = tandem('scenario', 'run', 'x.yaml', '--out', '.', '--format', 'html');
    expect(run.status, run.stderr).toBe(0);
    const html = readFileSync(join(dir, 'scenario-shift-to-prevention.html'), 'utf8');
    expect(html).toContain('&lt;b&gt;Shift&lt;/b&gt; &amp; co');
    expect(html).not.toContain('<b>Shift</b>');

    writeFileSync(join(dir, 'y.yaml'), text.replace('"2029-30": 12000000', '"2029-30": 500000000'));
    const tooBig = tandem('scenario', 'run', 'y.yaml', '--json');
    expect(tooBig.status).toBe(1);
    expect(JSON.parse(tooBig.stdout)).toMatchObject({ error: { code: 'SCENARIO_UNWORKABLE' } });
  });

  it('says in --help that it never opens the database, and rejects an unknown format', () => {
    const help = tandem('scenario', 'run', '--help');
    expect(help.stdout).toContain('does not open the database at all');
    expect(help.stdout).not.toMatch(/--db </); // no database option at all
    const bad = tandem('scenario', 'run', SHIFT, '--format', 'pdf', '--out', 'o', '--json');
    expect(bad.status).toBe(2);
    expect(JSON.parse(bad.stdout)).toMatchObject({ error: { code: 'USAGE' } });
    expect(existsSync(join(dir, 'o'))).toBe(false);
  });
});
