// Test-only: a small agreement with a joint committee and a scheme of delegation, for the
// governance and decision tests. Two pooled pools (hosted by each partner) and an aligned one.

import type { Agreement, Governance, Scheme } from './agreement.js';

export const Y = 2025;
export const pounds = (n: number) => n * 100;

export function scheme(id: string, pool: string, type: 'pooled' | 'aligned', contributions: Record<string, number>): Scheme {
  return { id, name: id, pool, type, areaOfNeed: null, leadCommissioner: null, contributions: { [Y]: contributions }, profile: { kind: 'equal' }, fotMethod: 'plan', riskShare: null };
}

const person = (id: string, partner: string, role: string) => ({ id, name: id.toUpperCase(), partner, role });

export const GOVERNANCE: Governance = {
  committee: {
    name: 'Joint Committee',
    members: [
      ...[1, 2, 3, 4].map((n) => person(`cllr${n}`, 'scc', 'cabinet_member')),
      ...[1, 2, 3, 4].map((n) => person(`gb${n}`, 'sccg', 'governing_body_member')),
    ],
    quorum: { scc: 2, sccg: 2 },
    chair: 'cllr1',
  },
  officers: [person('pm', 'scc', 'pool_manager'), person('scc-fd', 'scc', 'finance_director'), person('sccg-fd', 'sccg', 'finance_director')],
  delegation: [
    { role: 'pool_manager', decisions: ['virement'], upToPence: pounds(250_000), withinPool: true, jointly: false },
    { role: 'finance_director', decisions: ['virement', 'budget_variation'], upToPence: pounds(1_000_000), withinPool: false, jointly: true },
  ],
};

export function testAgreement(): Agreement {
  return {
    fund: { id: 'test', name: 'Test fund' },
    years: [Y],
    partners: [
      { id: 'scc', name: 'Council', kind: 'council' },
      { id: 'sccg', name: 'CCG', kind: 'icb' },
    ],
    pools: [
      { id: 'bcf', name: 'BCF', host: 'scc', netting: true, riskShare: { overspend: { kind: 'proportional' }, underspend: { kind: 'retain' } } },
      { id: 'mh', name: 'Mental health', host: 'sccg', netting: false, riskShare: { overspend: { kind: 'lead', partner: 'sccg' }, underspend: { kind: 'proportional' } } },
      { id: 'acute', name: 'Acute', host: null, netting: false, riskShare: null },
    ],
    schemes: [
      scheme('asr', 'bcf', 'pooled', { scc: pounds(4_000_000), sccg: pounds(6_000_000) }),
      scheme('pkw', 'bcf', 'pooled', { scc: pounds(2_000_000), sccg: pounds(1_000_000) }),
      scheme('mhc', 'mh', 'pooled', { sccg: pounds(3_000_000) }),
      scheme('nel', 'acute', 'aligned', { sccg: pounds(50_000_000) }),
    ],
    ledgers: [],
    coding: {},
    rag: { amberPercent: 1, redPercent: 5 },
    accrueSettlement: false,
    lineDetailSharedAcrossPartners: false,
    governance: GOVERNANCE,
  };
}
