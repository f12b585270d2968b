// Reading one YAML file of the agreement: syntax errors with their line and column, numbers
// that are really codes kept as text, and finding the line and column of any path afterwards.

import { isAlias, isMap, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type YAMLParseError } from 'yaml';
import type { PlacedFinding, Segment } from './problems.js';

export interface YamlSource {
  /** The file name shown in problems. */
  file: string;
  text: string;
  doc: Document.Parsed;
  lines: LineCounter;
}

export interface ReadYaml {
  source: YamlSource;
  /** The document as plain data (mappings → objects, lists → arrays). */
  value: unknown;
  problems: PlacedFinding[];
}

/** A plain decimal as people write amounts and percentages: 6000000, -12.5, 6000000.50. */
const PLAIN_DECIMAL = /^[-+]?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?$/;

/**
 * Only plain decimals are numbers. YAML would read `05001` as 5001, `0x1F` as 31 and `1e3` as
 * 1000; in an agreement such a value is a ledger code or a slip, so it keeps the text as written.
 */
function keepNonDecimalNumbersAsText(doc: Document.Parsed): void {
  visit(doc, {
    Scalar(_key, node) {
      if (typeof node.value === 'number' && node.source !== undefined && !PLAIN_DECIMAL.test(node.source)) {
        node.value = node.source;
      }
    },
  });
}

/**
 * Every duplicate key (each is a mistake of its own), but only the first structural error: the
 * parser's later complaints usually follow from it and would send a reader to the wrong place.
 */
function syntaxProblems(doc: Document.Parsed, lines: LineCounter, file: string): PlacedFinding[] {
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return { file, line, column: col };
  };
  const duplicates = doc.errors.filter((e) => e.code === 'DUPLICATE_KEY');
  const structural = doc.errors.filter((e) => e.code !== 'DUPLICATE_KEY');
  const first = structural[0];
  const more = structural.length > 1 ? ` (${structural.length - 1} more after this, which may follow from it)` : '';
  const said = (e: YAMLParseError) =>
    e.code === 'MULTIPLE_DOCS' ? 'the file holds more than one YAML document (a "---" line in the middle); an agreement is one' : e.message.split('\n')[0]!;
  return [
    ...duplicates.map((e) => ({ code: 'YAML_DUPLICATE_KEY' as const, message: 'a key appears twice in the same mapping', ...at(e.pos[0]) })),
    ...(first ? [{ code: 'YAML_SYNTAX' as const, message: `${said(first)}${more}`, ...at(first.pos[0]) }] : []),
  ];
}

export function readYaml(text: string, file: string): ReadYaml {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const source: YamlSource = { file, text, doc, lines };
  const problems = syntaxProblems(doc, lines, file);
  if (problems.length > 0) return { source, value: undefined, problems };
  keepNonDecimalNumbersAsText(doc);
  try {
    return { source, value: doc.toJS({ maxAliasCount: 1000 }), problems };
  } catch (error) {
    // toJS fails only on alias abuse (a "billion laughs" document); report it as syntax.
    return { source, value: undefined, problems: [{ code: 'YAML_SYNTAX', message: (error as Error).message, file, line: null, column: null }] };
  }
}

export interface Position {
  line: number;
  column: number;
}

function positionAt(source: YamlSource, node: Node | null | undefined): Position | null {
  const offset = node?.range?.[0];
  if (offset === undefined) return null;
  const { line, col } = source.lines.linePos(offset);
  return { line, column: col };
}

function resolveAlias(source: YamlSource, node: unknown): unknown {
  return isAlias(node) ? node.resolve(source.doc) : node;
}

/**
 * Where a path points in the file: the key of a mapping entry (the start of its line, where a
 * reader looks), a list item, or — when the path goes further than the file does, as for a
 * missing key — the deepest node that exists.
 */
export function positionOf(source: YamlSource, at: readonly Segment[]): Position | null {
  let node: unknown = source.doc.contents;
  let best = positionAt(source, source.doc.contents);
  for (const segment of at) {
    node = resolveAlias(source, node);
    if (isMap(node)) {
      const pair = node.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      if (!pair) break;
      best = positionAt(source, isScalar(pair.key) ? pair.key : null) ?? best;
      node = pair.value;
    } else if (isSeq(node) && typeof segment === 'number') {
      const item: unknown = node.items[segment];
      if (item === undefined) break;
      best = positionAt(source, item as Node) ?? best;
      node = item;
    } else {
      break;
    }
  }
  return best;
}
