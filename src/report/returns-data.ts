// What the statutory-return renderers are given: the figures (built in src/domain from a stored
// close, never recomputed here) and where they come from, printed on every output.

import type { BcfYearEnd } from '../domain/bcf-year-end.js';
import type { MemorandumAccount } from '../domain/memorandum.js';

export interface ReturnProvenance {
  /** "2025-26 M12" */
  period: string;
  closeVersion: number;
  agreementVersion: number;
  closedAt: string;
  closedBy: string;
  closeSha256: string;
  generatedAt: string;
  generatedBy: string;
}

export interface MemorandumReturn {
  account: MemorandumAccount;
  provenance: ReturnProvenance;
}

/**
 * The memorandum account made from one M12 close, or why that close cannot give one (a pooled
 * scheme's outturn was a lead's forecast): `tandem returns memorandum` refuses with the reason,
 * the M12 joint finance report shows it as a note.
 */
export type MemorandumOutcome = { account: MemorandumAccount; refusal: null } | { account: null; refusal: { code: 'OUTTURN_NOT_ACTUAL'; reason: string } };

export interface BcfYearEndReturn {
  figures: BcfYearEnd;
  provenance: ReturnProvenance;
}

export function provenanceLine(p: ReturnProvenance): string {
  return `From the ${p.period} close, version ${p.closeVersion} (agreement version ${p.agreementVersion}), closed ${p.closedAt} by ${p.closedBy}; close SHA-256 ${p.closeSha256}. Generated ${p.generatedAt} by ${p.generatedBy}.`;
}
