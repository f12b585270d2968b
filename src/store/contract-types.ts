// The Store's part for contracts and outcomes (src/store/contracts.ts, docs/contracts.md): the
// contract register's versions, and the batches of activity, outcomes and metrics imported
// against it. Kept out of types.ts, which Store extends with it.

import type { PeriodKey } from '../domain/period.js';

export interface ContractRegisterRecord {
  fundId: string;
  version: number;
  loadedAt: string;
  loadedBy: string;
  sourceFile: string;
  sourceSha256: string;
  /** The agreement version the register was checked against. */
  agreementVersion: number;
  sourceText: string;
  /** The validated ContractRegister (src/domain/contracts.ts) as JSON. */
  modelJson: string;
}

export type ContractRegisterSummary = Omit<ContractRegisterRecord, 'sourceText' | 'modelJson'>;

/** What a measure batch holds: units delivered, outcomes achieved (per contract), or metric plan and actual. */
export type MeasureKind = 'activity' | 'outcomes' | 'metrics';

export interface MeasureBatchRecord {
  id: number;
  fundId: string;
  kind: MeasureKind;
  fileName: string;
  fileSha256: string;
  fileBytes: number;
  /** The contract register version the file was checked against. */
  registerVersion: number;
  importedAt: string;
  importedBy: string;
  lineCount: number;
}

export interface MeasureLine {
  lineNo: number;
  /** A contract id (activity, outcomes) or a metric id (metrics). */
  subject: string;
  period: PeriodKey;
  /** Units or outcomes (whole numbers); for a metric its actual in hundredths, null when only a plan is given. */
  value: number | null;
  /** A metric's plan in hundredths; null for activity and outcomes, or a metric line without a plan. */
  plan: number | null;
  note: string | null;
}

/** A measure in force: for a subject and period, the line of the latest batch that gives one. */
export interface MeasureInForce extends MeasureLine {
  batchId: number;
}

export interface ContractStore {
  /** Stores the next register version for the fund and returns it. */
  insertContractRegister(record: Omit<ContractRegisterRecord, 'version'>): Promise<number>;
  /** The given version, or the latest when version is undefined. */
  getContractRegister(fundId: string, version?: number): Promise<ContractRegisterRecord | undefined>;
  listContractRegisters(fundId: string): Promise<ContractRegisterSummary[]>;
  findMeasureBatchBySha256(fundId: string, kind: MeasureKind, sha256: string): Promise<MeasureBatchRecord | undefined>;
  /** Stores a batch and its lines (call within a transaction) and returns the batch id. */
  insertMeasureBatch(batch: Omit<MeasureBatchRecord, 'id'>, lines: MeasureLine[]): Promise<number>;
  listMeasureBatches(fundId: string, kind?: MeasureKind): Promise<MeasureBatchRecord[]>;
  /**
   * Every subject and period of the kind, each from the latest batch that gives it, by subject then
   * period; with `upToBatchId`, as they stood when that batch was the latest (a report of a close).
   */
  measuresInForce(fundId: string, kind: MeasureKind, upToBatchId?: number): Promise<MeasureInForce[]>;
}
