// The Store on top of a Driver: each method is one function from an area module, run on
// whichever driver the store holds — the root driver, or a transaction's handle.

import * as agreements from './agreements.js';
import * as audit from './audit.js';
import * as batches from './batches.js';
import * as closes from './closes.js';
import * as commentary from './commentary.js';
import * as contracts from './contracts.js';
import * as decisions from './decisions.js';
import type { Driver } from './driver.js';
import { rememberDriver } from './driver-of.js';
import * as forecasts from './forecasts.js';
import * as lineQuery from './line-query.js';
import * as lines from './lines.js';
import { migrate, schemaVersion } from './migrate.js';
import * as totals from './totals.js';
import type { Store } from './types.js';
import * as users from './users.js';
import * as yearEnds from './year-ends.js';

export function createStore(db: Driver): Store {
  return rememberDriver(db, {
    dialect: db.dialect,
    location: db.location,

    migrate: () => migrate(db),
    schemaVersion: () => schemaVersion(db),
    close: () => db.close(),
    transaction: (fn) => db.transaction((tx) => fn(createStore(tx))),

    listFunds: () => agreements.listFunds(db),
    getAgreementVersion: (fundId, version) => agreements.getAgreementVersion(db, fundId, version),
    listAgreementVersions: (fundId) => agreements.listAgreementVersions(db, fundId),
    insertAgreementVersion: (record) => agreements.insertAgreementVersion(db, record),

    findBatchBySha256: (fundId, ledgerId, sha256) => batches.findBatchBySha256(db, fundId, ledgerId, sha256),
    getBatch: (id) => batches.getBatch(db, id),
    listBatches: (fundId, ledgerId) => batches.listBatches(db, fundId, ledgerId),
    insertBatch: (batch) => batches.insertBatch(db, batch),
    completeBatch: (batchId, totals) => batches.completeBatch(db, batchId, totals),
    insertBatchPeriods: (batchId, periods) => batches.insertBatchPeriods(db, batchId, periods),
    supersede: (fundId, ledgerId, periods, byBatchId) => batches.supersede(db, fundId, ledgerId, periods, byBatchId),
    markPeriodSuperseded: (batchId, period, byBatchId) => batches.markPeriodSuperseded(db, batchId, period, byBatchId),
    batchSchemeTotals: (batchId) => totals.batchSchemeTotals(db, batchId),

    insertLines: (batchId, stored) => lines.insertLines(db, batchId, stored),
    findLiveLineIds: (fundId, ledgerId, lineIds) => lines.findLiveLineIds(db, fundId, ledgerId, lineIds),
    iterateBatchLines: (batchId, chunkSize) => lines.iterateBatchLines(db, batchId, chunkSize),
    updateLineMappings: (updates) => lines.updateLineMappings(db, updates),
    getLines: (batchId, offset, limit) => lines.getLines(db, batchId, offset, limit),
    queryLiveLines: (filter, page) => lineQuery.queryLiveLines(db, filter, page),

    replaceLineTotals: (batchId, rows) => totals.replaceLineTotals(db, batchId, rows),
    appendLineTotals: (batchId, rows) => totals.appendLineTotals(db, batchId, rows),
    liveTotals: (filter, groupBy) => totals.liveTotals(db, filter, groupBy),

    lockFund: (fundId) => closes.lockFund(db, fundId),
    insertClose: (record) => closes.insertClose(db, record),
    getClose: (fundId, period, version) => closes.getClose(db, fundId, period, version),
    listCloses: (fundId) => closes.listCloses(db, fundId),
    appendPeriodEvent: (event) => closes.appendPeriodEvent(db, event),
    latestPeriodEvents: (fundId) => closes.latestPeriodEvents(db, fundId),
    findForecastBatchBySha256: (fundId, sha256) => forecasts.findForecastBatchBySha256(db, fundId, sha256),
    insertForecastBatch: (batch, rows) => forecasts.insertForecastBatch(db, batch, rows),
    leadForecasts: (fundId, period) => forecasts.leadForecasts(db, fundId, period),

    insertCommentary: (entry) => commentary.insertCommentary(db, entry),
    latestCommentary: (fundId, period) => commentary.latestCommentary(db, fundId, period),

    insertUser: (user) => users.insertUser(db, user),
    getUserByEmail: (email) => users.getUserByEmail(db, email),
    getUserById: (id) => users.getUserById(db, id),
    listUsers: () => users.listUsers(db),
    insertSession: (session) => users.insertSession(db, session),
    getSession: (idHash) => users.getSession(db, idHash),
    touchSession: (idHash, at) => users.touchSession(db, idHash, at),
    deleteSession: (idHash) => users.deleteSession(db, idHash),
    deleteExpiredSessions: (nowIso) => users.deleteExpiredSessions(db, nowIso),
    insertApiToken: (token) => users.insertApiToken(db, token),
    getApiTokenByHash: (tokenHash) => users.getApiTokenByHash(db, tokenHash),
    revokeApiToken: (id, at) => users.revokeApiToken(db, id, at),
    listApiTokens: (userId) => users.listApiTokens(db, userId),
    recordSignInAttempt: (attempt) => users.recordSignInAttempt(db, attempt),
    countFailedSignIns: (email, ip, sinceIso) => users.countFailedSignIns(db, email, ip, sinceIso),
    deleteSignInAttemptsBefore: (beforeIso) => users.deleteSignInAttemptsBefore(db, beforeIso),

    getBatchDigest: (batchId) => batches.getBatchDigest(db, batchId),
    batchLineTotals: (batchId, period) => totals.batchLineTotals(db, batchId, period),
    duplicateLiveLineIds: (fundId, limit) => lines.duplicateLiveLineIds(db, fundId, limit),
    listPeriodEvents: (fundId) => closes.listPeriodEvents(db, fundId),
    listForecastBatches: (fundId) => forecasts.listForecastBatches(db, fundId),
    forecastRows: (batchId) => forecasts.forecastRows(db, batchId),

    insertDecision: (record) => decisions.insertDecision(db, record),
    appendDecisionEvent: (event) => decisions.appendDecisionEvent(db, event),
    getDecision: (fundId, id) => decisions.getDecision(db, fundId, id),
    listDecisions: (fundId) => decisions.listDecisions(db, fundId),

    insertContractRegister: (record) => contracts.insertContractRegister(db, record),
    getContractRegister: (fundId, version) => contracts.getContractRegister(db, fundId, version),
    listContractRegisters: (fundId) => contracts.listContractRegisters(db, fundId),
    findMeasureBatchBySha256: (fundId, kind, sha256) => contracts.findMeasureBatchBySha256(db, fundId, kind, sha256),
    insertMeasureBatch: (batch, lines) => contracts.insertMeasureBatch(db, batch, lines),
    listMeasureBatches: (fundId, kind) => contracts.listMeasureBatches(db, fundId, kind),
    measuresInForce: (fundId, kind, upToBatchId) => contracts.measuresInForce(db, fundId, kind, upToBatchId),

    insertYearEnd: (record) => yearEnds.insertYearEnd(db, record),
    getYearEnd: (fundId, year) => yearEnds.getYearEnd(db, fundId, year),
    listYearEnds: (fundId) => yearEnds.listYearEnds(db, fundId),

    appendAudit: (event) => audit.appendAudit(db, event),
    listAudit: (filter) => audit.listAudit(db, filter),
    queryAudit: (query, page) => audit.queryAudit(db, query, page),
    auditFacets: (scope) => audit.auditFacets(db, scope),
  });
}
