// Use cases for the contract register (docs/contracts.md): load a YAML file as the fund's next
// register version (checked against the agreement in force; an identical file changes nothing),
// list the versions, and read the register in force.

import { readFile } from 'node:fs/promises';
import { parseRegister } from '../contracts/parse.js';
import type { ContractRegister } from '../domain/contracts.js';
import type { ContractRegisterRecord, ContractRegisterSummary } from '../store/contract-types.js';
import { agreementInForce, resolveFund } from './agreements.js';
import { isoNow, type AppContext } from './context.js';
import { TandemError } from './errors.js';

export interface ContractsLoadResult {
  fundId: string;
  version: number;
  /** False when the file is identical to the register in force (nothing was written). */
  created: boolean;
  contracts: number;
  metrics: number;
}

/** A file's bytes, or a TandemError naming it. */
export async function readInputFile(path: string, file: string): Promise<Buffer> {
  try {
    return await readFile(path);
  } catch (error) {
    const errno = (error as NodeJS.ErrnoException).code;
    const code = errno === 'ENOENT' || errno === 'EISDIR' ? 'FILE_NOT_FOUND' : 'FILE_UNREADABLE';
    throw new TandemError(code, `cannot read ${file}: ${(error as Error).message}`, [{ code, message: 'cannot read the file', file }]);
  }
}

/** UTF-8 text without a byte-order mark, or FILE_ENCODING. */
export function utf8Text(bytes: Buffer, file: string): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes).replace(/^\uFEFF/, '');
  } catch {
    throw new TandemError('FILE_ENCODING', `${file} is not UTF-8 text; save it as UTF-8`, [{ code: 'FILE_ENCODING', message: 'not valid UTF-8', file }]);
  }
}

export async function loadContracts(ctx: AppContext, request: { fundId?: string; path: string; displayName?: string }): Promise<ContractsLoadResult> {
  const fundId = await resolveFund(ctx, request.fundId);
  const file = request.displayName ?? request.path;
  const text = utf8Text(await readInputFile(request.path, file), file);
  const { agreement, record } = await agreementInForce(ctx, fundId);
  const loaded = parseRegister(text, { fileName: file, agreement });
  if (!loaded.ok) {
    const n = loaded.problems.length;
    throw new TandemError('CONTRACTS_INVALID', `the contract register ${file} has ${n} problem${n === 1 ? '' : 's'}; nothing was loaded`, loaded.problems);
  }
  const counts = { contracts: loaded.register.contracts.length, metrics: loaded.register.metrics.length };
  return ctx.store.transaction(async (tx) => {
    await tx.lockFund(fundId);
    const current = await tx.getContractRegister(fundId);
    if (current && current.sourceSha256 === loaded.sourceSha256) return { fundId, version: current.version, created: false, ...counts };
    const at = isoNow(ctx);
    const version = await tx.insertContractRegister({
      fundId,
      loadedAt: at,
      loadedBy: ctx.actor,
      sourceFile: file,
      sourceSha256: loaded.sourceSha256,
      agreementVersion: record.version,
      sourceText: loaded.sourceText,
      modelJson: JSON.stringify(loaded.register),
    });
    await tx.appendAudit({ fundId, actor: ctx.actor, action: 'contracts.load', subject: `contracts:${version}`, details: { file, version, agreementVersion: record.version, ...counts }, inputSha256: loaded.sourceSha256, at });
    return { fundId, version, created: true, ...counts };
  });
}

export interface RegisterInForce {
  record: ContractRegisterRecord;
  register: ContractRegister;
}

export async function registerInForce(ctx: AppContext, fundId: string): Promise<RegisterInForce> {
  const record = await ctx.store.getContractRegister(fundId);
  if (!record) throw new TandemError('NO_CONTRACT_REGISTER', `fund ${fundId} has no contract register: run \`tandem contracts load FILE\` first`);
  return { record, register: JSON.parse(record.modelJson) as ContractRegister };
}

export async function contractRegisterHistory(ctx: AppContext, fundId?: string): Promise<ContractRegisterSummary[]> {
  return ctx.store.listContractRegisters(await resolveFund(ctx, fundId));
}
