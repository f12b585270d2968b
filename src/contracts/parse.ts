// From a contract register's text to the core's ContractRegister, or every problem found with the
// file, line and column to look at. Stages as for an agreement (src/agreement/parse.ts): YAML
// syntax, then the shape (zod), then the meaning against the agreement in force (validate.ts).
// Pure: the agreement is passed in.

import { displayPath, isRecord } from '../agreement/paths.js';
import type { PlacedFinding } from '../agreement/problems.js';
import { sha256Hex } from '../agreement/source-text.js';
import { mappingRule } from '../agreement/to-model.js';
import { positionOf, readYaml, type YamlSource } from '../agreement/yaml-source.js';
import { zodFindings } from '../agreement/zod-problems.js';
import type { Agreement } from '../domain/agreement.js';
import type { Contract, ContractRegister } from '../domain/contracts.js';
import type { PaymentTerms } from '../domain/payments.js';
import { parsePeriodArg } from '../domain/period.js';
import { toInvestment } from './investments.js';
import { ContractRegisterSchema, type ContractDocOut, type ContractRegisterDoc } from './schema.js';
import { validateRegister, type ContractFinding, type ContractProblemCode } from './validate.js';

export interface ContractProblem {
  code: ContractProblemCode;
  message: string;
  file: string;
  line: number | null;
  column: number | null;
  /** Dotted path in the register ('' for the whole file). */
  path: string;
}

export type RegisterLoad = { ok: true; register: ContractRegister; sourceText: string; sourceSha256: string } | { ok: false; problems: ContractProblem[] };

function payment(doc: ContractDocOut, annualValuePence: number): PaymentTerms {
  const p = doc.payment;
  if (p.kind === 'block') return p.weights === undefined ? { kind: 'block', annualPence: annualValuePence } : { kind: 'block', annualPence: annualValuePence, monthWeights: [...p.weights] };
  if (p.kind === 'cost_and_volume') {
    return {
      kind: 'cost_and_volume',
      pricePerUnitPence: p.price_per_unit,
      ...(p.threshold && { threshold: { units: p.threshold.units, marginalPercent: p.threshold.marginal_percent } }),
      ...(p.cap_units !== undefined && { capUnits: p.cap_units }),
    };
  }
  return { kind: 'outcome', tiers: p.tiers.map((t) => ({ outcomes: t.outcomes, pencePerOutcome: t.price })), ...(p.cap !== undefined && { capPence: p.cap }) };
}

function toContract(doc: ContractDocOut): Contract {
  return {
    id: doc.id,
    name: doc.name,
    provider: doc.provider,
    leadCommissioner: doc.lead_commissioner,
    schemes: [...doc.schemes],
    annualValuePence: doc.value,
    start: parsePeriodArg(doc.start)!,
    end: parsePeriodArg(doc.end)!,
    payment: payment(doc, doc.value),
    spend: doc.spend.map((s, i) => ({ ledger: s.ledger, rule: mappingRule({ when: s.when, scheme: doc.id }, i) })),
    unit: doc.unit ?? null,
    outcome: doc.outcome ?? null,
    description: doc.description ?? null,
  };
}

function toRegister(doc: ContractRegisterDoc): ContractRegister {
  return {
    providers: doc.providers.map((p) => ({ id: p.id, name: p.name })),
    contracts: doc.contracts.map(toContract),
    metrics: doc.metrics.map((m) => ({ id: m.id, name: m.name, unit: m.unit, direction: m.direction, amberPercent: m.amber_percent, redPercent: m.red_percent })),
    investments: doc.investments.map(toInvestment),
  };
}

function placer(source: YamlSource, value: unknown) {
  return (f: ContractFinding): ContractProblem => {
    const position = positionOf(source, f.at);
    return { code: f.code, message: f.message, file: source.file, line: position?.line ?? null, column: position?.column ?? null, path: displayPath(value, f.at) };
  };
}

const placed = (p: PlacedFinding): ContractProblem => ({ ...p, path: '' });

function byLine(problems: ContractProblem[]): ContractProblem[] {
  return [...problems].sort((a, b) => (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER) || (a.column ?? 0) - (b.column ?? 0));
}

export function parseRegister(text: string, options: { fileName: string; agreement: Agreement }): RegisterLoad {
  const read = readYaml(text, options.fileName);
  if (read.problems.length > 0) return { ok: false, problems: read.problems.map(placed) };
  const { value, source } = read;
  const place = placer(source, value);
  if (!isRecord(value)) {
    return { ok: false, problems: [place({ code: 'SCHEMA_TYPE', at: [], message: 'the file is empty or not a mapping: a contract register has providers, contracts and metrics' })] };
  }
  const shaped = ContractRegisterSchema.safeParse(value);
  if (!shaped.success) return { ok: false, problems: byLine(zodFindings(shaped.error.issues, value).map(place)) };
  const findings = validateRegister(shaped.data, options.agreement);
  if (findings.length > 0) return { ok: false, problems: byLine(findings.map(place)) };
  return { ok: true, register: toRegister(shaped.data), sourceText: text, sourceSha256: sha256Hex(text) };
}
