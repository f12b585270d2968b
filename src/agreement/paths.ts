// Paths through the parsed agreement, and how they are shown to people: list items are named by
// their id (`pools.bcf.risk_share`) rather than their position, which survives reordering and
// is what a finance officer searches the file for.

import type { Segment } from './problems.js';
import { ID_PATTERN } from './schema-values.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function step(node: unknown, segment: Segment): unknown {
  if (Array.isArray(node) && typeof segment === 'number') return node[segment];
  if (isRecord(node)) return node[String(segment)];
  return undefined;
}

export function valueAt(root: unknown, at: readonly Segment[]): unknown {
  let node = root;
  for (const segment of at) node = step(node, segment);
  return node;
}

/** True when the path's last key is absent from a mapping that does exist. */
export function isMissingKey(root: unknown, at: readonly Segment[]): boolean {
  if (at.length === 0) return root === undefined;
  const parent = valueAt(root, at.slice(0, -1));
  return isRecord(parent) && !(String(at[at.length - 1]) in parent);
}

function idOf(item: unknown): string | undefined {
  return isRecord(item) && typeof item.id === 'string' && ID_PATTERN.test(item.id) ? item.id : undefined;
}

/** `['pools', 0, 'risk_share']` → `pools.bcf.risk_share`; '' for the whole document. */
export function displayPath(root: unknown, at: readonly Segment[]): string {
  const names: string[] = [];
  let node = root;
  for (const segment of at) {
    const next = step(node, segment);
    names.push(Array.isArray(node) && typeof segment === 'number' ? (idOf(next) ?? String(segment)) : String(segment));
    node = next;
  }
  return names.join('.');
}
