// The parts of a proposed decision that are written as agreement YAML: a new risk share (the
// `risk_share:` mapping of docs/agreement.md) and a scheme to add (one entry of `schemes:`). They
// are read with the agreement's own schemas and meaning checks, against the agreement in force,
// so a decision can never bring in what `tandem agreement load` would refuse.

import { parse as parseYaml } from 'yaml';
import type * as z from 'zod';
import type { Agreement, RiskShare, Scheme } from '../domain/agreement.js';
import { formatYear } from '../domain/period.js';
import type { Finding } from '../agreement/problems.js';
import { Scheme as SchemeSchema, type PoolDoc } from '../agreement/schema.js';
import { RiskShare as RiskShareSchema } from '../agreement/schema-risk-share.js';
import { riskShare as toRiskShare, scheme as toScheme } from '../agreement/to-model.js';
import type { Known } from '../agreement/validate-context.js';
import { checkRiskShare } from '../agreement/validate-risk-share.js';
import { checkScheme } from '../agreement/validate-schemes.js';
import { TandemError, type Problem } from './errors.js';

/** The ids the meaning checks look references up in, from the agreement in force. */
function knownOf(agreement: Agreement): Known {
  const pools = new Map<string, PoolDoc>(agreement.pools.map((p) => [p.id, { id: p.id, name: p.name, host: p.host, netting: p.netting, risk_share: null }]));
  return { partners: new Set(agreement.partners.map((p) => p.id)), pools, schemes: new Set(agreement.schemes.map((s) => s.id)), years: new Set(agreement.years) };
}

function read<S extends z.ZodType>(schema: S, text: string, what: string): z.output<S> {
  let value: unknown;
  try {
    value = parseYaml(text);
  } catch (e) {
    throw new TandemError('DECISION_INVALID', `${what} is not valid YAML: ${e instanceof Error ? e.message : String(e)}; nothing was proposed`);
  }
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const problems: Problem[] = result.error.issues.map((issue) => ({ code: 'DECISION_INVALID', message: issue.message, path: issue.path.join('.') }));
  throw new TandemError('DECISION_INVALID', `${what} does not have the shape docs/agreement.md gives it; nothing was proposed`, problems);
}

function refuse(findings: Finding[], what: string): void {
  if (findings.length === 0) return;
  const problems = findings.map((f) => ({ code: f.code, message: f.message, path: f.at.join('.') }));
  throw new TandemError('DECISION_INVALID', `${what} has ${findings.length} problem(s) (${findings[0]!.message}); nothing was proposed`, problems);
}

export function readRiskShare(agreement: Agreement, text: string): RiskShare {
  const doc = read(RiskShareSchema, text, 'the risk share');
  refuse(checkRiskShare(doc, ['risk_share'], knownOf(agreement)), 'the risk share');
  return toRiskShare(doc)!;
}

export function readScheme(agreement: Agreement, text: string): Scheme {
  const doc = read(SchemeSchema, text, 'the scheme');
  const known = knownOf(agreement);
  refuse(checkScheme(doc, 0, known), `scheme ${doc.id}`);
  const scheme = toScheme(doc);
  const years = Object.keys(scheme.contributions).map(Number);
  if (years.length === 0) throw new TandemError('DECISION_INVALID', `scheme ${doc.id} has no contributions for any of ${agreement.years.map(formatYear).join(', ')}`);
  return scheme;
}
