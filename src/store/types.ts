// One storage interface, two adapters (SQLite by default, PostgreSQL by URL).
// Everything the app layer needs from a database goes through `Store`; SQL lives only in
// src/store/. Amounts are integer pence, periods are PeriodKeys (202503 = 2025-26 M03).
// Records are append-only: agreement versions, batches, lines and audit events are never
// edited, except the derived columns (a line's mapping, batch-period supersession) that the
// app recomputes from stored inputs.

import type { Role } from '../domain/access.js';
import type { ContractStore } from './contract-types.js';
import type { DecisionStore, VersionEffect } from './decision-types.js';
import type { YearEndStore } from './year-end-types.js';
import type { Pence } from '../domain/money.js';
import type { PeriodKey } from '../domain/period.js';
import type { LineColumns } from './line-columns.js';
import type { LinesDigest } from './line-digest.js';
import type { LiveLinesFilter, LiveLinesPage, LiveLinesResult } from './line-query.js';

export type LineStatus = 'mapped' | 'out_of_scope' | 'unmapped';

export type { LiveLine, LiveLinesFilter, LiveLinesPage, LiveLinesResult, LiveLinesSort } from './line-query.js';

export interface AgreementVersionRecord extends VersionEffect {
  fundId: string;
  version: number;
  fundName: string;
  loadedAt: string; // ISO timestamp
  loadedBy: string;
  sourceFile: string;
  sourceSha256: string; // hash of the resolved source (agreement + included files)
  sourceText: string; // the YAML as loaded (with included files appended, see app)
  modelJson: string; // the validated Agreement as JSON
}

export type NewAgreementVersion = Omit<AgreementVersionRecord, 'version' | keyof VersionEffect> & Partial<VersionEffect>;

export interface BatchRecord {
  id: number;
  fundId: string;
  ledgerId: string;
  fileName: string;
  fileSha256: string;
  fileBytes: number;
  mode: 'replace' | 'append';
  agreementVersion: number;
  importedAt: string;
  importedBy: string;
  lineCount: number;
  controlTotalPence: Pence;
  /** Original header row, JSON array of column names; `raw` of each line aligns with it. */
  headerJson: string;
  /** Periods the batch covers. */
  periods: PeriodKey[];
  /** Periods of this batch that a later batch replaced: period → superseding batch id. */
  supersededPeriods: Record<number, number>;
}

export type NewBatch = Omit<BatchRecord, 'id' | 'periods' | 'supersededPeriods'>;

export interface StoredLine {
  lineNo: number; // physical line / row number in the source file
  period: PeriodKey;
  amountPence: Pence;
  status: LineStatus;
  schemeId: string | null;
  ruleIndex: number | null;
  lineId: string | null; // the ledger's transaction id, if any
  codes: string; // JSON array of the ledger's analysis code values, in settings order
  raw: string; // JSON array of every original column value, aligned with the batch header
}

export type { LineColumns, LineTarget } from './line-columns.js';

/** Per batch, pre-aggregated line totals: what status, close and reports read. */
export interface LineTotal {
  batchId: number;
  period: PeriodKey;
  status: LineStatus;
  schemeId: string | null;
  codes: string;
  lineCount: number;
  amountPence: Pence;
}

export interface LiveTotalsFilter {
  fundId: string;
  ledgerId?: string;
  fromPeriod?: PeriodKey;
  toPeriod?: PeriodKey;
  status?: LineStatus;
}

/**
 * Totals over live batch-periods (not superseded), grouped as asked. A dimension not in groupBy
 * holds a placeholder, not a value: ledgerId '', period 0, status '' (outside LineStatus),
 * schemeId null, codes ''. Rows are sorted by the grouped dimensions, unmapped schemes last.
 */
export interface LiveTotalRow extends Omit<LineTotal, 'batchId'> {
  ledgerId: string;
}

export interface AuditEventInput {
  fundId: string | null;
  actor: string;
  action: string; // e.g. 'agreement.load', 'import.batch', 'import.supersede', 'remap'
  subject: string | null; // e.g. 'batch:12', 'agreement:3'
  details: Record<string, unknown>;
  inputSha256: string | null;
  at: string; // ISO timestamp, passed in (the core has no clock)
}

export interface AuditEvent extends AuditEventInput {
  id: number;
  prevHash: string;
  hash: string; // sha256 over prevHash + canonical JSON of the event's content
}

/**
 * Which audit events a reader asks for (Store.queryAudit). Every field given narrows the list.
 * The fund scope: without `fundId`, events of every fund and of none; with it, that fund's
 * events, plus the events tied to no fund (init's migrations, admins and their API tokens) only
 * when `withoutFund` is set — the web app sets it for admins alone (src/web/routes/audit.ts).
 */
export interface AuditQuery {
  fundId?: string;
  withoutFund?: boolean;
  action?: string;
  actor?: string;
  /** ISO timestamps: events at or after `since`, and strictly before `before`. */
  since?: string;
  before?: string;
}

/** One page of Store.queryAudit: the events newest first, and how many match over all pages. */
export interface AuditQueryResult {
  total: number;
  events: AuditEvent[];
}

export interface RemapLine {
  batchId: number;
  lineNo: number;
  period: PeriodKey;
  amountPence: Pence;
  lineId: string | null;
  codes: string;
  raw: string;
  status: LineStatus;
  schemeId: string | null;
  ruleIndex: number | null;
}

export interface LineMappingUpdate {
  batchId: number;
  lineNo: number;
  status: LineStatus;
  schemeId: string | null;
  ruleIndex: number | null;
}

export interface CloseRecord {
  id: number;
  fundId: string;
  period: PeriodKey;
  version: number;
  agreementVersion: number;
  closedAt: string;
  closedBy: string;
  /** The close document (docs/close.md), exactly as stored. */
  documentJson: string;
  documentSha256: string;
}

export type NewClose = Omit<CloseRecord, 'id' | 'version'>;

export interface PeriodEvent {
  id: number;
  fundId: string;
  period: PeriodKey;
  action: 'close' | 'reopen';
  closeId: number | null;
  reason: string | null;
  at: string;
  actor: string;
}

export interface ForecastBatchRecord {
  id: number;
  fundId: string;
  fileName: string;
  fileSha256: string;
  agreementVersion: number;
  importedAt: string;
  importedBy: string;
  lineCount: number;
}

export interface ForecastRow {
  lineNo: number;
  schemeId: string;
  period: PeriodKey;
  amountPence: Pence;
  note: string | null;
}

export interface CommentaryEntry {
  id: number;
  fundId: string;
  schemeId: string;
  period: PeriodKey;
  text: string;
  writtenAt: string;
  writtenBy: string;
}

export interface UserRecord {
  id: number;
  /** Lowercase; unique. */
  email: string;
  /** The fund whose partner the user acts for; null exactly when partnerId is. */
  fundId: string | null;
  /** Null only for an admin. */
  partnerId: string | null;
  role: Role;
  /** argon2id PHC string (parameters and salt included). */
  passwordHash: string;
  createdAt: string;
  createdBy: string;
  disabledAt: string | null;
}

export type NewUser = Omit<UserRecord, 'id' | 'disabledAt'>;

export interface SessionRecord {
  /** SHA-256 (hex) of the session token; the token itself is never stored. */
  id: string;
  userId: number;
  createdAt: string;
  expiresAt: string;
  lastSeenAt: string;
  /** SHA-256 (hex) of the session's CSRF token. */
  csrfTokenHash: string;
}

export interface ApiTokenRecord {
  id: number;
  name: string;
  /** SHA-256 (hex) of the token; the token itself is never stored. */
  tokenHash: string;
  /** The token acts as this user, with the user's role and partner. */
  userId: number;
  createdAt: string;
  expiresAt: string;
  revokedAt: string | null;
}

export interface SignInAttempt {
  email: string;
  ip: string;
  at: string;
  ok: boolean;
}

export interface Store extends DecisionStore, ContractStore, YearEndStore {
  readonly dialect: 'sqlite' | 'postgres';
  /** Where the data lives, safe to print (no password). */
  readonly location: string;

  /** Apply numbered migrations not yet applied; returns the numbers applied now. */
  migrate(): Promise<number[]>;
  /** Highest applied migration number, 0 for an empty database. */
  schemaVersion(): Promise<number>;
  close(): Promise<void>;

  /**
   * Run fn in one database transaction: everything or nothing. Nested calls join the outer
   * transaction. On SQLite the write lock is taken at the start (BEGIN IMMEDIATE).
   */
  transaction<T>(fn: (tx: Store) => Promise<T>): Promise<T>;

  // Funds and agreement versions
  listFunds(): Promise<{ id: string; name: string; latestVersion: number }[]>;
  /** The given version, or the latest when version is undefined. */
  getAgreementVersion(fundId: string, version?: number): Promise<AgreementVersionRecord | undefined>;
  listAgreementVersions(fundId: string): Promise<Omit<AgreementVersionRecord, 'sourceText' | 'modelJson'>[]>;
  /** Stores the next version number for the fund (1 for a new fund) and returns it. */
  insertAgreementVersion(record: NewAgreementVersion): Promise<number>;

  // Batches and lines
  findBatchBySha256(fundId: string, ledgerId: string, sha256: string): Promise<BatchRecord | undefined>;
  getBatch(id: number): Promise<BatchRecord | undefined>;
  listBatches(fundId: string, ledgerId?: string): Promise<BatchRecord[]>;
  /** Inserts with the counts given; a streamed import passes zeros and calls completeBatch at the end. */
  insertBatch(batch: NewBatch): Promise<number>;
  /** Sets the final line count, control total and lines' digest (line-digest.ts) of a batch, inside the import's transaction. */
  completeBatch(batchId: number, totals: { lineCount: number; controlTotalPence: Pence; digest?: LinesDigest }): Promise<void>;
  /** Fast path: prepared multi-row INSERTs on SQLite, COPY on PostgreSQL. Call within a transaction. */
  insertLines(batchId: number, lines: StoredLine[] | LineColumns): Promise<void>;
  insertBatchPeriods(batchId: number, periods: PeriodKey[]): Promise<void>;
  /**
   * Mark the live batch-periods of *other* batches of this ledger, for these periods, as
   * superseded by `byBatchId`. Returns what was superseded.
   */
  supersede(fundId: string, ledgerId: string, periods: PeriodKey[], byBatchId: number): Promise<{ batchId: number; period: PeriodKey }[]>;
  /** Marks one period of a batch superseded by another batch (used for an unchanged copy of a closed period). */
  markPeriodSuperseded(batchId: number, period: PeriodKey, byBatchId: number): Promise<void>;
  /** One batch's own totals per period, status and scheme, live or not. */
  batchSchemeTotals(batchId: number): Promise<Omit<LiveTotalRow, 'ledgerId' | 'codes'>[]>;
  /** Of the given line ids, those already present in live batch-periods of the ledger. */
  findLiveLineIds(fundId: string, ledgerId: string, lineIds: string[]): Promise<string[]>;
  replaceLineTotals(batchId: number, totals: Omit<LineTotal, 'batchId'>[]): Promise<void>;
  /** Adds partial totals rows for a batch (several rows for one group are summed by every reader). */
  appendLineTotals(batchId: number, totals: Omit<LineTotal, 'batchId'>[]): Promise<void>;
  liveTotals(filter: LiveTotalsFilter, groupBy: ('ledger' | 'period' | 'status' | 'scheme' | 'codes')[]): Promise<LiveTotalRow[]>;
  /** Every line of one batch (superseded periods included), in lineNo order, chunk by chunk (keyset paging). */
  iterateBatchLines(batchId: number, chunkSize: number): AsyncIterable<RemapLine[]>;
  updateLineMappings(updates: LineMappingUpdate[]): Promise<void>;
  /** A page of stored lines of a batch (for drill-down and tests). */
  getLines(batchId: number, offset: number, limit: number): Promise<StoredLine[]>;
  /**
   * A page of the lines of live batch-periods matching the filter, sorted (ties by batch and line
   * number), with the count and sum per ledger over all pages (src/store/line-query.ts).
   */
  queryLiveLines(filter: LiveLinesFilter, page: LiveLinesPage): Promise<LiveLinesResult>;

  // Closes, period locks and forecasts
  /**
   * Inside a transaction: wait until no other transaction holds this fund's lock (closes,
   * reopens and imports take it), and hold it until commit or rollback.
   */
  lockFund(fundId: string): Promise<void>;
  /** Stores the next close version for the fund and period and returns the record's id and version. */
  insertClose(record: NewClose): Promise<{ id: number; version: number }>;
  /** The given version, or the latest when version is undefined. */
  getClose(fundId: string, period: PeriodKey, version?: number): Promise<CloseRecord | undefined>;
  /** Every close of the fund (documents left out), by period then version. */
  listCloses(fundId: string): Promise<Omit<CloseRecord, 'documentJson'>[]>;
  appendPeriodEvent(event: Omit<PeriodEvent, 'id'>): Promise<number>;
  /** The latest close/reopen event of each period that has one. */
  latestPeriodEvents(fundId: string): Promise<PeriodEvent[]>;
  findForecastBatchBySha256(fundId: string, sha256: string): Promise<ForecastBatchRecord | undefined>;
  insertForecastBatch(batch: Omit<ForecastBatchRecord, 'id'>, rows: ForecastRow[]): Promise<number>;
  /** For one period: each scheme's forecast from the latest batch that gives one. */
  leadForecasts(fundId: string, period: PeriodKey): Promise<{ schemeId: string; amountPence: Pence; batchId: number; note: string | null }[]>;

  // Commentary (append-only; the latest per scheme and period is in force)
  insertCommentary(entry: Omit<CommentaryEntry, 'id'>): Promise<number>;
  /** The latest commentary of each scheme for the period. */
  latestCommentary(fundId: string, period: PeriodKey): Promise<CommentaryEntry[]>;

  // Users, sessions, API tokens and sign-in attempts (issue 6)
  /** Stores the user and returns its id; the email must already be lowercase. */
  insertUser(user: NewUser): Promise<number>;
  getUserByEmail(email: string): Promise<UserRecord | undefined>;
  getUserById(id: number): Promise<UserRecord | undefined>;
  /** Every user by email, without password hashes. */
  listUsers(): Promise<Omit<UserRecord, 'passwordHash'>[]>;
  insertSession(session: SessionRecord): Promise<void>;
  getSession(idHash: string): Promise<SessionRecord | undefined>;
  touchSession(idHash: string, at: string): Promise<void>;
  /** True when a session was deleted. */
  deleteSession(idHash: string): Promise<boolean>;
  /** Deletes sessions whose expiry is at or before `nowIso`; returns how many. */
  deleteExpiredSessions(nowIso: string): Promise<number>;
  insertApiToken(token: Omit<ApiTokenRecord, 'id' | 'revokedAt'>): Promise<number>;
  getApiTokenByHash(tokenHash: string): Promise<ApiTokenRecord | undefined>;
  /** Marks an unrevoked token revoked at `at`; false when there is no such unrevoked token. */
  revokeApiToken(id: number, at: string): Promise<boolean>;
  /** Every token (of one user, if given) by id, without token hashes. */
  listApiTokens(userId?: number): Promise<Omit<ApiTokenRecord, 'tokenHash'>[]>;
  recordSignInAttempt(attempt: SignInAttempt): Promise<void>;
  /** Failed attempts at or after `sinceIso`: for this email, and (separately) from this IP. */
  countFailedSignIns(email: string, ip: string, sinceIso: string): Promise<{ email: number; ip: number }>;
  /** Deletes attempts (failed or not) made before `beforeIso`; returns how many. */
  deleteSignInAttemptsBefore(beforeIso: string): Promise<number>;

  // What `tandem verify` reads besides the above (src/app/verify.ts)
  /** The digest recorded when the batch's file was read; null for a batch imported before there were digests. */
  getBatchDigest(batchId: number): Promise<LinesDigest | null>;
  /** One batch's own line_totals (of one period, if given) summed per period, status, scheme and codes, live or not. */
  batchLineTotals(batchId: number, period?: PeriodKey): Promise<Omit<LineTotal, 'batchId'>[]>;
  /** Transaction ids held twice among live lines of the fund's append-mode batches (the first `limit`), with where. */
  duplicateLiveLineIds(fundId: string, limit: number): Promise<{ ledgerId: string; lineId: string; lines: { batchId: number; lineNo: number }[] }[]>;
  /** Every close and reopen of the fund's periods, oldest first. */
  listPeriodEvents(fundId: string): Promise<PeriodEvent[]>;
  listForecastBatches(fundId: string): Promise<ForecastBatchRecord[]>;
  forecastRows(forecastBatchId: number): Promise<ForecastRow[]>;

  // Audit (append-only, hash-chained)
  appendAudit(event: AuditEventInput): Promise<AuditEvent>;
  listAudit(filter: { fundId?: string; action?: string; limit?: number }): Promise<AuditEvent[]>;
  /** A page of the events matching `query`, newest first (by id), with the count over all pages. */
  queryAudit(query: AuditQuery, page: { offset: number; limit: number }): Promise<AuditQueryResult>;
  /** The distinct actions and actors of the events in a fund scope (as in AuditQuery), each sorted in JavaScript string order. */
  auditFacets(scope: Pick<AuditQuery, 'fundId' | 'withoutFund'>): Promise<{ actions: string[]; actors: string[] }>;
}
