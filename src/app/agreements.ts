// Use cases for the agreement: load a file as a new version (never overwriting), list the
// history, compare two versions, and read the version in force.

import type { AgreementLoad } from '../agreement/load.js';
import type { Agreement } from '../domain/agreement.js';
import { diffJson, type Change } from '../domain/agreement-diff.js';
import type { AgreementVersionRecord } from '../store/types.js';
import { isoNow, type AppContext } from './context.js';
import { TandemError } from './errors.js';

export interface LoadResult {
  fundId: string;
  version: number;
  /** False when the file is identical to the version in force (nothing was written). */
  created: boolean;
  changes: Change[];
}

export async function loadAgreement(ctx: AppContext, path: string): Promise<LoadResult> {
  // The parser (yaml, zod) is loaded only here: most commands read the stored model, and loading
  // it cost every command's start ~80 ms.
  const { loadAgreementFile } = await import('../agreement/load.js');
  const loaded = await loadAgreementFile(path);
  if (!loaded.ok) {
    const n = loaded.problems.length;
    throw new TandemError('AGREEMENT_INVALID', `the agreement ${path} has ${n} problem${n === 1 ? '' : 's'}; nothing was loaded`, loaded.problems);
  }
  return storeAgreementVersion(ctx, loaded, { sourceFile: path, action: 'agreement.load', details: { file: path, files: loaded.files } });
}

/** A parsed agreement stored as the fund's next version (nothing when identical to the one in force), audited as `action`. */
export async function storeAgreementVersion(
  ctx: AppContext,
  loaded: Extract<AgreementLoad, { ok: true }>,
  how: { sourceFile: string; action: string; details: Record<string, unknown>; expectVersion?: number },
): Promise<LoadResult> {
  const { agreement } = loaded;
  const fundId = agreement.fund.id;
  return ctx.store.transaction(async (tx) => {
    await tx.lockFund(fundId);
    const current = await tx.getAgreementVersion(fundId);
    if (how.expectVersion !== undefined && current?.version !== how.expectVersion) {
      throw new TandemError('AGREEMENT_CHANGED', `the agreement of fund ${fundId} changed while this was prepared (it is now version ${current?.version ?? 'none'}, not ${how.expectVersion}); look at it again and retry`);
    }
    if (current && current.sourceSha256 === loaded.sourceSha256) {
      return { fundId, version: current.version, created: false, changes: [] };
    }
    const changes = current ? diffJson(JSON.parse(current.modelJson), JSON.parse(JSON.stringify(agreement))) : [];
    const version = await tx.insertAgreementVersion({
      fundId,
      fundName: agreement.fund.name,
      loadedAt: isoNow(ctx),
      loadedBy: ctx.actor,
      sourceFile: how.sourceFile,
      sourceSha256: loaded.sourceSha256,
      sourceText: loaded.sourceText,
      modelJson: JSON.stringify(agreement),
    });
    await tx.appendAudit({
      fundId,
      actor: ctx.actor,
      action: how.action,
      subject: `agreement:${version}`,
      details: { ...how.details, version, changes: changes.length },
      inputSha256: loaded.sourceSha256,
      at: isoNow(ctx),
    });
    return { fundId, version, created: true, changes };
  });
}

/** The fund a command is about: the one named, or the only one in the database. */
export async function resolveFund(ctx: AppContext, fundId?: string): Promise<string> {
  const funds = await ctx.store.listFunds();
  if (fundId !== undefined) {
    if (!funds.some((f) => f.id === fundId)) throw new TandemError('FUND_UNKNOWN', `no fund "${fundId}" in ${ctx.store.location}`);
    return fundId;
  }
  if (funds.length === 0) throw new TandemError('NO_AGREEMENT', `no agreement loaded in ${ctx.store.location}: run \`tandem agreement load FILE\` first`);
  if (funds.length > 1) throw new TandemError('FUND_AMBIGUOUS', `${ctx.store.location} holds ${funds.length} funds (${funds.map((f) => f.id).join(', ')}): say which with --fund`, [], 2);
  return funds[0]!.id;
}

export interface AgreementInForce {
  record: AgreementVersionRecord;
  agreement: Agreement;
}

export async function agreementInForce(ctx: AppContext, fundId: string, version?: number): Promise<AgreementInForce> {
  const record = await ctx.store.getAgreementVersion(fundId, version);
  if (!record) throw new TandemError('AGREEMENT_VERSION_UNKNOWN', `fund ${fundId} has no agreement version ${version ?? '(none loaded)'}`);
  const agreement = JSON.parse(record.modelJson) as Agreement;
  // Versions stored before `data_sharing` existed have no value: the schema's default, not shared.
  agreement.lineDetailSharedAcrossPartners ??= false;
  return { record, agreement };
}

/**
 * The version in force for a period: the latest whose effective period is not after it. Versions
 * loaded from a file are in force from the start; one made by a decision from its effective
 * period (docs/governance.md), so the closes of earlier periods keep the version they had.
 */
export async function agreementForPeriod(ctx: AppContext, fundId: string, period: number): Promise<AgreementInForce> {
  const versions = await ctx.store.listAgreementVersions(fundId);
  const inForce = versions.filter((v) => (v.effectiveFrom ?? 0) <= period).at(-1);
  return agreementInForce(ctx, fundId, inForce?.version ?? versions.at(-1)?.version);
}

export async function agreementHistory(ctx: AppContext, fundId: string) {
  return ctx.store.listAgreementVersions(fundId);
}

export async function agreementDiff(ctx: AppContext, fundId: string, from: number, to: number): Promise<Change[]> {
  const a = await agreementInForce(ctx, fundId, from);
  const b = await agreementInForce(ctx, fundId, to);
  return diffJson(a.agreement, b.agreement);
}
