// The built `tandem` CLI as a user runs it, in child processes on a fresh SQLite file: the
// example fund end to end with totals checked against examples/sheffield/EXPECTED.md (computed
// by hand and by an independent script), exit statuses, --json, and bad input writing nothing.

import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';

const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

let dir: string;
let db: string;

function tandem(...args: string[]) {
  const run = spawnSync(process.execPath, [CLI, ...args, '--db', db], { encoding: 'utf8', cwd: dir, env: { ...process.env, TANDEM_USER: 'e2e' } });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, json: () => JSON.parse(run.stdout) as Record<string, unknown> };
}

/** Per-file line counts and totals from EXPECTED.md's per-ledger tables. */
function expectedFiles(): Map<string, { lines: number; totalPence: number }> {
  const doc = readFileSync('examples/sheffield/EXPECTED.md', 'utf8');
  const rows = [...doc.matchAll(/^\| `([^`]+)` \| [^|]+ \| (\d+) \| (-?\d+) \|/gm)];
  return new Map(rows.map((m) => [m[1]!, { lines: Number(m[2]), totalPence: Number(m[3]) }]));
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tandem-e2e-'));
  db = join(dir, 'tandem.db');
});

describe('tandem CLI', () => {
  it('runs the example fund for a year with the hand-checked M01–M03 totals, writes the reports, and a second run changes nothing', () => {
    const first = tandem('demo', '--json', '--out', 'demo-out');
    expect(first.status, first.stderr).toBe(0);
    const out = first.json() as {
      imports: { file: string; lines: number; controlTotalPence: number; status: string }[];
      closed: { period: string; status: string }[];
      reports: { period: string; files: { format: string; path: string }[] }[];
    };
    const expected = expectedFiles();
    expect(expected.size).toBe(6);
    const examples = out.imports.filter((imp) => imp.file.startsWith('examples/') || imp.file.includes('/examples/'));
    expect(examples).toHaveLength(6);
    for (const imp of examples) {
      const key = imp.file.split('ledgers/')[1]!;
      expect(imp, key).toMatchObject({ status: 'imported', lines: expected.get(key)!.lines, controlTotalPence: expected.get(key)!.totalPence });
    }
    expect(out.imports).toHaveLength(24); // and the synthetic M04–M12 of both ledgers
    expect(out.closed.map((c) => c.status)).toEqual(Array(12).fill('closed'));
    expect(out.reports.map((r) => [r.period, r.files.map((f) => f.format)])).toEqual([
      ['2025-26 M06', ['html', 'pdf', 'xlsx', 'csv']],
      ['2025-26 M12', ['html', 'pdf', 'xlsx', 'csv']],
    ]);
    for (const f of out.reports.flatMap((r) => r.files)) expect(existsSync(resolve(dir, f.path)), f.path).toBe(true);
    const m03 = tandem('status', '--period', '2025-26 M03', '--json').json() as { schemes: { id: string; ytdActualTotalPence: number }[] };
    const ytd = Object.fromEntries(m03.schemes.map((s) => [s.id, s.ytdActualTotalPence]));
    expect(ytd).toEqual({ pkw: 401109599, ils: 263102500, asr: 1294623925, lths: 2737156675, nel: 2247778000 });

    const second = tandem('demo', '--json', '--out', 'demo-out');
    expect(second.status).toBe(0);
    const again = second.json() as { agreement: { created: boolean }; imports: { status: string }[]; closed: { status: string }[] };
    expect(again.agreement.created).toBe(false);
    expect(again.imports.every((i) => i.status === 'already-imported')).toBe(true);
    expect(again.closed.every((c) => c.status === 'already closed')).toBe(true);

    const history = tandem('agreement', 'history', '--json');
    expect((history.json() as unknown as unknown[]).length).toBe(1);
    const status = tandem('status', '--period', '2025-26 M01', '--json').json() as { period: string; unmapped: { lines: number } };
    expect(status).toMatchObject({ period: '2025-26 M01', unmapped: { lines: 4 } });
  });

  it('prints every bad line of a rejected extract, exits 1, and writes nothing', () => {
    expect(tandem('agreement', 'load', join(process.cwd(), 'examples/sheffield/agreement.yaml')).status).toBe(0);
    const bad = join(dir, 'bad.csv');
    writeFileSync(
      bad,
      Buffer.from(
        ['Title', 'Cost Centre,Subjective,Cost Centre Name,Description,Transaction Date,Amount', 'C4101,5001,x,y,15/04/2025,"12,34.5"', 'C4101,5001,x,y,31/02/2025,1.00', 'C4101,5001,x,y,15/04/2025,2.00', 'total'].join('\r\n'),
        'latin1',
      ),
    );
    const human = tandem('import', '--ledger', 'scc', bad);
    expect(human.status).toBe(1);
    expect(human.stderr).toContain('nothing was imported');
    expect(human.stderr).toMatch(/bad\.csv, line 3, column "Amount": .*\[AMOUNT_INVALID\]/);
    expect(human.stderr).toMatch(/bad\.csv, line 4, column "Transaction Date": .*\[DATE_INVALID\]/);
    const json = tandem('import', '--ledger', 'scc', bad, '--json');
    expect(json.status).toBe(1);
    const error = (json.json() as { error: { code: string; problems: { code: string; line: number }[] } }).error;
    expect(error.code).toBe('IMPORT_REJECTED');
    expect(error.problems.map((p) => [p.code, p.line])).toEqual([
      ['AMOUNT_INVALID', 3],
      ['DATE_INVALID', 4],
    ]);
    const status = tandem('status', '--json').json() as { ledgers: { lines: number }[] };
    expect(status.ledgers.every((l) => l.lines === 0)).toBe(true);
  });

  it('names the line and column of a YAML syntax error and stores no version', () => {
    const broken = join(dir, 'broken.yaml');
    writeFileSync(broken, 'fund:\n  id: x\n  name: [unclosed\nyears: ["2025-26"]\n');
    const run = tandem('agreement', 'load', broken, '--json');
    expect(run.status).toBe(1);
    const error = (run.json() as { error: { code: string; problems: { line: number | null; column: number | null }[] } }).error;
    expect(error.code).toBe('AGREEMENT_INVALID');
    expect(error.problems[0]!.line).toBeGreaterThanOrEqual(3);
    expect(error.problems[0]!.column).not.toBeNull();
    const history = tandem('agreement', 'history', '--json');
    expect(history.status).toBe(1);
    expect((history.json() as { error: { code: string } }).error.code).toBe('NO_AGREEMENT');
  });

  it('refuses an unknown ledger and a malformed period with non-zero exits', () => {
    tandem('agreement', 'load', join(process.cwd(), 'examples/sheffield/agreement.yaml'));
    const unknown = tandem('import', '--ledger', 'nope', join(process.cwd(), 'examples/sheffield/ledgers/scc/2025-26-M01.csv'), '--json');
    expect(unknown.status).toBe(1);
    expect((unknown.json() as { error: { code: string } }).error.code).toBe('LEDGER_UNKNOWN');
    const period = tandem('status', '--period', '2025-26 M13');
    expect(period.status).toBe(2);
    expect(period.stderr).toContain('is not a period');
  });

  it('creates the database with init, audits the migration, and is a no-op the second time', () => {
    const first = tandem('init', '--json');
    expect(first.status, first.stderr).toBe(0);
    const r = first.json() as { dialect: string; applied: number[]; schemaVersion: number };
    expect(r.dialect).toBe('sqlite');
    expect(r.applied.length).toBeGreaterThan(0);
    expect(r.schemaVersion).toBe(r.applied[r.applied.length - 1]);
    expect((tandem('init', '--json').json() as { applied: number[] }).applied).toEqual([]);
    const audit = spawnSync('sqlite3', [db, "SELECT actor || ' ' || action FROM audit_events"], { encoding: 'utf8' });
    expect(audit.stdout.trim()).toBe('e2e store.migrate');
  });

  it('has --help for every command', () => {
    for (const args of [[], ['init'], ['agreement', 'load'], ['agreement', 'history'], ['agreement', 'diff'], ['import'], ['unmapped'], ['remap'], ['status'], ['forecast', 'import'], ['close'], ['reopen'], ['year-end'], ['years'], ['journals'], ['commentary', 'set'], ['commentary', 'list'], ['report'], ['user', 'add'], ['token', 'create'], ['serve'], ['demo']]) {
      const run = spawnSync(process.execPath, [CLI, ...args, '--help'], { encoding: 'utf8' });
      expect(run.status, args.join(' ')).toBe(0);
      expect(run.stdout).toMatch(/Usage: tandem/);
    }
  });

  it('closes, refuses a closed month, exports journals, reopens and closes again with --json', () => {
    tandem('agreement', 'load', join(process.cwd(), 'examples/sheffield/agreement.yaml'));
    for (const f of ['scc/2025-26-M01.csv', 'scc/2025-26-M02.csv', 'scc/2025-26-M03.csv', 'sccg/2025-26-M01.csv', 'sccg/2025-26-M02.csv', 'sccg/2025-26-M03.xlsx']) {
      expect(tandem('import', '--ledger', f.split('/')[0]!, join(process.cwd(), 'examples/sheffield/ledgers', f)).status).toBe(0);
    }
    for (const m of ['M01', 'M02', 'M03']) expect(tandem('close', '2025-26', m, '--allow-unmapped').status).toBe(0);
    const unmapped = tandem('unmapped', '--ledger', 'sccg', '--json').json() as unknown as { lines: number; amountPence: number }[];
    expect(unmapped.reduce((a, g) => a + g.lines, 0)).toBe(5);
    expect(unmapped.reduce((a, g) => a + g.amountPence, 0)).toBe(16500000 + 2345000 - 2345000 + 17250000 + 18125000);
    const locked = tandem('close', '2025-26', 'M03', '--allow-unmapped', '--json');
    expect(locked.status).toBe(1);
    expect((locked.json() as { error: { code: string } }).error.code).toBe('PERIOD_LOCKED');

    const files = tandem('journals', '2025-06', '--format', 'ledger', '--out', 'j', '--json');
    expect(files.status, files.stderr).toBe(0);
    const journalFiles = (files.json() as { files: { ledger: string; path: string }[] }).files;
    expect(journalFiles.map((f) => f.ledger).sort()).toEqual(['scc', 'sccg']);
    expect(readFileSync(join(dir, journalFiles[0]!.path), 'utf8')).toMatch(/^commodity GBP$/m);

    expect(tandem('reopen', '2025-26', 'M03', '--reason', 'late CHC invoice', '--json').status).toBe(0);
    const refused = tandem('close', '2025-06', '--json');
    expect(refused.status).toBe(1);
    expect((refused.json() as { error: { code: string } }).error.code).toBe('CLOSE_UNMAPPED');
    const again = tandem('close', '2025-06', '--allow-unmapped', '--json');
    expect(again.status, again.stderr).toBe(0);
    const doc = again.json() as Record<string, unknown> & { schemes: Record<string, unknown>[]; journals: unknown[]; unmapped: { lines: number }[] };
    expect(doc).toMatchObject({ fund: 'sheffield', period: '2025-26 M03', closeVersion: 2, previousVersion: 1, changes: [] });
    for (const key of ['pools', 'journals', 'agreementOfBalances', 'unmapped', 'seconds']) expect(doc).toHaveProperty(key);
    for (const key of ['id', 'pool', 'type', 'annualBudgetPence', 'ytdBudgetPence', 'ytdActualPence', 'fotPence', 'fotVariancePence', 'rag', 'sharesPence', 'reasons']) {
      expect(doc.schemes[0]).toHaveProperty(key);
    }
    expect(doc.unmapped.reduce((n, u) => n + u.lines, 0)).toBe(12);

    const note = tandem('commentary', 'set', 'lths', '2025-26', 'M03', '--text', '=cmd|"/c calc"!A1 fee uplift', '--json');
    expect(note.status, note.stderr).toBe(0);
    expect(tandem('commentary', 'set', 'nope', '2025-06', '--text', 'x').status).toBe(1);
    const report = tandem('report', '2025-06', '--format', 'csv,html', '--out', 'r', '--json');
    expect(report.status, report.stderr).toBe(0);
    const written = (report.json() as { closeVersion: number; files: { format: string; path: string }[] });
    expect(written.closeVersion).toBe(2);
    const csvDir = written.files.find((f) => f.format === 'csv')!.path;
    const schemes = readFileSync(resolve(dir, csvDir, 'schemes.csv'), 'utf8');
    expect(schemes).toContain('"\'=cmd|""/c calc""!A1 fee uplift"');
    expect(readFileSync(resolve(dir, written.files.find((f) => f.format === 'html')!.path), 'utf8')).toContain('=cmd|&quot;/c calc&quot;!A1 fee uplift');
    expect(tandem('report', '2025-26', 'M04', '--json').status).toBe(1); // not closed
  });
});
