// From the agreement's text to the core's Agreement, or every problem found: YAML syntax (in the
// agreement and in the ledger files it includes), then the shape (zod), then the meaning
// (validate.ts). Each stage runs only on what the one before accepted, so a problem is reported
// once, where it starts; within a stage every problem is listed. Pure apart from `readInclude`.

import type { Agreement } from '../domain/agreement.js';
import { resolveIncludes, type IncludedFile, type ReadInclude } from './include.js';
import { displayPath } from './paths.js';
import type { AgreementProblem, Finding, PlacedFinding } from './problems.js';
import { AgreementSchema } from './schema.js';
import { resolvedSourceText, sha256Hex } from './source-text.js';
import { toAgreement } from './to-model.js';
import { validateAgreement } from './validate.js';
import { positionOf, readYaml, type YamlSource } from './yaml-source.js';
import { zodFindings } from './zod-problems.js';

export interface ParseOptions {
  /** The agreement's file name, as shown in problems; ledger files are named relative to it. */
  fileName: string;
  /** Reads a ledger file named by `file:` (a path relative to the agreement). Without it, includes fail. */
  readInclude?: ReadInclude;
}

export type AgreementLoad =
  | {
      ok: true;
      agreement: Agreement;
      /** The agreement text with each included ledger file appended (what the version stores). */
      sourceText: string;
      /** sha256 (hex) of sourceText: covers the agreement and every included file. */
      sourceSha256: string;
      /** The agreement file, then each included ledger file, as named in problems. */
      files: string[];
    }
  | { ok: false; problems: AgreementProblem[] };

function placed(found: PlacedFinding): AgreementProblem {
  return { code: found.code, path: '', line: found.line, column: found.column, message: found.message, file: found.file };
}

/** Finds where a finding is written: in the ledger file that supplied its key, or in the agreement. */
function placer(main: YamlSource, included: readonly IncludedFile[], merged: unknown) {
  return (found: Finding): AgreementProblem => {
    const [list, index, key] = found.at;
    const from = included.find((f) => list === 'ledgers' && index === f.ledgerIndex && typeof key === 'string' && f.keys.has(key));
    const source = from?.source ?? main;
    const position = positionOf(source, from ? found.at.slice(2) : found.at);
    return {
      code: found.code,
      path: displayPath(merged, found.at),
      line: position?.line ?? null,
      column: position?.column ?? null,
      message: found.message,
      file: source.file,
    };
  };
}

/** Reading order: the agreement, then each ledger file; by line within a file; unplaced last. */
function inReadingOrder(problems: AgreementProblem[], files: readonly string[]): AgreementProblem[] {
  const fileRank = (file: string) => (files.includes(file) ? files.indexOf(file) : files.length);
  const rank = (p: AgreementProblem) => [fileRank(p.file), p.line ?? Number.MAX_SAFE_INTEGER, p.column ?? 0] as const;
  return problems
    .map((problem, index) => ({ problem, index, key: rank(problem) }))
    .sort((a, b) => a.key[0] - b.key[0] || a.key[1] - b.key[1] || a.key[2] - b.key[2] || a.index - b.index)
    .map(({ problem }) => problem);
}

export function parseAgreement(text: string, options: ParseOptions): AgreementLoad {
  const main = readYaml(text, options.fileName);
  if (main.problems.length > 0) return { ok: false, problems: main.problems.map(placed) };

  const resolved = resolveIncludes(main.value, options.fileName, options.readInclude);
  const files = [options.fileName, ...resolved.included.map((f) => f.source.file)];
  const place = placer(main.source, resolved.included, resolved.value);
  const failed = (found: Finding[], already: AgreementProblem[] = []): AgreementLoad => ({
    ok: false,
    problems: inReadingOrder([...already, ...found.map(place)], files),
  });
  if (resolved.placed.length > 0 || resolved.findings.length > 0) return failed(resolved.findings, resolved.placed.map(placed));

  const shaped = AgreementSchema.safeParse(resolved.value);
  if (!shaped.success) return failed(zodFindings(shaped.error.issues, resolved.value));

  const findings = validateAgreement(shaped.data);
  if (findings.length > 0) return failed(findings);

  const ledgerIds = shaped.data.ledgers.map((l) => l.id);
  const includedTexts = resolved.included.map((f) => ({ ledgerId: ledgerIds[f.ledgerIndex]!, relativePath: f.relativePath, text: f.source.text }));
  const sourceText = resolvedSourceText(text, includedTexts);
  return {
    ok: true,
    agreement: toAgreement(shaped.data),
    sourceText,
    sourceSha256: sha256Hex(sourceText),
    files,
  };
}
