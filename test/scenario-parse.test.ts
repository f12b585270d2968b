// Reading scenario files: the inline fund and an agreement file named by the scenario, and bad
// files rejected with every problem placed at its file, line and column.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenarioFile, parseScenario } from '../src/scenario/load.js';

const FUND = `fund:
  id: t
  name: Test fund
  partners:
    - {id: council, name: Council, kind: council}
    - {id: icb, name: ICB, kind: icb}
  pools:
    - id: bcf
      name: BCF
      host: council
      netting: true
      risk_share:
        overspend: {rule: proportional}
        underspend: {rule: retain}
    - {id: acute, name: Acute, host: null}
  schemes:
    - {id: prev, name: Prevention, pool: bcf, type: pooled, contributions: {"2025-26": {council: 600000, icb: 400000}}}
    - {id: nel, name: Non-elective, pool: acute, type: aligned, lead_commissioner: icb, contributions: {"2025-26": {icb: 2000000}}}
`;

const GOOD = `scenario: {id: good, name: Good}
years: ["2025-26", "2026-27"]
${FUND}groups: {community: [prev]}
funding_growth_percent: {icb: 2.5}
demand_growth_percent: {community: 10, nel: 3}
price_inflation_percent: 2
shift:
  from: [nel]
  to: {prev: 100}
  amounts: {"2026-27": 100000}
  savings_realised_percent: {"2026-27": 40}
`;

const parse = (text: string) => parseScenario(text, { fileName: 'scenario.yaml' });

async function problems(text: string) {
  const r = await parse(text);
  if (r.ok) throw new Error('expected problems');
  return r.problems;
}

describe('scenario files', () => {
  it('reads the inline fund, group growth rates and the shift', async () => {
    const r = await parse(GOOD);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.years).toEqual([2025, 2026]);
    expect(r.scenario.demandGrowthPercent).toEqual({ prev: 10, nel: 3 });
    expect(r.scenario.baseSpendPence).toEqual({ prev: 100_000_000, nel: 200_000_000 });
    expect(r.scenario.shift?.amountsPence).toEqual({ 2026: 10_000_000 });
    expect(r.scenario.agreement.pools[0]?.riskShare?.underspend).toEqual({ kind: 'retain' });
  });

  it('takes the fund from an agreement file named relative to the scenario', async () => {
    const r = await loadScenarioFile('examples/sheffield/scenarios/shift-to-prevention.yaml');
    expect(r.ok, JSON.stringify(!r.ok && r.problems)).toBe(true);
    if (!r.ok) return;
    expect(r.scenario.agreement.schemes.map((s) => s.id)).toEqual(['pkw', 'ils', 'asr', 'lths', 'nel']);
    expect(r.files).toHaveLength(4); // the scenario, the agreement and its two ledger files
  });

  it('rejects wrong types with the line and column of the value', async () => {
    const p = await problems(GOOD.replace('price_inflation_percent: 2', 'price_inflation_percent: "two"'));
    expect(p).toEqual([expect.objectContaining({ code: 'SCHEMA_TYPE', file: 'scenario.yaml', line: 24, column: 1, path: 'price_inflation_percent' })]);
  });

  it('rejects an amount that is not an amount', async () => {
    const p = await problems(GOOD.replace('{"2026-27": 100000}', '{"2026-27": "lots"}'));
    expect(p).toEqual([expect.objectContaining({ code: 'AMOUNT_INVALID', line: 28, column: 13, path: 'shift.amounts.2026-27' })]);
  });

  it('rejects a percentage out of range', async () => {
    const p = await problems(GOOD.replace('{community: 10, nel: 3}', '{community: 110, nel: 3}'));
    expect(p).toEqual([expect.objectContaining({ code: 'PERCENT_INVALID', line: 23, column: 25, path: 'demand_growth_percent.community' })]);
    expect(p[0]!.message).toContain('between 0 and 100');
  });

  it('rejects an unknown scheme wherever it is named', async () => {
    const p = await problems(GOOD.replace('to: {prev: 100}', 'to: {prevention: 100}').replace('[prev]', '[prev, acute_care]'));
    expect(p.map((x) => [x.code, x.path, x.line])).toEqual([
      ['UNKNOWN_SCHEME', 'groups.community.1', 21],
      ['UNKNOWN_SCHEME', 'shift.to.prevention', 27],
    ]);
  });

  it('rejects years out of order, and year keys outside the scenario', async () => {
    const p = await problems(GOOD.replace('years: ["2025-26", "2026-27"]', 'years: ["2025-26", "2027-28", "2026-27"]').replace('{"2026-27": 40}', '{"2026-27": 40, "2031-32": 10}'));
    expect(p.map((x) => [x.code, x.path, x.line, x.column])).toEqual([
      ['YEAR_ORDER', 'years.1', 2, 20],
      ['YEAR_ORDER', 'years.2', 2, 31],
      ['YEAR_NOT_IN_SCENARIO', 'shift.savings_realised_percent.2031-32', 29, 45],
    ]);
  });

  it('checks the inline fund with the agreement’s own rules, placed in the scenario file', async () => {
    const p = await problems(GOOD.replace('pool: bcf, type: pooled', 'pool: bfc, type: pooled'));
    expect(p).toEqual([expect.objectContaining({ code: 'UNKNOWN_POOL', line: 19, column: 36, path: 'fund.schemes.prev.pool' })]);
  });

  it('asks for the fund inline or by agreement, not both; and for the realised share of every shift', async () => {
    const both = await problems(`agreement: x.yaml\n${GOOD}`);
    expect(both.map((x) => x.code)).toContain('FUND_SOURCE');
    const missing = await problems(GOOD.replace('{"2026-27": 40}', '{}'));
    expect(missing.map((x) => [x.code, x.path])).toEqual([['REALISED_MISSING', 'shift.amounts.2026-27']]);
  });

  it('keeps one-off money inside the double-running period and investors on pooled schemes', async () => {
    const text = `${GOOD}double_running:
  from: "2026-27"
  to: "2026-27"
  funding:
    - {source: ibcf, partner: council, scheme: prev, amounts: {"2025-26": 1000}}
social_investment:
  - {id: sib, name: S, investor: I, scheme: nel, capital: {}, per_avoided_admission: 100, baseline_admissions: 10, cap_total: 1000, planned_admissions: {}}
`;
    const p = await problems(text);
    expect(p.map((x) => [x.code, x.line])).toEqual([
      ['FUNDING_OUTSIDE_DOUBLE_RUNNING', 34],
      ['INVESTMENT_SCHEME_ALIGNED', 36],
    ]);
  });

  it('reports a missing agreement file with the agreement’s own problem', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'tandem-scenario-'));
    const file = join(dir, 's.yaml');
    writeFileSync(file, 'scenario: {id: s, name: S}\nyears: ["2025-26"]\nagreement: missing.yaml\n');
    const r = await loadScenarioFile(file);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.problems[0]).toMatchObject({ code: 'FILE_NOT_FOUND', file: join(dir, 'missing.yaml') });
  });

  it('reports YAML syntax errors with their place', async () => {
    const p = await problems('scenario: {id: s, name: S\nyears: [');
    expect(p[0]).toMatchObject({ code: 'YAML_SYNTAX', file: 'scenario.yaml' });
    expect(p[0]!.line).toBeGreaterThan(0);
  });
});
