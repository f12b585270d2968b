// tandem verify on both databases, on the Sheffield example: a clean store passes every check; then
// the database is altered as an attacker with a database client would — the sqlite3 shell on the
// file, psql on the server, dropping or disabling the append-only triggers first — and verify must
// name each change: a line's amount, a line deleted, a line inserted, a byte of a close, an audit
// event deleted or edited, a superseded period switched live, a forecast. A reopen followed by a
// remap is not tampering: verify says what it can no longer recompute and why, as a warning.
// Last, the built CLI: `tandem verify --json` exits 0 on the demo and 1 once a line is changed.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import { closePeriod, reopenPeriod } from '../src/app/close.js';
import type { AppContext } from '../src/app/context.js';
import { importForecasts } from '../src/app/forecast-import.js';
import { importBatch } from '../src/app/import-batch.js';
import { addMappingRule } from '../src/app/mapping-rules.js';
import { remap } from '../src/app/remap.js';
import { verify, verifyFailure, type VerifyReport } from '../src/app/verify.js';
import { exampleExtracts } from '../src/cli/commands/demo.js';
import { auditHash, canonicalJson, GENESIS_HASH } from '../src/store/audit-hash.js';
import { periodKey } from '../src/domain/period.js';
import { describeEachStore, type TestStore } from './support/stores.js';

const EXAMPLE = 'examples/sheffield';
const [M01, M02, M03] = [1, 2, 3].map((m) => periodKey(2025, m)) as [number, number, number];

/** Runs SQL the way an attacker with database access would: the sqlite3 shell on the file, or psql. */
function attack(target: TestStore, sql: string): void {
  const [command, args] = target.store.dialect === 'sqlite' ? ['sqlite3', ['-bail', target.location]] : ['psql', ['-q', '-v', 'ON_ERROR_STOP=1', target.location]];
  const run = spawnSync(command, args, { input: sql, encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`${command} failed (${run.status}): ${run.stderr}`);
}

/** What an attacker runs first: the append-only guards of audit_events and closes, off. */
function unguard(target: TestStore): string {
  return target.store.dialect === 'sqlite'
    ? 'DROP TRIGGER audit_events_no_update; DROP TRIGGER audit_events_no_delete; DROP TRIGGER closes_no_update;'
    : 'ALTER TABLE audit_events DISABLE TRIGGER audit_events_no_change; ALTER TABLE closes DISABLE TRIGGER closes_no_change;';
}

function findings(report: VerifyReport) {
  return report.checks.flatMap((c) => c.findings.map((f) => ({ check: c.id, ...f })));
}

function failures(report: VerifyReport) {
  return findings(report).filter((f) => f.status === 'failure');
}

function statuses(report: VerifyReport): Record<string, string> {
  return Object.fromEntries(report.checks.map((c) => [c.id, c.status]));
}

describeEachStore('tandem verify on the Sheffield example', (current) => {
  const ctx = (): AppContext => ({ store: current().store, actor: 'tester', now: () => new Date('2025-07-08T09:00:00Z') });

  /** The agreement and the six hand-checked extracts (batches 1–3 scc, 4–6 sccg); a lead's forecast; M01–M03 closed. */
  async function fund(options: { close?: boolean } = { close: true }) {
    await loadAgreement(ctx(), join(EXAMPLE, 'agreement.yaml'));
    for (const e of exampleExtracts(EXAMPLE)) await importBatch(ctx(), { ledgerId: e.ledgerId, path: e.path });
    const dir = mkdtempSync(join(tmpdir(), 'tandem-verify-'));
    writeFileSync(join(dir, 'leads.csv'), 'scheme,period,amount\nlths,2025-26 M03,"110,000,000.00"\n');
    await importForecasts(ctx(), { path: join(dir, 'leads.csv') });
    if (options.close) for (const period of [M01, M02, M03]) await closePeriod(ctx(), { period, allowUnmapped: true });
    return dir;
  }

  it('passes a clean store: every check ok, every close recomputed from its inputs', async () => {
    await fund();
    const report = await verify(ctx());
    expect(findings(report)).toEqual([]);
    expect(report.ok).toBe(true);
    expect(Object.values(statuses(report)).every((s) => s === 'ok')).toBe(true);
    const checked = Object.fromEntries(report.checks.map((c) => [c.id, c.checked]));
    expect(checked).toMatchObject({ 'batches.lines': 6, 'batches.totals': 6, 'closes.recomputed': 3, 'closes.locks': 3 });
    expect(checked['batches.mapping']).toBe(69 + (await ctx().store.listBatches('sheffield', 'sccg')).reduce((n, b) => n + b.lineCount, 0));
    const events = await ctx().store.listAudit({});
    expect(report.audit).toEqual({ events: events.length, head: { id: events.at(-1)!.id, hash: events.at(-1)!.hash } });
    expect(verifyFailure(report)).toBeUndefined();
    // The head hash, kept elsewhere, is checked later; a made-up one is not in the chain.
    expect((await verify(ctx(), { auditHead: events.at(-1)!.hash })).ok).toBe(true);
    expect(failures(await verify(ctx(), { auditHead: 'a'.repeat(64) }))).toEqual([expect.objectContaining({ code: 'AUDIT_HEAD_MISSING' })]);
  });

  it('names a line whose amount was changed in the database: batch, lines, and the totals it no longer matches', async () => {
    await fund();
    attack(current(), 'UPDATE lines SET amount_pence = amount_pence + 100 WHERE batch_id = 2 AND line_no = 5;');
    const report = await verify(ctx());
    expect(report.ok).toBe(false);
    const found = failures(report);
    expect(found).toContainEqual(expect.objectContaining({ check: 'batches.lines', code: 'LINES_CHANGED', batch: 2, lines: '3–26', message: expect.stringMatching(/24 line\(s\) were imported, 24 are stored — edited in place.*\(\+£1\.00\)/) }));
    expect(found).toContainEqual(expect.objectContaining({ check: 'batches.lines', code: 'BATCH_TOTALS_DIFFER', batch: 2, file: join(EXAMPLE, 'ledgers/scc/2025-26-M02.csv') }));
    expect(found).toContainEqual(expect.objectContaining({ check: 'batches.totals', code: 'TOTALS_DIFFER', batch: 2, period: '2025-26 M02' }));
    expect(new Set(found.map((f) => f.batch))).toEqual(new Set([2]));
    const error = verifyFailure(report)!;
    expect(error.code).toBe('VERIFY_FAILED');
    expect(error.problems).toContainEqual(expect.objectContaining({ code: 'LINES_CHANGED', path: 'fund:sheffield batch:2 lines:3–26' }));
  });

  it('catches the same edit with the totals made to match: the closes no longer recompute', async () => {
    await fund();
    const line = "(SELECT x FROM lines WHERE batch_id = 2 AND line_no = 5)";
    const group = ['period', 'status', 'scheme_id'].map((c) => `${c} = ${line.replace('x', c)}`).join(' AND ');
    attack(current(), `UPDATE lines SET amount_pence = amount_pence + 100 WHERE batch_id = 2 AND line_no = 5;
      UPDATE line_totals SET amount_pence = amount_pence + 100 WHERE batch_id = 2 AND ${group} AND codes = ${line.replace('x', 'codes')};
      UPDATE scheme_totals SET amount_pence = amount_pence + 100 WHERE batch_id = 2 AND ${group};`);
    const report = await verify(ctx());
    expect(statuses(report)).toMatchObject({ 'batches.lines': 'failure', 'batches.totals': 'ok', 'closes.stored': 'ok', 'closes.recomputed': 'failure' });
    const recomputed = failures(report).filter((f) => f.check === 'closes.recomputed');
    // M02's own actual, and M03's year to date that includes it.
    expect(recomputed.map((f) => [f.code, f.period, f.closeVersion])).toEqual([
      ['CLOSE_NOT_REPRODUCED', '2025-26 M02', 1],
      ['CLOSE_NOT_REPRODUCED', '2025-26 M03', 1],
    ]);
    expect(recomputed[0]!.message).toMatch(/schemes\.pkw\.monthActualPence: \d+ stored, \d+ recomputed/);
  });

  it('names a deleted line and an inserted one, and a line in a period its batch does not cover', async () => {
    await fund();
    const copy = (lineNo: number, period: string) =>
      `INSERT INTO lines (batch_id, line_no, period, amount_pence, status, scheme_id, rule_index, line_id, codes, raw)
       SELECT batch_id, ${lineNo}, ${period}, 12345, status, scheme_id, rule_index, line_id, codes, raw FROM lines WHERE batch_id = 4 AND line_no = 3;`;
    attack(current(), `DELETE FROM lines WHERE batch_id = 3 AND line_no = 4; ${copy(999, 'period')} ${copy(1500, '202507')}`);
    const found = failures(await verify(ctx()));
    expect(found).toContainEqual(expect.objectContaining({ code: 'LINES_CHANGED', batch: 3, message: expect.stringContaining('1 line(s) deleted') }));
    expect(found).toContainEqual(expect.objectContaining({ code: 'LINES_CHANGED', batch: 4, line: 999, message: expect.stringContaining('line 999 lies outside the lines imported there: inserted') }));
    expect(found).toContainEqual(expect.objectContaining({ code: 'LINES_CHANGED', batch: 4, line: 1500, lines: '1500–1500', message: expect.stringContaining('0 line(s) were imported, 1 are stored') }));
    expect(found).toContainEqual(expect.objectContaining({ code: 'LINE_OUTSIDE_BATCH_PERIODS', batch: 4, line: 1500, period: '2025-26 M07' }));
    expect(found).toContainEqual(expect.objectContaining({ code: 'BATCH_TOTALS_DIFFER', batch: 3, message: expect.stringMatching(/holds 22 line\(s\).*recorded 23 line\(s\)/) }));
  });

  it('names a close whose document was altered, and one rehashed to match: the audit trail still has the real hash', async () => {
    await fund();
    attack(current(), `${unguard(current())} UPDATE closes SET document_json = replace(document_json, '"ytdActualPence":401109599', '"ytdActualPence":401109598') WHERE period = ${M03};`);
    const report = await verify(ctx());
    const found = failures(report);
    const where = { period: '2025-26 M03', closeVersion: 1 };
    expect(found).toContainEqual(expect.objectContaining({ check: 'closes.stored', code: 'CLOSE_HASH_MISMATCH', ...where }));
    expect(found).toContainEqual(expect.objectContaining({ check: 'closes.figures', code: 'FIGURES_INCONSISTENT', path: 'schemes.pkw.ytdActualPence', ...where }));
    expect(found).toContainEqual(expect.objectContaining({ check: 'closes.recomputed', code: 'CLOSE_NOT_REPRODUCED', path: 'schemes.pkw.ytdActualPence', ...where, message: expect.stringContaining('401109598 stored, 401109599 recomputed') }));

    const altered = (await ctx().store.getClose('sheffield', M03))!.documentJson;
    const sha = createHash('sha256').update(altered).digest('hex');
    attack(current(), `UPDATE closes SET document_sha256 = '${sha}' WHERE period = ${M03};`);
    const rehashed = failures(await verify(ctx()));
    expect(rehashed.filter((f) => f.code === 'CLOSE_HASH_MISMATCH')).toEqual([]);
    expect(rehashed).toContainEqual(expect.objectContaining({ check: 'audit.records', code: 'RECORD_DIFFERS_FROM_AUDIT', ...where }));
  });

  it('names the audit events deleted and edited behind the triggers, and the batch left without its event', async () => {
    await fund();
    const events = await ctx().store.listAudit({});
    const imported = events.findIndex((e) => e.subject === 'batch:3');
    const closed = events.find((e) => e.action === 'close')!;
    attack(current(), `${unguard(current())} DELETE FROM audit_events WHERE id = ${events[imported]!.id}; UPDATE audit_events SET actor = 'mallory' WHERE id = ${closed.id};`);
    const found = failures(await verify(ctx()));
    expect(found.filter((f) => f.check === 'audit.chain').map((f) => f.auditEvent)).toEqual([events[imported + 1]!.id, closed.id]);
    expect(found).toContainEqual(expect.objectContaining({ code: 'AUDIT_CHAIN_BROKEN', message: expect.stringContaining(`id ${events[imported]!.id} is missing`) }));
    expect(found).toContainEqual(expect.objectContaining({ code: 'AUDIT_CHAIN_BROKEN', auditEvent: closed.id, message: expect.stringContaining('edited after it was written') }));
    expect(found).toContainEqual(expect.objectContaining({ check: 'audit.records', code: 'RECORD_NOT_AUDITED', batch: 3 }));
  });

  it('names a month unlocked behind Tandem\'s back, and a locked month whose batch was switched', async () => {
    await fund();
    attack(current(), `INSERT INTO period_events (fund_id, period, action, close_id, reason, at, actor) VALUES ('sheffield', ${M03}, 'reopen', NULL, 'x', '2025-07-09T00:00:00Z', 'mallory');
      UPDATE batch_periods SET superseded_by = 2 WHERE batch_id = 1 AND period = ${M01};`);
    const found = failures(await verify(ctx()));
    expect(found).toContainEqual(expect.objectContaining({ check: 'audit.records', code: 'RECORD_NOT_AUDITED', period: '2025-26 M03', message: expect.stringContaining('1 reopen event(s) in its lock history and 0 in the audit trail') }));
    expect(found).toContainEqual(expect.objectContaining({ check: 'closes.locks', code: 'LOCKED_DATA_CHANGED', period: '2025-26 M01', message: expect.stringContaining('with batch(es) 1, 4, but batch(es) 4 supply it now') }));
    expect(found).toContainEqual(expect.objectContaining({ check: 'periods.live', code: 'SUPERSESSION_NOT_AUDITED', batch: 1, period: '2025-26 M01' }));
  });

  it('names a superseded period switched live again, and a forecast changed', async () => {
    const dir = await fund({ close: false });
    const ytd = join(dir, 'ytd.csv');
    const header = 'Cost Centre,Subjective,Cost Centre Name,Description,Transaction Date,Amount';
    writeFileSync(ytd, Buffer.from(['Title line', header, 'C4101,5001,PKW,"Grant, April",15/04/2025,"1,000.00"', 'C4101,5001,PKW,"Grant, May",15/05/2025,"(250.00)"', ',,,Total,,"0.00"', ''].join('\r\n'), 'latin1'));
    const replacing = await importBatch(ctx(), { ledgerId: 'scc', path: ytd });
    expect(replacing.superseded).toHaveLength(2);
    expect((await verify(ctx())).ok).toBe(true);

    attack(current(), `UPDATE batch_periods SET superseded_by = NULL WHERE batch_id = 1; UPDATE forecasts SET amount_pence = amount_pence + 1;`);
    const found = failures(await verify(ctx()));
    expect(found).toContainEqual(expect.objectContaining({ check: 'periods.live', code: 'PERIOD_LIVE_TWICE', period: '2025-26 M01', message: expect.stringContaining(`batches 1 and ${replacing.batchId}`) }));
    expect(found).toContainEqual(expect.objectContaining({ check: 'periods.live', code: 'SUPERSESSION_NOT_AUDITED', batch: 1, period: '2025-26 M01' }));
    expect(found).toContainEqual(expect.objectContaining({ check: 'audit.records', code: 'RECORD_DIFFERS_FROM_AUDIT', message: expect.stringContaining('forecast batch 1') }));
  });

  it('after a reopen and a remap, says which close it can no longer recompute and why, as a warning', async () => {
    await fund();
    await reopenPeriod(ctx(), { period: M03, reason: 'D2A beds agreed as fund spend' });
    await addMappingRule(ctx(), { fundId: 'sheffield', ledgerId: 'scc', when: { 'Cost Centre': 'C4501', Subjective: '5002' }, target: { scheme: 'lths' } });
    const remapped = await remap(ctx(), { skipClosedPeriods: true, ledgerId: 'scc' });
    expect(remapped.ledgers[0]).toMatchObject({ changed: 1, keptInClosedPeriods: 2 });
    await closePeriod(ctx(), { period: M03, allowUnmapped: true });

    const report = await verify(ctx());
    expect(report.ok).toBe(true);
    expect(failures(report)).toEqual([]);
    const remapEvent = (await ctx().store.listAudit({ action: 'remap' })).at(-1)!;
    expect(findings(report).filter((f) => f.check === 'closes.recomputed')).toEqual([
      expect.objectContaining({
        status: 'warning',
        code: 'CLOSE_NOT_REPRODUCIBLE',
        period: '2025-26 M03',
        closeVersion: 1,
        message: expect.stringContaining(`(superseded by version 2 after a reopen) cannot be recomputed from today's data: the mapping of lines it read changed after it was closed (remap, audit event ${remapEvent.id}, changed 1 line(s) of ledger scc)`),
      }),
    ]);
    // The two lines of the closed M01 and M02 keep the mapping they were closed with.
    const kept = findings(report).filter((f) => f.check === 'batches.mapping');
    expect(kept.map((f) => [f.code, f.batch])).toEqual([
      ['CLOSED_MAPPING_KEPT', 1],
      ['CLOSED_MAPPING_KEPT', 2],
    ]);
  });
});

describeEachStore('tandem verify on batches and mappings', (current) => {
  const ctx = (): AppContext => ({ store: current().store, actor: 'tester', now: () => new Date('2025-07-08T09:00:00Z') });

  async function fund() {
    await loadAgreement(ctx(), join(EXAMPLE, 'agreement.yaml'));
    for (const e of exampleExtracts(EXAMPLE)) await importBatch(ctx(), { ledgerId: e.ledgerId, path: e.path });
  }

  it('warns that lines need a remap when the agreement in force maps them otherwise, until they are remapped', async () => {
    await fund();
    await addMappingRule(ctx(), { fundId: 'sheffield', ledgerId: 'scc', when: { 'Cost Centre': 'C4203', Subjective: '5004' }, target: { scheme: 'asr' } });
    const report = await verify(ctx());
    expect(report.ok).toBe(true);
    expect(findings(report).map((f) => [f.code, f.batch, f.status])).toEqual([1, 2, 3].map((b) => ['REMAP_NEEDED', b, 'warning']));
    expect(findings(report)[0]!.message).toMatch(/mapped otherwise than agreement version 2 \(in force\) says \(line \d+\): run tandem remap/);
    await remap(ctx());
    expect(findings(await verify(ctx()))).toEqual([]);
  });

  it('warns about batches imported before line digests; the same state forged by rewriting the chain is caught only by --audit-head', async () => {
    await fund();
    const head = (await ctx().store.listAudit({})).at(-1)!.hash;
    // Removing the digests is caught: each import's audit event recorded its digest.
    attack(current(), 'UPDATE batches SET lines_sha256 = NULL, lines_blocks = NULL;');
    expect(failures(await verify(ctx())).map((f) => [f.code, f.batch])).toEqual([1, 2, 3, 4, 5, 6].map((b) => ['LINES_DIGEST_ALTERED', b]));

    // A database from before digests has import events without one. Made here the way an attacker
    // could: every event from the first import on rewritten and rehashed.
    const sql = [unguard(current())];
    let prev = GENESIS_HASH;
    for (const e of await ctx().store.listAudit({})) {
      const details = { ...e.details };
      if (e.action === 'import.batch') delete details.linesSha256;
      const hash = auditHash(prev, { ...e, details });
      sql.push(`UPDATE audit_events SET details = '${canonicalJson(details).replaceAll("'", "''")}', prev_hash = '${prev}', hash = '${hash}' WHERE id = ${e.id};`);
      prev = hash;
    }
    attack(current(), sql.join('\n'));
    const legacy = await verify(ctx());
    expect(legacy.ok).toBe(true);
    expect(findings(legacy).map((f) => [f.code, f.batch, f.status])).toEqual([1, 2, 3, 4, 5, 6].map((b) => ['LINES_NOT_DIGESTED', b, 'warning']));
    expect(failures(await verify(ctx(), { auditHead: head }))).toEqual([expect.objectContaining({ code: 'AUDIT_HEAD_MISSING' })]);
  });
});

describe('tandem verify (the CLI)', () => {
  const CLI = join(process.cwd(), 'dist', 'src', 'cli', 'main.js');

  it('exits 0 on the demo and 1 once a line is changed behind its back, with the report and the error in one JSON', () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-verify-cli-'));
    const db = join(dir, 'tandem.db');
    const tandem = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args, '--db', db], { encoding: 'utf8', cwd: dir, env: { ...process.env, TANDEM_USER: 'e2e' } });
    expect(tandem('demo', '--out', 'demo-out').status).toBe(0);

    const clean = tandem('verify', '--json');
    expect(clean.status, clean.stderr).toBe(0);
    const ok = JSON.parse(clean.stdout) as VerifyReport & { error?: unknown };
    expect(ok).toMatchObject({ ok: true, funds: ['sheffield'], summary: { checks: 10, ok: 10, warnings: 0, failures: 0 } });
    expect(ok.error).toBeUndefined();

    expect(spawnSync('sqlite3', [db, 'UPDATE lines SET amount_pence = -amount_pence WHERE batch_id = 5 AND line_no = 4;']).status).toBe(0);
    const tampered = tandem('verify', '--json');
    expect(tampered.status).toBe(1);
    const bad = JSON.parse(tampered.stdout) as VerifyReport & { error: { code: string; problems: { code: string; path: string }[] } };
    expect(bad.ok).toBe(false);
    expect(bad.error.code).toBe('VERIFY_FAILED');
    expect(bad.error.problems).toContainEqual(expect.objectContaining({ code: 'LINES_CHANGED', path: expect.stringContaining('batch:5') }));
    const human = tandem('verify');
    expect(human.status).toBe(1);
    expect(human.stdout).toMatch(/batches\.lines\s+FAILED/);
    expect(human.stderr).toMatch(/^tandem: verification failed: \d+ breach\(es\) in batches\.lines/);
  });
});
