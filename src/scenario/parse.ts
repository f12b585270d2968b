// From a scenario file's text to the core's Scenario, or every problem found, each with the
// file, line and column to look at. Stages as for an agreement (src/agreement/parse.ts): YAML
// syntax, then the shape (zod), then the fund — inline, read by the agreement's own schema and
// checks so it is written exactly as in an agreement, or an agreement file it names — then what
// the scenario means (validate.ts). Pure apart from `loadAgreement`.

import { parseYear, type YearStart } from '../domain/period.js';
import type { AgreementLoad } from '../agreement/parse.js';
import { displayPath, isRecord } from '../agreement/paths.js';
import type { Finding, PlacedFinding, Segment } from '../agreement/problems.js';
import { AgreementSchema } from '../agreement/schema.js';
import { toAgreement } from '../agreement/to-model.js';
import { validateAgreement } from '../agreement/validate.js';
import { positionOf, readYaml, type YamlSource } from '../agreement/yaml-source.js';
import { zodFindings } from '../agreement/zod-problems.js';
import type { Agreement } from '../domain/agreement.js';
import { annualBudget } from '../domain/phasing.js';
import type { Scenario } from '../domain/scenario.js';
import { ScenarioSchema, type ScenarioDoc } from './schema.js';
import { validateScenario, type ScenarioFinding, type ScenarioProblemCode } from './validate.js';

export interface ScenarioProblem {
  code: ScenarioProblemCode;
  message: string;
  file: string;
  line: number | null;
  column: number | null;
  /** Dotted path in the scenario ('' for the whole file); problems in a named agreement carry its own. */
  path: string;
}

export type ScenarioLoad = { ok: true; scenario: Scenario; files: string[] } | { ok: false; problems: ScenarioProblem[] };

export interface ParseScenarioOptions {
  fileName: string;
  /** Loads the agreement file named by `agreement:` (relative to the scenario). */
  loadAgreement?: (relativePath: string) => Promise<AgreementLoad>;
}

const FUND_KEYS = new Set(['id', 'name', 'partners', 'pools', 'schemes']);

/** A finding about the agreement-shaped fund, moved to where it is written in the scenario. */
function fundPath(at: readonly Segment[]): Segment[] {
  const [head, ...rest] = at;
  if (head === 'partners' || head === 'pools' || head === 'schemes') return ['fund', ...at];
  if (head === 'fund') return ['fund', ...rest];
  if (head === 'years') return [...at];
  return ['fund'];
}

function inlineFund(raw: Record<string, unknown>, years: unknown): { agreement: Agreement | null; findings: ScenarioFinding[] } {
  const unknown = Object.keys(raw).filter((k) => !FUND_KEYS.has(k));
  if (unknown.length > 0) {
    return { agreement: null, findings: unknown.map((k) => ({ code: 'SCHEMA_UNKNOWN_KEY', at: ['fund', k], message: `"${k}" is not a key of an inline fund (id, name, partners, pools, schemes)` })) };
  }
  const input = { fund: { id: raw.id, name: raw.name }, years, partners: raw.partners, pools: raw.pools ?? [], schemes: raw.schemes ?? [] };
  const moved = (found: Finding[]): ScenarioFinding[] => found.map((f) => ({ ...f, at: fundPath(f.at) }));
  const shaped = AgreementSchema.safeParse(input);
  if (!shaped.success) return { agreement: null, findings: moved(zodFindings(shaped.error.issues, input)) };
  const findings = moved(validateAgreement(shaped.data));
  return findings.length > 0 ? { agreement: null, findings } : { agreement: toAgreement(shaped.data), findings: [] };
}

function groupRate(doc: ScenarioDoc, scheme: string): number {
  const own = doc.demand_growth_percent[scheme];
  if (own !== undefined) return own;
  // A scheme's own rate wins; otherwise the first group (in file order) that lists it and has a rate.
  const group = Object.entries(doc.groups).find(([name, members]) => members.includes(scheme) && doc.demand_growth_percent[name] !== undefined);
  return group ? doc.demand_growth_percent[group[0]]! : 0;
}

function byYear<T>(record: Record<string, T>): Record<YearStart, T> {
  return Object.fromEntries(Object.entries(record).map(([y, v]) => [parseYear(y)!, v]));
}

function toScenario(doc: ScenarioDoc, agreement: Agreement): Scenario {
  const years = doc.years.map((y) => parseYear(y)!);
  const base = years[0]!;
  const dr = doc.double_running;
  return {
    id: doc.scenario.id,
    name: doc.scenario.name,
    description: doc.scenario.description,
    years,
    agreement,
    baseSpendPence: Object.fromEntries(agreement.schemes.map((s) => [s.id, doc.base_year_spend[s.id] ?? annualBudget(s, base)])),
    fundingGrowthPercent: { ...doc.funding_growth_percent },
    demandGrowthPercent: Object.fromEntries(agreement.schemes.map((s) => [s.id, groupRate(doc, s.id)])),
    priceInflationPercent: doc.price_inflation_percent,
    shift: doc.shift && { from: doc.shift.from, to: doc.shift.to, amountsPence: byYear(doc.shift.amounts), realisedPercent: byYear(doc.shift.savings_realised_percent) },
    doubleRunning: dr && {
      from: parseYear(dr.from)!,
      to: parseYear(dr.to)!,
      funding: dr.funding.map((f) => ({ source: f.source, partner: f.partner, scheme: f.scheme, amountsPence: byYear(f.amounts) })),
    },
    investments: doc.social_investment.map((inv) => ({
      id: inv.id,
      name: inv.name,
      investor: inv.investor,
      scheme: inv.scheme,
      capitalPence: byYear(inv.capital),
      pencePerAvoidedAdmission: inv.per_avoided_admission,
      baselineAdmissions: inv.baseline_admissions,
      minimumAvoided: inv.minimum_avoided,
      totalCapPence: inv.cap_total,
      yearCapPence: inv.cap_per_year,
      plannedAdmissions: byYear(inv.planned_admissions),
    })),
  };
}

function placer(source: YamlSource, value: unknown) {
  return (f: ScenarioFinding): ScenarioProblem => {
    const position = positionOf(source, f.at);
    return { code: f.code, message: f.message, file: source.file, line: position?.line ?? null, column: position?.column ?? null, path: displayPath(value, f.at) };
  };
}

const placed = (p: PlacedFinding): ScenarioProblem => ({ ...p, path: '' });

/** One problem once (the fund's years are checked twice: as the scenario's and as an agreement's). */
function unique(problems: ScenarioProblem[]): ScenarioProblem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.code}|${p.path}|${p.message}`;
    return seen.has(key) ? false : (seen.add(key), true);
  });
}

function byLine(problems: ScenarioProblem[]): ScenarioProblem[] {
  return [...problems].sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) || (a.column ?? 0) - (b.column ?? 0));
}

export async function parseScenario(text: string, options: ParseScenarioOptions): Promise<ScenarioLoad> {
  const read = readYaml(text, options.fileName);
  if (read.problems.length > 0) return { ok: false, problems: read.problems.map(placed) };
  const { value, source } = read;
  const place = placer(source, value);
  if (!isRecord(value)) {
    return { ok: false, problems: [place({ code: 'SCHEMA_TYPE', at: [], message: 'the file is empty or not a mapping: a scenario starts with scenario, years and fund (or agreement)' })] };
  }
  const shaped = ScenarioSchema.safeParse(value);
  const findings: ScenarioFinding[] = shaped.success ? [] : zodFindings(shaped.error.issues, value);
  const hasFund = value.fund !== undefined;
  const hasAgreement = value.agreement !== undefined;
  if (hasFund === hasAgreement) {
    findings.push({ code: 'FUND_SOURCE', at: hasFund ? ['agreement'] : [], message: 'give the fund either inline (fund:) or as an agreement file (agreement:), not both and not neither' });
  }
  let agreement: Agreement | null = null;
  let files = [options.fileName];
  if (hasFund && !hasAgreement && isRecord(value.fund)) {
    const fund = inlineFund(value.fund, value.years);
    findings.push(...fund.findings);
    agreement = fund.agreement;
  } else if (hasAgreement && !hasFund && typeof value.agreement === 'string') {
    if (!options.loadAgreement) throw new Error('parseScenario: a scenario naming an agreement file needs loadAgreement');
    const loaded = await options.loadAgreement(value.agreement);
    if (!loaded.ok) return { ok: false, problems: [...unique(byLine(findings.map(place))), ...loaded.problems] };
    agreement = loaded.agreement;
    files = [...files, ...loaded.files];
    const base = shaped.success ? parseYear(shaped.data.years[0]!) : undefined;
    if (base !== undefined && !agreement.years.includes(base)) {
      findings.push({ code: 'YEAR_NOT_IN_FUND', at: ['years', 0], message: `the base year ${shaped.data!.years[0]} is not a year of the agreement ${value.agreement}` });
    }
  }
  if (findings.length > 0 || !shaped.success || agreement === null) return { ok: false, problems: unique(byLine(findings.map(place))) };
  const known = { partners: new Set(agreement.partners.map((p) => p.id)), schemes: new Map(agreement.schemes.map((s) => [s.id, s.type] as const)) };
  const meaning = validateScenario(shaped.data, known);
  if (meaning.length > 0) return { ok: false, problems: unique(byLine(meaning.map(place))) };
  return { ok: true, scenario: toScenario(shaped.data, agreement), files };
}
