// Test-only builders of Agreement objects and close inputs for the month-end close tests
// (close.test.ts, close-journals.test.ts, close.property.test.ts). Pure: no I/O.
// Every partner gets its own ledger (`<id>-gl`) and, unless told otherwise, its own coding, in
// code columns that differ between a council (Cost Centre, Subjective) and anyone else (Entity,
// Cost Centre, Account), so a test can see that each journal is written in its partner's codes.

import type { Agreement, FileSettings, Ledger, Partner, PartnerCoding, PartnerKind, Pool, RiskShare, Scheme } from './agreement.js';
import type { CloseInput } from './close.js';
import type { Pence } from './money.js';
import { splitEqually } from './split.js';

export const YEAR = 2025;

/** Whole pounds to pence (test amounts only). */
export const gbp = (pounds: number): Pence => pounds * 100;

export function partner(id: string, kind: PartnerKind = id === 'council' ? 'council' : 'icb', name = `Partner ${id}`): Partner {
  return { id, name, kind };
}

/** The code columns of a partner's extracts (its ledger's `codes`). */
export function extractCodes(kind: PartnerKind): string[] {
  return kind === 'council' ? ['Cost Centre', 'Subjective'] : ['Entity', 'Cost Centre', 'Account', 'Analysis Code'];
}

/** A partner's journal coding: codes tagged with the partner id so they are recognisably its own. */
export function coding(p: Partner, counterparties: readonly string[], rechargeIncome = false): PartnerCoding {
  const tag = p.id.toUpperCase();
  const codes = (account: string): Record<string, string> =>
    p.kind === 'council' ? { 'Cost Centre': `${tag}-CC`, Subjective: account } : { Entity: `${tag}-E`, 'Cost Centre': `${tag}-CC`, Account: account };
  return {
    codeColumns: p.kind === 'council' ? ['Cost Centre', 'Subjective'] : ['Entity', 'Cost Centre', 'Account'],
    contributionToPool: codes('CTP'),
    poolIncome: codes('INC'),
    debtor: Object.fromEntries(counterparties.map((c) => [c, codes(`DR-${c.toUpperCase()}`)])),
    creditor: Object.fromEntries(counterparties.map((c) => [c, codes(`CR-${c.toUpperCase()}`)])),
    fundSpend: codes('SPEND'),
    rechargeIncome: rechargeIncome ? codes('RCHINC') : null,
  };
}

export function ledger(p: Partner): Ledger {
  const file: FileSettings = {
    format: 'csv',
    encoding: 'utf-8',
    delimiter: ',',
    sheet: null,
    skipTop: 0,
    skipBottom: 0,
    columns: { date: null, period: 'Period', year: null, amount: 'Amount', debit: null, credit: null, description: null, id: null, codes: extractCodes(p.kind) },
    dateFormat: 'auto',
    decimalComma: false,
    period13: 'M12',
  };
  return { id: `${p.id}-gl`, partner: p.id, name: `${p.name} ledger`, mode: 'replace', file, rules: [] };
}

export function pool(id: string, host: string | null, netting: boolean, riskShare: RiskShare | null): Pool {
  return { id, name: `Pool ${id}`, host, netting, riskShare };
}

export function scheme(id: string, poolId: string, contributions: Record<string, Pence>, extra: Partial<Scheme> = {}): Scheme {
  return {
    id,
    name: `Scheme ${id}`,
    pool: poolId,
    type: 'pooled',
    areaOfNeed: null,
    leadCommissioner: null,
    contributions: { [YEAR]: contributions },
    profile: { kind: 'equal' },
    fotMethod: 'plan',
    riskShare: null,
    ...extra,
  };
}

export interface AgreementParts {
  partners: Partner[];
  pools: Pool[];
  schemes: Scheme[];
  /** Default: every partner coded against every other. */
  coding?: Record<string, PartnerCoding>;
  rag?: Agreement['rag'];
  accrueSettlement?: boolean;
}

export function agreement(parts: AgreementParts): Agreement {
  const ids = parts.partners.map((p) => p.id);
  return {
    fund: { id: 'fund', name: 'Test fund' },
    years: [YEAR],
    partners: parts.partners,
    pools: parts.pools,
    schemes: parts.schemes,
    ledgers: parts.partners.map(ledger),
    coding: parts.coding ?? Object.fromEntries(parts.partners.map((p) => [p.id, coding(p, ids.filter((x) => x !== p.id))])),
    rag: parts.rag ?? { amberPercent: 1, redPercent: 5 },
    accrueSettlement: parts.accrueSettlement ?? false,
    lineDetailSharedAcrossPartners: false,
  };
}

/** Twelve months of actuals: `ytd` spread over M01..month (largest remainder), nothing after. */
export function months(ytd: Pence, month: number): Pence[] {
  return [...splitEqually(ytd, month), ...new Array<Pence>(12 - month).fill(0)];
}

export function closeInput(a: Agreement, month: number, extra: Partial<CloseInput> = {}): CloseInput {
  return { agreement: a, year: YEAR, month, actuals: {}, leadForecasts: {}, recharges: [], previousJournals: [], earlierJournals: [], unmapped: [], ...extra };
}
