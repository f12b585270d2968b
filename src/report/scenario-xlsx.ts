// A scenario projection (or two, side by side) as an XLSX workbook: a Comparison sheet when two
// are given, then one sheet per scenario with the fund, each partner and each scheme by year,
// the social investment repayments and how every figure was made. Amounts are numbers with the
// report's £ format (exact pounds); each funding gap and each difference is a live formula
// (spend − budget, second − first) cached with Tandem's own figure, so a finance officer who
// edits an input sees the sum move, and the file read as saved shows Tandem's pence.

import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import ExcelJS from 'exceljs';
import { invariant, type Pence } from '../domain/money.js';
import { formatYear } from '../domain/period.js';
import type { Comparison } from '../domain/scenario-compare.js';
import type { ScenarioProjection } from '../domain/scenario.js';
import { col, SheetBuilder, writeSheet, type CellSpec } from './xlsx-layout.js';

const MAX_SHEET_NAME = 31;

function sheetName(id: string, taken: Set<string>): string {
  let name = id.slice(0, MAX_SHEET_NAME);
  for (let n = 2; taken.has(name.toLowerCase()) || name.toLowerCase() === 'comparison'; n++) name = `${id.slice(0, MAX_SHEET_NAME - 3)} ${n}`;
  taken.add(name.toLowerCase());
  return name;
}

function title(s: SheetBuilder, heading: string, generatedAt: string): void {
  s.add([heading], 'title');
  s.add(['Planning scenario: not the recorded books. Computed from the scenario file; nothing in the fund was read or changed.'], 'heading');
  s.add([`Generated ${generatedAt} by Tandem`]);
  s.add([]);
}

function scenarioSheet(p: ScenarioProjection, name: string, generatedAt: string): SheetBuilder {
  const s = new SheetBuilder(name);
  title(s, p.scenario.name, generatedAt);
  if (p.scenario.description) s.add([p.scenario.description], 'plain', true);
  const years = p.years.map((y) => y.label);
  const yearCol = (i: number) => col(i + 2);

  s.header(['The fund (£)', ...years]);
  const fundRow = (label: string, pick: (y: ScenarioProjection['years'][number]) => Pence) => s.add([label, ...p.years.map((y) => ({ pence: pick(y) }))]);
  const budgetRow = fundRow('Budget', (y) => y.fund.budgetPence);
  fundRow('of which one-off double-running money', (y) => y.fund.oneOffPence);
  fundRow("of which social investors' capital", (y) => y.fund.investorCapitalPence);
  fundRow('Spend if nothing changed', (y) => y.fund.doNothingSpendPence);
  fundRow('Budget moved from acute to prevention', (y) => y.fund.shiftPence);
  fundRow('Saving realised on acute schemes', (y) => y.fund.realisedSavingPence);
  fundRow('Double running (moved, not yet saved)', (y) => y.fund.doubleRunningCostPence);
  fundRow('Outcome payments to social investors', (y) => y.fund.investorPaymentsPence);
  const spendRow = fundRow('Expected spend', (y) => y.fund.spendPence);
  const gapRow = s.nextRow;
  s.add(['Funding gap (spend − budget)', ...p.years.map((y, i): CellSpec => ({ formula: `${yearCol(i)}${spendRow}-${yearCol(i)}${budgetRow}`, pence: y.fund.gapPence }))], 'total');
  invariant(gapRow === s.rows.length, 'the gap row is where its formula says');
  fundRow('Underspend retained in a pool', (y) => y.fund.retainedPence);
  s.add([]);

  s.header(['Partner (£)', ...years]);
  for (const partner of p.partners) {
    const of = (pick: (x: ScenarioProjection['years'][number]['partners'][number]) => Pence) => p.years.map((y) => ({ pence: pick(y.partners.find((x) => x.partner === partner.id)!) }));
    s.add([`${partner.name}: budget`, ...of((x) => x.budgetPence)]);
    s.add([`${partner.name}: share of the gap`, ...of((x) => x.gapSharePence)]);
    s.add([`${partner.name}: expected cost`, ...of((x) => x.expectedCostPence)]);
  }
  s.add([]);

  for (const [key, label] of [['budgetPence', 'Budget'], ['spendPence', 'Expected spend'], ['gapPence', 'Funding gap']] as const) {
    s.header([`${label} by scheme (£)`, ...years]);
    for (const scheme of p.schemes) s.add([`${scheme.name} (${scheme.type})`, ...p.years.map((y) => ({ pence: y.schemes.find((x) => x.id === scheme.id)![key] }))]);
    s.add([]);
  }

  for (const schedule of p.investments) {
    s.add([`Social investment ${schedule.investment}`], 'heading');
    s.header(['Year', 'Baseline admissions', 'Planned admissions', 'Avoided', 'Outcome', 'Due (£)', 'Cumulative (£)', 'Calculation']);
    for (const y of schedule.years) {
      s.add([formatYear(y.year), y.baselineAdmissions, y.actualAdmissions, y.avoidedAdmissions, y.outcomeMet ? 'met' : 'missed', { pence: y.duePence }, { pence: y.cumulativePence }, y.steps.map((x) => x.text).join('; ')]);
    }
    s.add(['Capital', { pence: schedule.capitalPence }]);
    s.add(['Investor return', { pence: schedule.investorReturnPence }]);
    s.add([]);
  }

  s.add(['How the figures are made'], 'heading');
  for (const a of p.assumptions) s.add([a]);
  s.add([]);
  s.add(['Why each partner bears what it bears'], 'heading');
  for (const y of p.years) for (const r of y.reasons) s.add([`${y.label}: ${r}`]);
  return s;
}

function comparisonSheet(c: Comparison, scenarios: readonly ScenarioProjection[], generatedAt: string): SheetBuilder {
  const s = new SheetBuilder('Comparison');
  title(s, `${c.first.name} and ${c.second.name}, side by side`, generatedAt);
  s.add([`Difference = ${c.second.name} − ${c.first.name}`]);
  s.header(['Year', 'Figure', c.first.name, c.second.name, 'Difference']);
  const add = (label: string, year: string, f: { firstPence: Pence; secondPence: Pence; differencePence: Pence }) => {
    const row = s.nextRow;
    s.add([year, label, { pence: f.firstPence }, { pence: f.secondPence }, { formula: `D${row}-C${row}`, pence: f.differencePence }]);
  };
  for (const y of c.years) {
    add('Budget', y.label, y.budget);
    add('Expected spend', y.label, y.spend);
    add('Funding gap', y.label, y.gap);
    for (const p of scenarios[0]!.partners) add(`${p.name}: share of the gap`, y.label, y.partnerShares[p.id]!);
  }
  return s;
}

export async function renderScenarioXlsx(scenarios: readonly ScenarioProjection[], comparison: Comparison | null, generatedAt: string, outFile: string): Promise<void> {
  const taken = new Set<string>();
  const sheets = [
    ...(comparison ? [comparisonSheet(comparison, scenarios, generatedAt)] : []),
    ...scenarios.map((p) => scenarioSheet(p, sheetName(p.scenario.id, taken), generatedAt)),
  ];
  const output = createWriteStream(outFile);
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({ stream: output, useStyles: true, useSharedStrings: false });
  workbook.creator = 'Tandem';
  workbook.created = new Date(generatedAt);
  workbook.title = comparison ? `Scenarios ${comparison.first.id} and ${comparison.second.id}` : `Scenario ${scenarios[0]!.scenario.id}`;
  for (const sheet of sheets) writeSheet(workbook, sheet);
  const closed = once(output, 'close');
  await workbook.commit();
  await closed;
}
