// Ledger files: a ledger in the agreement may say `file: ledgers/scc.yaml`, and that file holds
// its mode, extract settings and mapping rules — like hledger's per-bank CSV rules files, so the
// partner who owns a ledger can maintain its mapping without editing the whole agreement. The
// file's keys are merged into the ledger entry before validation; each problem in them is still
// reported against the ledger file, at its own line.

import { dirname, isAbsolute, join } from 'node:path';
import { isRecord } from './paths.js';
import { finding, type Finding, type PlacedFinding, type Segment } from './problems.js';
import { LEDGER_FILE_KEYS } from './schema-ledger.js';
import { readYaml, type YamlSource } from './yaml-source.js';

/** Reads a ledger file, given its path as written in the agreement (relative to it). Throws if it cannot. */
export type ReadInclude = (relativePath: string) => string;

export interface IncludedFile {
  ledgerIndex: number;
  /** As written after `file:`. */
  relativePath: string;
  source: YamlSource;
  /** Top-level keys of the file: paths under `ledgers.<i>.<key>` are found in this file. */
  keys: ReadonlySet<string>;
}

export interface Resolved {
  /** The agreement with each ledger file's keys merged into its ledger entry. */
  value: unknown;
  included: IncludedFile[];
  findings: Finding[];
  placed: PlacedFinding[];
}

const ALLOWED: ReadonlySet<string> = new Set(LEDGER_FILE_KEYS);

/** The name a ledger file is shown by in problems: its path next to the agreement's. */
export function includedFileName(agreementFile: string, relativePath: string): string {
  return join(dirname(agreementFile), relativePath);
}

function readOne(
  entry: Record<string, unknown>,
  index: number,
  agreementFile: string,
  readInclude: ReadInclude | undefined,
  out: Resolved,
): Record<string, unknown> {
  const relativePath = entry.file;
  if (typeof relativePath !== 'string') return entry; // the schema reports a `file` that is not text
  const at: Segment[] = ['ledgers', index, 'file'];
  if (relativePath.trim() === '' || isAbsolute(relativePath)) {
    out.findings.push(finding('INCLUDE_PATH_INVALID', at, `"${relativePath}" must be a path relative to the agreement file`));
    return entry;
  }
  let text: string;
  try {
    if (!readInclude) throw new Error('no ledger files can be read here');
    text = readInclude(relativePath);
  } catch (error) {
    out.findings.push(finding('INCLUDE_NOT_FOUND', at, `cannot read the ledger file "${relativePath}": ${(error as Error).message}`));
    return entry;
  }
  const read = readYaml(text, includedFileName(agreementFile, relativePath));
  out.placed.push(...read.problems);
  if (read.problems.length > 0) return entry;
  if (!isRecord(read.value)) {
    out.findings.push(finding('INCLUDE_NOT_MAPPING', at, `the ledger file "${relativePath}" must be a mapping with ${LEDGER_FILE_KEYS.join(', ')}`));
    return entry;
  }
  const keys = new Set(Object.keys(read.value));
  out.included.push({ ledgerIndex: index, relativePath, source: read.source, keys });
  const merged: Record<string, unknown> = { ...entry };
  for (const [key, value] of Object.entries(read.value)) {
    const here: Segment[] = ['ledgers', index, key];
    if (!ALLOWED.has(key)) {
      out.findings.push(finding('INCLUDE_KEY_NOT_ALLOWED', here, `a ledger file may hold only ${LEDGER_FILE_KEYS.join(', ')}; "${key}" belongs in the agreement`));
    } else if (key in entry) {
      out.findings.push(finding('INCLUDE_KEY_CONFLICT', here, `"${key}" is given both in the agreement and in its ledger file "${relativePath}"`));
    } else {
      merged[key] = value;
    }
  }
  return merged;
}

/** Reads every ledger file the agreement names and merges it into its ledger. */
export function resolveIncludes(value: unknown, agreementFile: string, readInclude: ReadInclude | undefined): Resolved {
  const out: Resolved = { value, included: [], findings: [], placed: [] };
  if (!isRecord(value) || !Array.isArray(value.ledgers)) return out;
  const ledgers = value.ledgers.map((entry: unknown, index) =>
    isRecord(entry) && 'file' in entry ? readOne(entry, index, agreementFile, readInclude, out) : entry,
  );
  out.value = { ...value, ledgers };
  return out;
}
