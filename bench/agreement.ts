// The agreement the benchmarks load: two partners, one hosted pool with netting and an aligned
// scheme, and two ledgers laid out exactly as bench/generate.ts writes them. The coding section is
// what a close needs to write journals (bench/close.ts); the import benchmark ignores it. The ICB
// has no recharge_income, so a recharge credits the spend back to its own codes.

export function benchAgreementYaml(): string {
  return `fund:
  id: bench
  name: Benchmark fund
years: ["2025-26"]
partners:
  - {id: council, name: Council, kind: council}
  - {id: icb, name: ICB, kind: icb}
pools:
  - id: bcf
    name: BCF pool
    host: council
    netting: true
    risk_share:
      overspend: {rule: proportional}
      underspend: {rule: retain}
  - {id: acute, name: Aligned acute, host: null, netting: false}
schemes:
  - {id: s1, name: Scheme 1, pool: bcf, type: pooled, contributions: {"2025-26": {council: 50000000, icb: 50000000}}}
  - {id: s2, name: Scheme 2, pool: bcf, type: pooled, contributions: {"2025-26": {council: 50000000, icb: 50000000}}}
  - {id: s3, name: Scheme 3, pool: bcf, type: pooled, contributions: {"2025-26": {council: 50000000, icb: 50000000}}}
  - {id: s4, name: Scheme 4, pool: bcf, type: pooled, contributions: {"2025-26": {council: 50000000, icb: 50000000}}}
  - {id: nel, name: Non-elective, pool: acute, type: aligned, contributions: {"2025-26": {icb: 90000000}}}
ledgers:
  - id: council
    name: Council ledger
    partner: council
    extract:
      format: csv
      encoding: windows-1252
      skip_top: 1
      skip_bottom: 1
      date_format: DD/MM/YYYY
      columns: {date: Transaction Date, amount: Amount, description: Description, codes: [Cost Centre, Subjective]}
    rules:
      - {when: {Subjective: {range: [9000, 9999]}}, out_of_scope: true}
      - {when: {Cost Centre: {prefix: C41}}, scheme: s1}
      - {when: {Cost Centre: {prefix: C42}}, scheme: s2}
      - {when: {Cost Centre: {prefix: C43}}, scheme: s3}
      - {when: {Cost Centre: {pattern: "C44[0-9]{2}"}}, scheme: s4}
  - id: nhs
    name: NHS ledger
    partner: icb
    extract:
      format: csv
      columns: {period: Period, year: Year, debit: Debit, credit: Credit, description: Description, codes: [Entity, Cost Centre, Account, Analysis Code]}
    rules:
      - {when: {Analysis Code: ZZ999}, out_of_scope: true}
      - {when: {Cost Centre: {prefix: "70"}}, scheme: nel}
      - {when: {Cost Centre: {prefix: "71"}}, scheme: s1}
      - {when: {Cost Centre: {prefix: "72"}}, scheme: s3}
coding:
  council:
    code_columns: [Cost Centre, Subjective]
    contribution_to_pool: {Cost Centre: C4990, Subjective: "7810"}
    pool_income: {Cost Centre: C4990, Subjective: "9350"}
    debtor: {icb: {Cost Centre: C4990, Subjective: B2105}}
    creditor: {icb: {Cost Centre: C4990, Subjective: B4105}}
    fund_spend: {Cost Centre: C4995, Subjective: "5900"}
  icb:
    code_columns: [Entity, Cost Centre, Account, Analysis Code]
    contribution_to_pool: {Entity: 03N, Cost Centre: "709100", Account: "521900", Analysis Code: BCF00}
    pool_income: {Entity: 03N, Cost Centre: "709100", Account: "410900", Analysis Code: BCF00}
    debtor: {council: {Entity: 03N, Cost Centre: "709100", Account: "131100", Analysis Code: LA001}}
    creditor: {council: {Entity: 03N, Cost Centre: "709100", Account: "231100", Analysis Code: LA001}}
    fund_spend: {Entity: 03N, Cost Centre: "709100", Account: "521950", Analysis Code: BCF00}
`;
}
