// The report's sheets next to the money (html-planning.ts has the same tables as HTML): Contracts
// (value, due, spend and spend − due as a live formula) and Metrics (each month's plan, actual,
// actual − plan and RAG), each only when the fund has them, and Multi-year (each partner and
// scheme over the years of the agreement).

import { invariant, sumPence, type Pence } from '../domain/money.js';
import type { ReportData } from './report-data.js';
import { SheetBuilder, type CellSpec } from './xlsx-layout.js';

const MECHANISM: Record<string, string> = { block: 'block', cost_and_volume: 'cost and volume', outcome: 'outcome-based' };
const RAG: Record<string, string> = { red: 'Red', amber: 'Amber', green: 'Green' };
/** Hundredths of a metric's unit as the number a reader sees (9245 → 92.45). */
const units = (h: number | null): CellSpec => (h === null ? null : h / 100);

export function contractsSheet(data: ReportData): SheetBuilder | null {
  const c = data.contracts;
  if (!c) return null;
  const s = new SheetBuilder('Contracts');
  s.title(data, `contracts year to date (register version ${c.registerVersion}): value, due by mechanism, spend`);
  const header = s.header(['Contract', 'Name', 'Provider', 'Mechanism', 'Annual value £', 'Units YTD', 'Outcomes YTD', 'Due YTD £', 'Spend YTD £', 'Spend − due £', 'Matched outside its schemes £']);
  const top = s.nextRow;
  for (const r of c.rows) {
    const row = s.nextRow;
    invariant(r.spendYtdPence - r.dueYtdPence === r.spendMinusDuePence, `contract ${r.id}: spend − due does not add up`);
    s.add([r.id, r.name, r.provider, MECHANISM[r.mechanism] ?? r.mechanism, { pence: r.annualValuePence }, r.unitsYtd, r.outcomesYtd, { pence: r.dueYtdPence }, { pence: r.spendYtdPence }, { formula: `I${row}-H${row}`, pence: r.spendMinusDuePence }, { pence: r.matchedOutsideSchemesPence }]);
  }
  const bottom = s.nextRow - 1;
  s.autoFilter(header, bottom, 11);
  const sum = (col: string, pence: Pence): CellSpec => (bottom >= top ? { formula: `SUM(${col}${top}:${col}${bottom})`, pence } : { pence });
  const rows = c.rows;
  const total = (f: (r: (typeof rows)[number]) => Pence) => sumPence(rows.map(f));
  s.add(['Total', null, null, null, sum('E', total((r) => r.annualValuePence)), null, null, sum('H', total((r) => r.dueYtdPence)), sum('I', total((r) => r.spendYtdPence)), sum('J', total((r) => r.spendMinusDuePence)), sum('K', total((r) => r.matchedOutsideSchemesPence))], 'total');
  for (const w of c.warnings) s.add([w]);
  return s;
}

export function metricsSheet(data: ReportData): SheetBuilder | null {
  const m = data.metrics;
  if (!m) return null;
  const s = new SheetBuilder('Metrics');
  s.title(data, `outcome metrics to ${data.period} (register version ${m.registerVersion}): plan, actual and RAG by month`);
  const header = s.header(['Metric', 'Name', 'Unit', 'Direction', 'Period', 'Plan', 'Actual', 'Actual − plan', 'RAG']);
  for (const metric of m.rows) {
    const direction = metric.direction === 'lower_is_better' ? 'lower is better' : 'higher is better';
    for (const p of metric.periods) {
      s.add([metric.id, metric.name, metric.unit, direction, p.period, units(p.planHundredths), units(p.actualHundredths), units(p.differenceHundredths), p.rag ? RAG[p.rag]! : null]);
    }
    if (metric.periods.length === 0) s.add([metric.id, metric.name, metric.unit, direction, 'no figures yet']);
  }
  s.autoFilter(header, s.nextRow - 1, 9);
  return s;
}

export function multiYearSheet(data: ReportData): SheetBuilder {
  const view = data.multiYear;
  const s = new SheetBuilder('Multi-year');
  s.title(data, 'the fund over the years of the agreement, as at this close');
  const amount = (p: Pence | null): CellSpec => (p === null ? null : { pence: p });
  const state = (final: boolean, closedTo: string | null) => (final ? 'final' : closedTo ? `closed to ${closedTo}` : 'not closed');
  const header = s.header(['Year', 'Partner', 'Name', 'Original contribution £', 'Current contribution £', 'Actual £', 'Risk share £', 'Carried in £', 'State']);
  for (const p of view.partners) {
    s.add([p.year, p.partner, p.name, { pence: p.originalContributionPence }, { pence: p.currentContributionPence }, amount(p.actualPence), amount(p.riskSharePence), { pence: p.carriedInPence }, state(p.final, p.closedTo)]);
  }
  s.autoFilter(header, s.nextRow - 1, 9);
  s.add([]);
  s.add(['Each scheme by year'], 'heading');
  s.add(['Year', 'Scheme', 'Name', 'Type', 'Original budget £', 'Current budget £', 'Outturn £', 'Carried in £', 'State'], 'header');
  for (const r of view.schemes) {
    s.add([r.year, r.scheme, r.name, r.type, { pence: r.originalBudgetPence }, { pence: r.currentBudgetPence }, amount(r.outturnPence), { pence: r.carriedInPence }, state(r.final, r.closedTo)]);
  }
  return s;
}
