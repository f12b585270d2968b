// Two funds in one database (issue 7 §3, docs/scaling.md): no query of one fund reads or returns
// the other's rows.
//
// The funds: `tiny` (test/fixtures/tiny, with its ICB ledger in append mode and a Ref column) and
// `twin`, the same agreement with another fund id, other analysis codes (KX…/QZ… for CC…/ACC…),
// other amounts, descriptions, file names, actors and emails. Partner, ledger and scheme ids and
// the ICB's transaction refs are deliberately the SAME in both: a query that filtered by ledger,
// scheme or ref but forgot the fund would then pick up the other fund's rows, where with distinct
// ids it would find nothing and the slip would go unseen. Each fund gets the whole life of a fund:
// two agreement versions, partner users and an API token, replace- and append-mode imports with
// a supersede and a year-to-date file over a closed month, forecasts, commentary, a remap, closes,
// a reopen and a re-close, and (written through the store, as no import may) a batch holding a
// duplicate transaction id.
//
// "Reads the other's rows" is checked at three depths:
// 1. Returns and depends on (both databases). Four databases are built from the same files and
//    clock: tiny alone, twin alone, tiny then twin, twin then tiny. Every Store read that takes a
//    fund (or an id of one of the fund's own records) is called for the fund loaded first in a
//    shared database and for the same fund alone: the answers must be identical — ids line up, as
//    the first fund's rows were written exactly as in its own database. So the other fund's rows
//    (written later, with higher ids, sharing ledger, scheme and ref ids) changed no answer, and
//    the other fund's writes (supersede, remap, closes…) changed none of this fund's rows. The
//    answers must also hold none of the other fund's markers (its id, codes, names, emails).
//    Every Store method is classified below; a new method fails the test until it is.
// 2. Touches. On PostgreSQL each SQL statement those reads ran is replayed in both databases with
//    sequential scans disabled (the plan a large table gets), counting the tuples read from every
//    table and index of the schema (pg_stat_get_xact_tuples_returned/fetched, within the
//    statement's transaction). The counts must be the same with and without the other fund: a
//    statement that scanned, probed or joined through any of the other fund's rows — an index on
//    period alone, say, or a join that reaches `batches` only after reading `line_totals` — reads
//    more in the shared database. On SQLite, whose plans do not depend on table sizes (Tandem runs
//    no ANALYZE), no statement's plan may SCAN a fund table whole (a weaker check: an index search
//    on a column other than the fund's is seen on PostgreSQL only). Two statements do read the
//    other fund's rows today; they are listed, with why, in KNOWN_CROSS_FUND_READS, and the list
//    must stay exact (docs/scaling.md).
// 3. Needs (PostgreSQL). With row-level security on every fund table (the line tables through
//    their batch), a role that is not the owner and `app.fund` set to one fund sees none of the
//    other fund's rows; every read above, and the fund's read use cases (status, close, report
//    with its lines, journals, suspense queue, commentary, agreement history), give exactly the
//    owner's answers. The fund's writes (reopen, close) work too once the head of the audit chain
//    is visible — the one row of another fund a write needs, because the chain is one per database.

import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { agreementDiff, agreementHistory, loadAgreement } from '../src/app/agreements.js';
import { closePeriod, readClose, reopenPeriod } from '../src/app/close.js';
import { listCommentary, setCommentary } from '../src/app/commentary.js';
import type { AppContext } from '../src/app/context.js';
import { contractsReport } from '../src/app/contract-report.js';
import { loadContracts } from '../src/app/contracts.js';
import { approveDecision, proposeDecision, rejectDecision } from '../src/app/decisions.js';
import { importForecasts } from '../src/app/forecast-import.js';
import { importBatch } from '../src/app/import-batch.js';
import { importMeasures } from '../src/app/measure-import.js';
import { metricsReport } from '../src/app/metrics.js';
import { initStore } from '../src/app/init.js';
import { exportJournals } from '../src/app/journal-export.js';
import { remap } from '../src/app/remap.js';
import { buildReport, reportLines } from '../src/app/report.js';
import { fundStatus } from '../src/app/status.js';
import { unmappedGroups } from '../src/app/unmapped.js';
import { addUser, createApiToken } from '../src/app/users.js';
import { periodKey, type PeriodKey } from '../src/domain/period.js';
import type { SqlValue } from '../src/store/driver.js';
import { openPostgresDriver } from '../src/store/driver-postgres.js';
import { openSqliteDriver } from '../src/store/driver-sqlite.js';
import { numberPlaceholders } from '../src/store/sql-text.js';
import { createStore } from '../src/store/store.js';
import type { MeasureKind } from '../src/store/contract-types.js';
import type { Store } from '../src/store/types.js';
import { importBatch as storeBatch, linesOf } from './support/fixtures.js';
import { createTestDatabase } from './support/stores.js';
import { recording, type Statement } from './support/recording-driver.js';
import { withPgClient } from './support/raw-sql.js';

type Dialect = Store['dialect'];

const [M01, M02, M03] = [1, 2, 3].map((m) => periodKey(2025, m)) as [PeriodKey, PeriodKey, PeriodKey];
const NOW = new Date('2025-06-08T09:00:00Z');
const PASSWORD = 'correct horse battery staple';

// ---------------------------------------------------------------------------------------------
// Every Store member, classified. `fund`: takes a fund id, probed for each fund. `own-id`: keyed
// by the id of one of a fund's records (a batch, a forecast batch), probed with the fund's own
// ids, which callers get from a fund-scoped read or the fund's close document. `write`: changes
// the fund's data; the scenario must call it, and the other fund's reads afterwards (check 1)
// show it changed none of that fund's rows. `global`: not per fund, by design (the reason says
// why). `store`: the store's own plumbing.

type Kind = 'fund' | 'own-id' | 'write' | 'global' | 'store';

const MEMBERS: Record<keyof Store, { kind: Kind; why: string }> = {
  dialect: { kind: 'store', why: 'a property' },
  location: { kind: 'store', why: 'a property' },
  migrate: { kind: 'store', why: 'schema, not data' },
  schemaVersion: { kind: 'store', why: 'schema, not data' },
  close: { kind: 'store', why: 'closes the connection' },
  transaction: { kind: 'store', why: 'runs other methods; the probes run inside it too (the RLS and replay checks)' },

  listFunds: { kind: 'global', why: 'the funds held in the database: resolveFund checks the fund named or picks the only one; under row-level security it lists only the session\u2019s fund (check 3)' },
  getAgreementVersion: { kind: 'fund', why: '' },
  listAgreementVersions: { kind: 'fund', why: '' },
  insertAgreementVersion: { kind: 'write', why: '' },

  findBatchBySha256: { kind: 'fund', why: '' },
  getBatch: { kind: 'own-id', why: 'batch id' },
  listBatches: { kind: 'fund', why: '' },
  insertBatch: { kind: 'write', why: '' },
  completeBatch: { kind: 'write', why: '' },
  insertLines: { kind: 'write', why: '' },
  insertBatchPeriods: { kind: 'write', why: '' },
  supersede: { kind: 'write', why: '' },
  markPeriodSuperseded: { kind: 'write', why: '' },
  batchSchemeTotals: { kind: 'own-id', why: 'batch id' },
  findLiveLineIds: { kind: 'fund', why: '' },
  replaceLineTotals: { kind: 'write', why: '' },
  appendLineTotals: { kind: 'write', why: '' },
  liveTotals: { kind: 'fund', why: '' },
  iterateBatchLines: { kind: 'own-id', why: 'batch id' },
  updateLineMappings: { kind: 'write', why: '' },
  getLines: { kind: 'own-id', why: 'batch id' },
  queryLiveLines: { kind: 'fund', why: '' },

  lockFund: { kind: 'write', why: 'takes the fund\u2019s lock, reads no rows; two funds\u2019 locks are independent (tested below)' },
  insertClose: { kind: 'write', why: '' },
  getClose: { kind: 'fund', why: '' },
  listCloses: { kind: 'fund', why: '' },
  appendPeriodEvent: { kind: 'write', why: '' },
  latestPeriodEvents: { kind: 'fund', why: '' },
  findForecastBatchBySha256: { kind: 'fund', why: '' },
  insertForecastBatch: { kind: 'write', why: '' },
  leadForecasts: { kind: 'fund', why: '' },

  insertCommentary: { kind: 'write', why: '' },
  latestCommentary: { kind: 'fund', why: '' },

  insertUser: { kind: 'write', why: '' },
  getUserByEmail: { kind: 'global', why: 'accounts are keyed by email across funds (sign-in); the record names the one fund its user acts for' },
  getUserById: { kind: 'global', why: 'as getUserByEmail, by id (sessions and tokens)' },
  listUsers: { kind: 'global', why: 'every account, for the operator\u2019s `tandem user list` and `token list` only (no web route)' },
  insertSession: { kind: 'global', why: 'sessions belong to a user, not to fund data (no fund column)' },
  getSession: { kind: 'global', why: 'keyed by the hash of a secret token' },
  touchSession: { kind: 'global', why: 'keyed by the hash of a secret token' },
  deleteSession: { kind: 'global', why: 'keyed by the hash of a secret token' },
  deleteExpiredSessions: { kind: 'global', why: 'housekeeping over every session' },
  insertApiToken: { kind: 'global', why: 'tokens belong to a user (no fund column)' },
  getApiTokenByHash: { kind: 'global', why: 'keyed by the hash of a secret token' },
  revokeApiToken: { kind: 'global', why: 'by token id, an operator command' },
  listApiTokens: { kind: 'global', why: 'the operator\u2019s `tandem token list`' },
  recordSignInAttempt: { kind: 'global', why: 'rate limiting by email and IP, before any fund is known' },
  countFailedSignIns: { kind: 'global', why: 'rate limiting by email and IP, before any fund is known' },
  deleteSignInAttemptsBefore: { kind: 'global', why: 'housekeeping' },

  getBatchDigest: { kind: 'own-id', why: 'batch id' },
  batchLineTotals: { kind: 'own-id', why: 'batch id' },
  duplicateLiveLineIds: { kind: 'fund', why: '' },
  listPeriodEvents: { kind: 'fund', why: '' },
  listForecastBatches: { kind: 'fund', why: '' },
  forecastRows: { kind: 'own-id', why: 'forecast batch id' },

  insertDecision: { kind: 'write', why: '' },
  appendDecisionEvent: { kind: 'write', why: '' },
  getDecision: { kind: 'fund', why: '' },
  listDecisions: { kind: 'fund', why: '' },

  insertContractRegister: { kind: 'write', why: '' },
  getContractRegister: { kind: 'fund', why: '' },
  listContractRegisters: { kind: 'fund', why: '' },
  findMeasureBatchBySha256: { kind: 'fund', why: '' },
  insertMeasureBatch: { kind: 'write', why: '' },
  listMeasureBatches: { kind: 'fund', why: '' },
  measuresInForce: { kind: 'fund', why: '' },

  insertYearEnd: { kind: 'write', why: '' },
  getYearEnd: { kind: 'fund', why: '' },
  listYearEnds: { kind: 'fund', why: '' },

  appendAudit: { kind: 'write', why: 'reads the head of the one audit chain of the database, whichever fund wrote it (check 3)' },
  listAudit: { kind: 'fund', why: 'with a fundId; without one it lists the whole chain, which `tandem verify` checks' },
  queryAudit: { kind: 'fund', why: 'with a fundId (and withoutFund: events of no fund, shared by all funds)' },
  auditFacets: { kind: 'fund', why: 'as queryAudit' },
};

// Every table, and how its rows belong to a fund (the row-level security policy of check 3).
const OWNERSHIP: Record<string, string | null> = {
  funds: 'id = tandem_fund()',
  agreement_versions: 'fund_id = tandem_fund()',
  batches: 'fund_id = tandem_fund()',
  batch_periods: 'batch_id IN (SELECT id FROM batches WHERE fund_id = tandem_fund())',
  lines: 'batch_id IN (SELECT id FROM batches WHERE fund_id = tandem_fund())',
  line_totals: 'batch_id IN (SELECT id FROM batches WHERE fund_id = tandem_fund())',
  scheme_totals: 'batch_id IN (SELECT id FROM batches WHERE fund_id = tandem_fund())',
  closes: 'fund_id = tandem_fund()',
  period_events: 'fund_id = tandem_fund()',
  forecast_batches: 'fund_id = tandem_fund()',
  forecasts: 'batch_id IN (SELECT id FROM forecast_batches WHERE fund_id = tandem_fund())',
  commentary: 'fund_id = tandem_fund()',
  decisions: 'fund_id = tandem_fund()',
  decision_events: 'fund_id = tandem_fund()',
  contract_registers: 'fund_id = tandem_fund()',
  measure_batches: 'fund_id = tandem_fund()',
  measure_lines: 'fund_id = tandem_fund()',
  year_ends: 'fund_id = tandem_fund()',
  audit_events: 'fund_id = tandem_fund() OR fund_id IS NULL',
  users: 'fund_id = tandem_fund() OR fund_id IS NULL',
  // Accounts and the schema: no fund column, nothing of a fund's data.
  sessions: null,
  api_tokens: null,
  sign_in_attempts: null,
  schema_migrations: null,
};

/**
 * The statements that do read the other fund's tuples today (check 2; docs/scaling.md says what
 * would change them). A new one fails the test, and so does one of these that stops reading the
 * other fund's rows (then delete it here and in docs/scaling.md): the list stays exact.
 */
const KNOWN_CROSS_FUND_READS: { name: string; sql: RegExp; tables: string[]; why: string }[] = [
  {
    name: 'drill-down sorted by amount',
    sql: /^SELECT l\.batch_id, l\.line_no, .* FROM \( SELECT l\.batch_id, l\.line_no FROM lines l WHERE \+l\.batch_id IN /,
    tables: ['lines'],
    why: 'line-query.ts sortedPageRows writes `+l.batch_id` to keep the primary key out of the plan; what is left is a scan of the whole table, every fund\u2019s lines, keeping the fund\u2019s batches\u2019',
  },
  {
    name: 'lead forecasts of a month',
    sql: /^SELECT f\.scheme_id, f\.amount_pence, f\.batch_id, f\.note FROM forecasts f JOIN forecast_batches b /,
    tables: ['forecasts', 'forecasts_period', 'forecast_batches', 'forecast_batches_fund_id_file_sha256_key'],
    why: 'forecasts have no fund_id and are indexed by (period, scheme_id): the month\u2019s forecasts of every fund are read, then joined to forecast_batches to keep this fund\u2019s',
  },
];

const oneLine = (sql: string) => sql.replace(/\s+/g, ' ').trim();

// ---------------------------------------------------------------------------------------------
// The two funds and their files.

interface Fund {
  id: 'tiny' | 'twin';
  title: string;
  /** Cost centre and account code prefixes (the fixture's CC and ACC for tiny). */
  cc: string;
  acc: string;
  /** Pence added to every amount's size. */
  extra: number;
  actor: string;
  /** Text that only this fund's rows hold: none of it may appear in the other fund's answers. */
  markers: string[];
}

const TINY: Fund = { id: 'tiny', title: 'Tiny', cc: 'CC', acc: 'ACC', extra: 0, actor: 'tiny.officer', markers: ['tiny', 'Tiny', 'CC100', 'CC555', 'ACC1', 'ACC2', 'ACC3', 'ACC9'] };
const TWIN: Fund = { id: 'twin', title: 'Twin', cc: 'KX', acc: 'QZ', extra: 37, actor: 'twin.officer', markers: ['twin', 'Twin', 'KX100', 'KX555', 'QZ1', 'QZ2', 'QZ3', 'QZ9'] };
const FUNDS = [TINY, TWIN] as const;
const other = (f: Fund): Fund => (f === TINY ? TWIN : TINY);

const ADMIN = 'admin@tandem.example';

type Row = [date: string, ref: string | null, code: string, description: string, pence: number];

function pounds(f: Fund, pence: number): string {
  const sized = pence >= 0 ? pence + f.extra : pence - f.extra;
  return (sized / 100).toFixed(2);
}

function councilCsv(f: Fund, rows: Row[]): string {
  return ['Date,Cost Centre,Description,Amount', ...rows.map(([d, , c, text, p]) => `${d},${f.cc}${c},${f.title} ${text},${pounds(f, p)}`)].join('\n') + '\n';
}

function icbCsv(f: Fund, rows: Row[]): string {
  return ['Date,Ref,Account,Description,Amount', ...rows.map(([d, ref, c, text, p]) => `${d},${ref},${f.acc}${c},${f.title} ${text},${pounds(f, p)}`)].join('\n') + '\n';
}

const COUNCIL_M01: Row[] = [
  ['15/04/2025', null, '100', 'home care April', 16000],
  ['20/04/2025', null, '100', 'credit note', -1000],
];
const COUNCIL_M01B: Row[] = [...COUNCIL_M01, ['28/04/2025', null, '100', 'late invoice April', 1250]];
const COUNCIL_M02: Row[] = [
  ['15/05/2025', null, '100', 'home care May', 17000],
  ['21/05/2025', null, '555', 'unknown cost centre', 800],
];
/** Year to date: M01 exactly as closed (from M01B), M02 with one line more. */
const COUNCIL_YTD: Row[] = [...COUNCIL_M01B, ...COUNCIL_M02, ['22/05/2025', null, '100', 'agency May', 2400]];
const ICB_M01: Row[] = [
  ['10/04/2025', 'R1', '1', 'care contract', 2000],
  ['11/04/2025', 'R2', '2', 'reablement team', 13000],
  ['12/04/2025', 'R3', '3', 'admissions', 21000],
];
const ICB_M02: Row[] = [
  ['10/05/2025', 'R4', '1', 'care contract', 3000],
  ['11/05/2025', 'R5', '2', 'reablement team', 11000],
  ['12/05/2025', 'R6', '3', 'admissions', 19000],
  ['13/05/2025', 'R7', '9', 'unknown account', 500],
];

function agreementYaml(f: Fund, version: 1 | 2): string {
  const fixture = fs.readFileSync('test/fixtures/tiny/agreement.yaml', 'utf8');
  let text = fixture
    .split('\n')
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n');
  const replace = (from: string | RegExp, to: string) => {
    if ((typeof from === 'string' ? text.indexOf(from) : text.search(from)) === -1) throw new Error(`the tiny agreement no longer holds ${String(from)}`);
    text = text.replace(from, to);
  };
  replace('id: tiny', `id: ${f.id}`);
  if (f.title !== 'Tiny') replace(/Tiny/g, f.title);
  if (f.acc !== 'ACC') replace(/\bACC(\d+)/g, `${f.acc}$1`);
  if (f.cc !== 'CC') replace(/\bCC(\d+)/g, `${f.cc}$1`);
  replace('    partner: icb\n    extract:', '    partner: icb\n    mode: append\n    extract:');
  replace('codes: [Account]}', 'codes: [Account], id: Ref}');
  if (version === 2) replace('        scheme: acute\n', `        scheme: acute\n      - when: {Account: ${f.acc}9}\n        scheme: acute\n`);
  if (version === 2) text += governanceYaml(f);
  return text;
}

/** A committee of one member per partner and two finance directors who may vire up to £100 jointly. */
function governanceYaml(f: Fund): string {
  const person = (id: string, partner: string, role: string) => `      - {id: ${id}, name: ${f.title} ${id}, partner: ${partner}, role: ${role}}\n`;
  return `\ngovernance:\n  committee:\n    name: ${f.title} Joint Committee\n    quorum: {council: 1, icb: 1}\n    members:\n${person('m1', 'council', 'member')}${person('m2', 'icb', 'member')}  officers:\n${person('fd1', 'council', 'fd').slice(2)}${person('fd2', 'icb', 'fd').slice(2)}  delegation:\n    - {role: fd, decisions: [virement], up_to: 100, jointly: true}\n`;
}

/** A contract register: one cost-and-volume contract whose spend is the council's cost centre 100, and one metric. */
function contractsYaml(f: Fund): string {
  return [
    'providers:',
    `  - {id: prov, name: ${f.title} Care Ltd}`,
    'contracts:',
    '  - id: homecare',
    `    name: ${f.title} home care`,
    '    provider: prov',
    '    lead_commissioner: council',
    '    schemes: [care]',
    `    value: ${120 + f.extra}`,
    '    start: 2025-26 M01',
    '    end: 2025-26 M12',
    '    payment: {kind: cost_and_volume, price_per_unit: 1.5}',
    '    spend:',
    `      - {ledger: council, when: {Cost Centre: ${f.cc}100}}`,
    'metrics:',
    `  - {id: admissions, name: ${f.title} admissions, unit: admissions, direction: lower_is_better}`,
    '',
  ].join('\n');
}

interface Files {
  agreement: [string, string];
  council: Record<'m01' | 'm01b' | 'm02' | 'ytd', string>;
  icb: Record<'m01' | 'm02', string>;
  forecasts: [string, string];
  contracts: string;
  measures: { kind: MeasureKind; file: string }[];
}

function writeFiles(dir: string, f: Fund): Files {
  const write = (name: string, text: string) => {
    const file = path.join(dir, `${f.id}-${name}`);
    fs.writeFileSync(file, text);
    return file;
  };
  return {
    agreement: [write('agreement-v1.yaml', agreementYaml(f, 1)), write('agreement-v2.yaml', agreementYaml(f, 2))],
    council: {
      m01: write('council-m01.csv', councilCsv(f, COUNCIL_M01)),
      m01b: write('council-m01b.csv', councilCsv(f, COUNCIL_M01B)),
      m02: write('council-m02.csv', councilCsv(f, COUNCIL_M02)),
      ytd: write('council-ytd.csv', councilCsv(f, COUNCIL_YTD)),
    },
    icb: { m01: write('icb-m01.csv', icbCsv(f, ICB_M01)), m02: write('icb-m02.csv', icbCsv(f, ICB_M02)) },
    forecasts: [
      write('forecasts-1.csv', `scheme,period,amount,note\ncare,2025-26 M02,${pounds(f, 190000)},${f.title} lead view\nreable,2025-26 M02,${pounds(f, 150000)},\n`),
      write('forecasts-2.csv', `scheme,period,amount,note\ncare,2025-26 M02,${pounds(f, 195000)},${f.title} revised\n`),
    ],
    contracts: write('contracts.yaml', contractsYaml(f)),
    measures: [
      { kind: 'activity', file: write('activity-1.csv', `contract,period,units\nhomecare,2025-26 M01,${80 + f.extra}\nhomecare,2025-26 M02,90\n`) },
      { kind: 'activity', file: write('activity-2.csv', `contract,period,units,note\nhomecare,2025-26 M02,${95 + f.extra},${f.title} corrected\n`) },
      { kind: 'outcomes', file: write('outcomes.csv', `contract,period,outcomes\nhomecare,2025-26 M01,${3 + f.extra}\n`) },
      { kind: 'metrics', file: write('metrics.csv', `metric,period,plan,actual\nadmissions,2025-26 M01,100,${101 + f.extra}\n`) },
    ],
  };
}

const sha256 = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

// ---------------------------------------------------------------------------------------------
// Databases: opened on a driver that records every statement, with the Store over it.

/** The store, counting which of its methods are called (inside transactions too). */
function counting(store: Store, calls: Set<string>): Store {
  return new Proxy(store, {
    get(target, prop, receiver) {
      const value: unknown = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      if (prop === 'transaction') return (fn: (tx: Store) => Promise<unknown>, ...rest: unknown[]) => (value as (...a: unknown[]) => unknown)((tx: Store) => fn(counting(tx, calls)), ...rest);
      return (...args: unknown[]) => {
        calls.add(String(prop));
        return (value as (...a: unknown[]) => unknown)(...args);
      };
    },
  });
}

interface Db {
  location: string;
  store: Store;
  /** Every statement the store has run. */
  log: Statement[];
  dispose(): Promise<void>;
}

async function openDb(dialect: Dialect): Promise<Db> {
  const log: Statement[] = [];
  if (dialect === 'postgres') {
    const database = await createTestDatabase();
    const driver = await openPostgresDriver(database.url);
    const dispose = async () => {
      await driver.close().catch(() => {});
      await database.drop();
    };
    return { location: database.url, store: createStore(recording(driver, log)), log, dispose };
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-isolation-db-'));
  const file = path.join(dir, 'tandem.db');
  const driver = openSqliteDriver(file);
  const dispose = async () => {
    await driver.close().catch(() => {});
    fs.rmSync(dir, { recursive: true, force: true });
  };
  return { location: file, store: createStore(recording(driver, log)), log, dispose };
}

const context = (store: Store, actor: string): AppContext => ({ store, actor, now: () => NOW });

/** What every database gets first: the schema (audited, as `tandem init` does) and an admin of no fund. */
async function prelude(store: Store): Promise<void> {
  const ctx = context(store, 'operator');
  await initStore(ctx);
  await addUser(ctx, { email: ADMIN, role: 'admin', password: PASSWORD });
}

/** A fund's life, through the use cases (and one batch through the store). */
async function runScenario(store: Store, f: Fund, files: Files): Promise<void> {
  const ctx = context(store, f.actor);
  const fundId = f.id;
  const name = (file: string) => path.basename(file);
  const load = (ledgerId: string, file: string) => importBatch(ctx, { fundId, ledgerId, path: file, displayName: name(file) });

  await loadAgreement(ctx, files.agreement[0]);
  await addUser(ctx, { email: `finance@${f.id}.example`, role: 'finance', partner: 'council', password: PASSWORD, fundId });
  await addUser(ctx, { email: `viewer@${f.id}.example`, role: 'viewer', partner: 'icb', password: PASSWORD, fundId });
  await load('council', files.council.m01);
  await load('icb', files.icb.m01);
  await load('council', files.council.m02);
  await load('icb', files.icb.m02);
  await load('council', files.council.m01b); // replace mode: supersedes M01 of the first council batch
  await closePeriod(ctx, { fundId, period: M01 });
  await load('council', files.council.ytd); // M01 unchanged and closed: kept from m01b; M02 superseded
  for (const file of files.forecasts) await importForecasts(ctx, { fundId, path: file, displayName: name(file) });
  await setCommentary(ctx, { fundId, schemeId: 'reable', period: M02, text: `${f.title}: discharges up.` });
  await setCommentary(ctx, { fundId, schemeId: 'care', period: M02, text: `${f.title}: agency use.` });
  await setCommentary(ctx, { fundId, schemeId: 'reable', period: M02, text: `${f.title}: discharges up, revised.` });
  await loadAgreement(ctx, files.agreement[1]); // maps account 9 to acute
  await remap(ctx, { fundId, skipClosedPeriods: true });
  await closePeriod(ctx, { fundId, period: M02, allowUnmapped: true });
  await reopenPeriod(ctx, { fundId, period: M02, reason: `${f.title} late invoice` });
  await closePeriod(ctx, { fundId, period: M02, allowUnmapped: true });
  await createApiToken(ctx, { email: `finance@${f.id}.example`, name: `${f.title} reporting` });
  // Decisions: a virement from M03 approved by both finance directors (agreement version 3), and one rejected.
  const virement = { type: 'virement' as const, year: 2025, partner: 'icb', from: 'reable', to: 'care', amountPence: 1000 + f.extra };
  const first = await proposeDecision(ctx, { fundId, title: `${f.title}: reablement to care`, effectiveFrom: M03, change: virement });
  await approveDecision(ctx, { fundId, id: first.id, on: '2025-06-01', route: 'delegated', by: 'fd1' });
  await approveDecision(ctx, { fundId, id: first.id, on: '2025-06-02', route: 'delegated', by: 'fd2' });
  const second = await proposeDecision(ctx, { fundId, title: `${f.title}: back again`, effectiveFrom: M03, change: { ...virement, from: 'care', to: 'reable' } });
  await rejectDecision(ctx, { fundId, id: second.id, by: 'm2', on: '2025-06-03', reason: `${f.title} says no` });
  await loadContracts(ctx, { fundId, path: files.contracts, displayName: name(files.contracts) });
  for (const m of files.measures) await importMeasures(ctx, m.kind, { fundId, path: m.file, displayName: name(m.file) });
  // Two ICB lines in M03, one repeating R1: a duplicate id no import lets in (for duplicateLiveLineIds).
  // The same file hash in both funds: findBatchBySha256 must tell them apart by fund.
  const header = ['Date', 'Ref', 'Account', 'Description', 'Amount'];
  const lines = linesOf(2, (n) => {
    const ref = n === 2 ? 'R1' : 'R8';
    const pence = 700 + n + f.extra;
    return { period: M03, lineId: ref, amountPence: pence, schemeId: 'care', codes: JSON.stringify([`${f.acc}1`]), raw: JSON.stringify(['02/06/2025', ref, `${f.acc}1`, `${f.title} duplicate`, (pence / 100).toFixed(2)]) };
  });
  await storeBatch(store, lines, { fundId, ledgerId: 'icb', mode: 'append', sha: 'd'.repeat(64), fileName: `${f.id}-icb-m03.csv`, headerJson: JSON.stringify(header), agreementVersion: 2, importedBy: f.actor });
  // A year-end of an earlier year, written through the store (a real one needs twelve closes).
  const yearEnd = JSON.stringify({ fund: fundId, year: '2024-25', lines: [{ text: `${f.title} carry-forward` }] });
  await store.insertYearEnd({ fundId, year: 2024, closeVersion: 1, agreementVersion: null, documentJson: yearEnd, documentSha256: 'e'.repeat(64), at: NOW.toISOString(), actor: f.actor });
}

// ---------------------------------------------------------------------------------------------
// The reads: every fund-scoped and own-id method, with arguments covering both funds' keys.

interface Probe {
  method: keyof Store;
  args: unknown[];
}

const probeName = (p: Probe) => `${p.method}(${JSON.stringify(p.args)})`;

interface Keys {
  batchFiles: { ledgerId: string; sha: string }[];
  forecastFiles: string[];
  measureFiles: { kind: MeasureKind; sha: string }[];
  refs: string[];
}

async function probesFor(store: Store, f: Fund, keys: Keys): Promise<Probe[]> {
  const fundId = f.id;
  const probes: Probe[] = [];
  const add = (method: keyof Store, ...args: unknown[]) => probes.push({ method, args });

  add('getAgreementVersion', fundId);
  for (const v of [1, 2, 3]) add('getAgreementVersion', fundId, v);
  add('listAgreementVersions', fundId);

  for (const k of keys.batchFiles) add('findBatchBySha256', fundId, k.ledgerId, k.sha);
  for (const ledgerId of ['council', 'icb']) {
    add('findBatchBySha256', fundId, ledgerId, 'd'.repeat(64));
    add('listBatches', fundId, ledgerId);
    add('findLiveLineIds', fundId, ledgerId, keys.refs);
  }
  add('listBatches', fundId);
  for (const batch of await store.listBatches(fundId)) {
    add('getBatch', batch.id);
    add('getBatchDigest', batch.id);
    add('batchSchemeTotals', batch.id);
    add('batchLineTotals', batch.id);
    add('batchLineTotals', batch.id, M02);
    add('getLines', batch.id, 0, 100);
    add('getLines', batch.id, 1, 2);
    add('iterateBatchLines', batch.id, 2);
  }

  const filters = [{ fundId }, { fundId, ledgerId: 'icb' }, { fundId, fromPeriod: M02, toPeriod: M02 }, { fundId, status: 'unmapped' }, { fundId, fromPeriod: M01, toPeriod: M03, status: 'mapped' }];
  const groupings = [[], ['ledger'], ['period', 'status'], ['ledger', 'period', 'scheme'], ['ledger', 'scheme', 'codes'], ['codes'], ['ledger', 'period', 'status', 'scheme', 'codes']];
  for (const filter of filters) for (const groupBy of groupings) add('liveTotals', filter, groupBy);

  const lineFilters = [
    { fundId },
    { fundId, schemeId: 'care' },
    { fundId, ledgerIds: ['icb'] },
    { fundId, ledgerId: 'council', fromPeriod: M02, toPeriod: M02 },
    { fundId, status: 'unmapped' },
    { fundId, codeContains: '1' },
    ...FUNDS.map((g) => ({ fundId, codeContains: g.acc })),
  ];
  for (const filter of lineFilters) {
    for (const sort of ['period', 'amount', 'line']) {
      for (const direction of ['asc', 'desc']) add('queryLiveLines', filter, { offset: 0, limit: 50, sort, direction });
    }
    add('queryLiveLines', filter, { offset: 2, limit: 3, sort: 'period', direction: 'asc' });
  }
  add('duplicateLiveLineIds', fundId, 100);

  for (const period of [M01, M02, M03]) {
    add('getClose', fundId, period);
    add('leadForecasts', fundId, period);
    add('latestCommentary', fundId, period);
  }
  add('getClose', fundId, M02, 1);
  add('listCloses', fundId);
  for (const id of [1, 2, 3]) add('getDecision', fundId, id);
  add('listDecisions', fundId);
  for (const year of [2024, 2025]) add('getYearEnd', fundId, year);
  add('listYearEnds', fundId);
  add('latestPeriodEvents', fundId);
  add('listPeriodEvents', fundId);
  for (const sha of keys.forecastFiles) add('findForecastBatchBySha256', fundId, sha);
  add('getContractRegister', fundId);
  add('getContractRegister', fundId, 1);
  add('listContractRegisters', fundId);
  for (const k of keys.measureFiles) add('findMeasureBatchBySha256', fundId, k.kind, k.sha);
  add('listMeasureBatches', fundId);
  for (const kind of ['activity', 'outcomes', 'metrics'] as const) {
    add('listMeasureBatches', fundId, kind);
    add('measuresInForce', fundId, kind);
  }
  add('listForecastBatches', fundId);
  for (const batch of await store.listForecastBatches(fundId)) add('forecastRows', batch.id);

  add('listAudit', { fundId });
  add('listAudit', { fundId, action: 'close' });
  add('listAudit', { fundId, limit: 3 });
  for (const query of [{ fundId }, { fundId, withoutFund: true }, { fundId, action: 'import.batch' }, { fundId, withoutFund: true, actor: 'operator' }]) {
    add('queryAudit', query, { offset: 0, limit: 1000 });
  }
  add('queryAudit', { fundId }, { offset: 3, limit: 4 });
  add('auditFacets', { fundId });
  add('auditFacets', { fundId, withoutFund: true });
  return probes;
}

async function runProbe(store: Store, probe: Probe): Promise<unknown> {
  const method = store[probe.method] as unknown as (...args: unknown[]) => unknown;
  const out = await method(...probe.args);
  if (out !== null && typeof out === 'object' && Symbol.asyncIterator in out) {
    const chunks: unknown[] = [];
    for await (const chunk of out as AsyncIterable<unknown>) chunks.push(chunk);
    return chunks;
  }
  return out === undefined ? null : out;
}

/** Each probe's answer, and the statements it ran, by probe name. */
type Answers = Map<string, { answer: unknown; statements: Statement[] }>;

async function runProbes(db: Db, probes: Probe[]): Promise<Answers> {
  const out: Answers = new Map();
  for (const probe of probes) {
    const from = db.log.length;
    const answer = await runProbe(db.store, probe);
    out.set(probeName(probe), { answer, statements: db.log.slice(from) });
  }
  return out;
}


/** Each statement once, in the order first run. */
function distinctStatements(answers: Answers): Statement[] {
  const out = new Map<string, Statement>();
  for (const { statements } of answers.values()) for (const s of statements) out.set(JSON.stringify(s), s);
  return [...out.values()];
}

/** Names (tables and their aliases) under which a statement reads a stored table. */
function tablesOf(sql: string): Set<string> {
  const names = new Set<string>();
  for (const m of sql.matchAll(/\b(?:FROM|JOIN)\s+([a-z_]+)(?:\s+(?:AS\s+)?([a-z_]+))?/gi)) {
    const table = m[1]!.toLowerCase();
    if (!(table in OWNERSHIP)) continue;
    names.add(table);
    const alias = m[2]?.toLowerCase();
    if (alias && !['where', 'on', 'join', 'group', 'order', 'left', 'inner', 'limit'].includes(alias)) names.add(alias);
  }
  return names;
}

// ---------------------------------------------------------------------------------------------
// PostgreSQL helpers: tuples read by one statement, row-level security (the client: support/raw-sql.ts).

const TUPLES_READ = `SELECT c.relname, pg_stat_get_xact_tuples_returned(c.oid) + pg_stat_get_xact_tuples_fetched(c.oid) AS n
  FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
  WHERE ns.nspname = 'public' AND c.relkind IN ('r', 'i')`;

const toParam = (value: SqlValue) => (typeof value === 'bigint' ? value.toString() : value);

/** Tuples read from each table and index of the schema by one statement, as a large table would be read (no sequential scans). */
async function tuplesRead(client: pg.Client, statement: Statement): Promise<Record<string, number>> {
  await client.query('BEGIN');
  try {
    await client.query('SET LOCAL enable_seqscan = off');
    const counts = async () => new Map((await client.query<{ relname: string; n: string }>(TUPLES_READ)).rows.map((r) => [r.relname, Number(r.n)]));
    const before = await counts();
    await client.query(numberPlaceholders(statement.sql), statement.params.map(toParam));
    const after = await counts();
    const read: Record<string, number> = {};
    for (const [relation, n] of after) if (n !== (before.get(relation) ?? 0)) read[relation] = n - (before.get(relation) ?? 0);
    return read;
  } finally {
    await client.query('ROLLBACK');
  }
}

/** A login role that is not the owner, and a row-level security policy on every fund table. */
async function enableRowSecurity(ownerUrl: string, role: string): Promise<void> {
  await withPgClient(ownerUrl, async (client) => {
    const tables = (await client.query<{ table_name: string }>(`SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY 1`)).rows.map((r) => r.table_name);
    expect(tables.filter((t) => !(t in OWNERSHIP)), 'tables with no row-level security decision in OWNERSHIP').toEqual([]);
    const sql = [
      `CREATE ROLE ${role} LOGIN`,
      `GRANT USAGE ON SCHEMA public TO ${role}`,
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`,
      `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`,
      `CREATE FUNCTION tandem_fund() RETURNS text LANGUAGE sql STABLE AS $$ SELECT current_setting('app.fund') $$`,
      ...Object.entries(OWNERSHIP)
        .filter(([, policy]) => policy !== null)
        .flatMap(([table, policy]) => [`ALTER TABLE ${table} ENABLE ROW LEVEL SECURITY`, `CREATE POLICY fund_rows ON ${table} USING (${policy})`]),
    ];
    for (const statement of sql) await client.query(statement);
  });
}

/** The URL of a session as `role` with `app.fund` set: it can see only that fund's rows. */
function urlAs(ownerUrl: string, role: string, fundId: string): string {
  const url = new URL(ownerUrl);
  url.username = role;
  url.searchParams.set('options', `-c app.fund=${fundId}`);
  return url.toString();
}

async function openAs(ownerUrl: string, role: string, fundId: string): Promise<Store> {
  return createStore(await openPostgresDriver(urlAs(ownerUrl, role, fundId)));
}

/** A fund's read use cases, their answers made comparable. */
async function readUseCases(store: Store, f: Fund, outDir: string): Promise<Record<string, unknown>> {
  const ctx = context(store, `${f.id}.reader`);
  const fundId = f.id;
  const report = await buildReport(ctx, { fundId, period: M02 });
  const lines: unknown[] = [];
  for (const batch of await reportLines(ctx, report)) {
    const rows: unknown[] = [];
    for await (const chunk of batch.lines) rows.push(...chunk);
    lines.push({ ...batch, lines: rows });
  }
  const journals = await exportJournals(ctx, { fundId, period: M02, format: 'csv', outDir });
  // Status names the database it read, which the restricted session reaches by another URL.
  const status = async (period?: PeriodKey) => ({ ...(await fundStatus(ctx, { fundId, period })), database: null });
  return {
    status: await status(M02),
    statusLatest: await status(),
    closeM01: await readClose(ctx, { fundId, period: M01 }),
    closeM02v1: await readClose(ctx, { fundId, period: M02, version: 1 }),
    report: report.data,
    reportLines: lines,
    journals: journals.files.map((file) => ({ ledger: file.ledger, text: fs.readFileSync(file.path, 'utf8') })),
    unmapped: await unmappedGroups(ctx, { fundId }),
    commentary: await listCommentary(ctx, { fundId, period: M02 }),
    history: await agreementHistory(ctx, fundId),
    diff: await agreementDiff(ctx, fundId, 1, 2),
    contracts: await contractsReport(ctx, { fundId, period: M02 }),
    metrics: await metricsReport(ctx, { fundId }),
  };
}

// ---------------------------------------------------------------------------------------------

let dir = '';
const files = {} as Record<Fund['id'], Files>;
let keys: Keys;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tandem-isolation-'));
  for (const f of FUNDS) files[f.id] = writeFiles(dir, f);
  for (const f of FUNDS) {
    const fx = files[f.id];
    const own = [...fx.agreement, ...Object.values(fx.council), ...Object.values(fx.icb), ...fx.forecasts, fx.contracts, ...fx.measures.map((m) => m.file)];
    for (const file of own) for (const marker of other(f).markers) expect(fs.readFileSync(file, 'utf8'), `${file} holds ${marker}`).not.toContain(marker);
  }
  keys = {
    batchFiles: FUNDS.flatMap((f) => [
      ...Object.values(files[f.id].council).map((file) => ({ ledgerId: 'council', sha: sha256(file) })),
      ...Object.values(files[f.id].icb).map((file) => ({ ledgerId: 'icb', sha: sha256(file) })),
    ]),
    forecastFiles: FUNDS.flatMap((f) => files[f.id].forecasts.map(sha256)),
    measureFiles: FUNDS.flatMap((f) => files[f.id].measures.map((m) => ({ kind: m.kind, sha: sha256(m.file) }))),
    refs: ['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8', 'R9'],
  };
});

afterAll(() => {
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

it('classifies every Store member, and probes every fund-scoped read', async () => {
  const db = await openDb('sqlite');
  try {
    await db.store.migrate();
    expect(Object.keys(db.store).sort()).toEqual(Object.keys(MEMBERS).sort());
    const probed = new Set((await probesFor(db.store, TINY, { batchFiles: [{ ledgerId: 'icb', sha: 'a'.repeat(64) }], forecastFiles: ['b'.repeat(64)], measureFiles: [{ kind: 'activity', sha: 'c'.repeat(64) }], refs: ['R1'] })).map((p) => p.method));
    // With no batches stored, the own-id probes have no ids to take; they are listed in the run below.
    const fundScoped = Object.entries(MEMBERS).filter(([, m]) => m.kind === 'fund').map(([name]) => name);
    expect(fundScoped.filter((name) => !probed.has(name as keyof Store)), 'fund-scoped methods with no probe').toEqual([]);
    for (const [name, m] of Object.entries(MEMBERS)) if (m.kind === 'global' || m.kind === 'store') expect(m.why, `${name} needs a reason`).not.toBe('');
  } finally {
    await db.dispose();
  }
});

for (const dialect of ['sqlite', 'postgres'] as const) {
  describe(`two funds in one database [${dialect}]`, () => {
    const dbs = {} as Record<'tiny' | 'twin' | 'tinyTwin' | 'twinTiny', Db>;
    const calls = new Set<string>();
    /** For each fund: its probes' answers alone and in the database where it was loaded first. */
    const answers = {} as Record<Fund['id'], { alone: Db; shared: Db; solo: Answers; both: Answers }>;

    beforeAll(async () => {
      const plan: [keyof typeof dbs, Fund[]][] = [
        ['tiny', [TINY]],
        ['twin', [TWIN]],
        ['tinyTwin', [TINY, TWIN]],
        ['twinTiny', [TWIN, TINY]],
      ];
      for (const [label, order] of plan) {
        const db = await openDb(dialect);
        dbs[label] = db;
        const store = counting(db.store, calls);
        await prelude(store);
        for (const f of order) await runScenario(store, f, files[f.id]);
      }
      for (const f of FUNDS) {
        const alone = dbs[f.id];
        const shared = f === TINY ? dbs.tinyTwin : dbs.twinTiny;
        answers[f.id] = { alone, shared, solo: await runProbes(alone, await probesFor(alone.store, f, keys)), both: await runProbes(shared, await probesFor(shared.store, f, keys)) };
      }
    });

    afterAll(async () => {
      for (const db of Object.values(dbs)) await db.dispose();
    });

    it('exercises every write of fund data, and probes every own-id read', () => {
      const writes = Object.entries(MEMBERS).filter(([, m]) => m.kind === 'write').map(([name]) => name);
      expect(writes.filter((name) => !calls.has(name)), 'writes the scenario never made').toEqual([]);
      const probed = new Set([...answers.tiny.both.keys()].map((name) => name.slice(0, name.indexOf('('))));
      const ownId = Object.entries(MEMBERS).filter(([, m]) => m.kind === 'own-id').map(([name]) => name);
      expect(ownId.filter((name) => !probed.has(name)), 'own-id methods with no probe').toEqual([]);
    });

    for (const f of FUNDS) {
      it(`answers every read of ${f.id} exactly as when ${f.id} is alone, with none of ${other(f).id}'s rows`, () => {
        const { solo, both } = answers[f.id];
        expect([...both.keys()]).toEqual([...solo.keys()]);
        expect(both.size).toBeGreaterThan(200);
        let rowsSeen = 0;
        for (const [name, { answer }] of both) {
          expect(answer, name).toEqual(solo.get(name)!.answer);
          const json = JSON.stringify(answer);
          rowsSeen += json.length;
          for (const marker of other(f).markers) expect(json.includes(marker), `${name} returned ${other(f).id}'s "${marker}": ${json.slice(0, 400)}`).toBe(false);
        }
        // The reads are not vacuous: they return the fund's own rows.
        const own = (name: string) => JSON.stringify(both.get(name)!.answer);
        expect(own(`listBatches(${JSON.stringify([f.id])})`)).toContain(`${f.id}-council-ytd.csv`);
        expect(own(`duplicateLiveLineIds(${JSON.stringify([f.id, 100])})`)).toContain('"lineId":"R1"');
        expect(own(`latestCommentary(${JSON.stringify([f.id, M02])})`)).toContain('discharges up, revised');
        expect(JSON.parse(own(`findLiveLineIds(${JSON.stringify([f.id, 'icb', keys.refs])})`))).toEqual(['R1', 'R2', 'R3', 'R4', 'R5', 'R6', 'R7', 'R8']);
        expect(rowsSeen).toBeGreaterThan(100_000);
      });
    }

    if (dialect === 'sqlite') {
      for (const f of FUNDS) {
        it(`plans every statement of ${f.id}'s reads to search fund tables by key, not scan them, but the known ones (EXPLAIN QUERY PLAN)`, () => {
          const { shared, both } = answers[f.id];
          const sqlite = new Database(shared.location, { readonly: true });
          const unexpected: string[] = [];
          const seen = new Set<string>();
          try {
            for (const s of distinctStatements(both)) {
              const tables = tablesOf(s.sql);
              const plan = sqlite.prepare(`EXPLAIN QUERY PLAN ${s.sql}`).all(...s.params) as { detail: string }[];
              const scans = plan.map((p) => p.detail).filter((d) => /^SCAN /.test(d) && tables.has(d.split(' ')[1]!));
              if (scans.length === 0) continue;
              const known = KNOWN_CROSS_FUND_READS.find((k) => k.sql.test(oneLine(s.sql)));
              if (known) seen.add(known.name);
              else unexpected.push(`${scans.join('; ')}: ${oneLine(s.sql)}`);
            }
          } finally {
            sqlite.close();
          }
          expect(unexpected, 'statements whose plan scans a fund table whole').toEqual([]);
          expect([...seen].sort()).toEqual(['drill-down sorted by amount']);
        });
      }
    }

    if (dialect !== 'postgres') return;

    for (const f of FUNDS) {
      it(`reads no tuple of ${other(f).id} in any statement of ${f.id}'s reads but the known ones (tuples read per table and index, without sequential scans)`, async () => {
        const { alone, shared, both } = answers[f.id];
        const statements = distinctStatements(both);
        expect(statements.length).toBeGreaterThan(100);
        const unexpected: string[] = [];
        const seen = new Set<string>();
        let tuples = 0;
        let cross = 0;
        await withPgClient(alone.location, (soloClient) =>
          withPgClient(shared.location, async (sharedClient) => {
            for (const s of statements) {
              expect(s.sql.trimStart().slice(0, 6).toUpperCase(), s.sql).toBe('SELECT');
              const [a, b] = [await tuplesRead(soloClient, s), await tuplesRead(sharedClient, s)];
              tuples += Object.values(b).reduce((n, x) => n + x, 0);
              const more = Object.keys(b).filter((relation) => b[relation] !== a[relation]);
              if (more.length === 0 && Object.keys(a).every((relation) => relation in b)) continue;
              cross += 1;
              const known = KNOWN_CROSS_FUND_READS.find((k) => k.sql.test(oneLine(s.sql)) && more.every((relation) => k.tables.includes(relation)));
              if (known) seen.add(known.name);
              else unexpected.push(`${JSON.stringify(a)} alone, ${JSON.stringify(b)} shared: ${oneLine(s.sql)} ${JSON.stringify(s.params)}`);
            }
          }),
        );
        expect(unexpected, 'statements that read the other fund\u2019s tuples').toEqual([]);
        expect([...seen].sort(), 'known cross-fund reads (drop any that no longer happen)').toEqual(KNOWN_CROSS_FUND_READS.map((k) => k.name).sort());
        expect(tuples).toBeGreaterThan(1000); // the counters do count
        expect(cross).toBeLessThan(statements.length / 5);
      });
    }

    it('under row-level security for one fund, every read and read use case of that fund gives the owner\u2019s answers', async () => {
      const db = dbs.tinyTwin;
      const role = `tandem_fund_${randomBytes(4).toString('hex')}`;
      await enableRowSecurity(db.location, role);
      try {
        for (const f of FUNDS) {
          const restricted = await openAs(db.location, role, f.id);
          try {
            // The policy bites: the session sees this fund alone, and fewer lines than there are.
            expect((await restricted.listFunds()).map((x) => x.id)).toEqual([f.id]);
            const count = (url: string, sql: string) => withPgClient(url, async (c) => Number((await c.query<{ n: string }>(sql)).rows[0]!.n));
            for (const table of ['lines', 'line_totals', 'batch_periods', 'forecasts', 'audit_events']) {
              const all = await count(db.location, `SELECT COUNT(*) AS n FROM ${table}`);
              const own = await count(db.location, `SELECT COUNT(*) AS n FROM ${table} t WHERE ${OWNERSHIP[table]!.replace(/tandem_fund\(\)/g, `'${f.id}'`).replace(/\b(batch_id|fund_id)\b/, 't.$1')}`);
              expect(own, table).toBeGreaterThan(0);
              expect(own, table).toBeLessThan(all);
              expect(await count(urlAs(db.location, role, f.id), `SELECT COUNT(*) AS n FROM ${table}`), `${table} as seen by ${f.id}'s session`).toBe(own);
            }
            for (const probe of await probesFor(db.store, f, keys)) {
              expect(await runProbe(restricted, probe), probeName(probe)).toEqual(await runProbe(db.store, probe));
            }
            const out = (who: string) => fs.mkdtempSync(path.join(dir, `${who}-`));
            expect(await readUseCases(restricted, f, out('restricted'))).toEqual(await readUseCases(db.store, f, out('owner')));
          } finally {
            await restricted.close();
          }
        }
      } finally {
        await withPgClient(db.location, (c) => c.query(`DROP OWNED BY ${role}`)).catch(() => {});
        await withPgClient(db.location, (c) => c.query(`DROP ROLE IF EXISTS ${role}`)).catch(() => {});
      }
    });

    it('under row-level security a fund\u2019s writes need one row of another fund: the head of the audit chain', async () => {
      const db = dbs.tinyTwin; // tiny was loaded first: the chain's head is twin's latest event
      const role = `tandem_fund_${randomBytes(4).toString('hex')}`;
      // The policies may already be there (the test above); a fresh database would need them.
      const hasPolicies = await withPgClient(db.location, async (c) => (await c.query(`SELECT 1 FROM pg_policies WHERE policyname = 'fund_rows'`)).rowCount! > 0);
      if (hasPolicies) {
        await withPgClient(db.location, async (c) => {
          await c.query(`CREATE ROLE ${role} LOGIN`);
          for (const grant of [`GRANT USAGE ON SCHEMA public TO ${role}`, `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role}`, `GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${role}`]) await c.query(grant);
        });
      } else await enableRowSecurity(db.location, role);
      const restricted = await openAs(db.location, role, TINY.id);
      try {
        const ctx = context(restricted, TINY.actor);
        const head = await withPgClient(db.location, async (c) => (await c.query<{ fund_id: string }>('SELECT fund_id FROM audit_events ORDER BY id DESC LIMIT 1')).rows[0]!.fund_id);
        expect(head).toBe(TWIN.id);
        // Without the head, tiny's session chains its event to tiny's own latest one, whose hash
        // twin's first event already took as its prev_hash: refused (prev_hash is UNIQUE).
        await expect(reopenPeriod(ctx, { fundId: TINY.id, period: M02, reason: 'restricted' })).rejects.toThrow(/prev_hash|unique/i);
        await withPgClient(db.location, async (c) => {
          await c.query(`CREATE FUNCTION tandem_audit_head() RETURNS bigint LANGUAGE sql STABLE SECURITY DEFINER AS $$ SELECT MAX(id) FROM audit_events $$`);
          await c.query(`CREATE POLICY chain_head ON audit_events FOR SELECT USING (id = tandem_audit_head())`);
        });
        await reopenPeriod(ctx, { fundId: TINY.id, period: M02, reason: 'restricted' });
        const closed = await closePeriod(ctx, { fundId: TINY.id, period: M02, allowUnmapped: true });
        expect(closed.document.closeVersion).toBe(3);
        expect(closed.document.changes).toEqual([]);
        const owner = await readClose(context(db.store, 'owner'), { fundId: TINY.id, period: M02, version: 2 });
        expect(closed.document.totals).toEqual(owner.totals);
        expect(closed.document.journals).toEqual(owner.journals);
      } finally {
        await restricted.close();
        await withPgClient(db.location, (c) => c.query(`DROP OWNED BY ${role}`)).catch(() => {});
        await withPgClient(db.location, (c) => c.query(`DROP ROLE IF EXISTS ${role}`)).catch(() => {});
      }
    });

    it('lets one fund take its lock while another fund holds its own', async () => {
      const { store } = dbs.tinyTwin;
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      let taken!: () => void;
      const isTaken = new Promise<void>((resolve) => (taken = resolve));
      const first = store.transaction(async (tx) => {
        await tx.lockFund(TINY.id);
        taken();
        await held;
      });
      await isTaken;
      await store.transaction((tx) => tx.lockFund(TWIN.id)); // does not wait for tiny's
      let second = false;
      const again = store.transaction(async (tx) => {
        await tx.lockFund(TINY.id);
        second = true;
      });
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(second).toBe(false); // tiny's own lock is real
      release();
      await Promise.all([first, again]);
      expect(second).toBe(true);
    });
  });
}
