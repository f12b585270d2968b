// A mapping rule's `when` may be written as a mapping (`{Cost Centre: C4101}`) or as a list of
// conditions (`[{column: Cost Centre, prefix: C41}]`). This flattens either form into conditions
// that remember where they were written, for validation messages and for the model.

import type { Segment } from './problems.js';
import type { ConditionTestsDoc, MappingRuleDoc } from './schema-ledger.js';

export interface PlacedCondition {
  at: Segment[];
  column: string;
  tests: ConditionTestsDoc;
}

export function conditionsOf(when: MappingRuleDoc['when'], whenAt: Segment[]): PlacedCondition[] {
  if (Array.isArray(when)) {
    return when.map(({ column, ...tests }, index) => ({ at: [...whenAt, index], column, tests }));
  }
  return Object.entries(when).map(([column, value]) => ({
    at: [...whenAt, column],
    column,
    tests: typeof value === 'string' ? { equals: value } : value,
  }));
}

export function hasAnyTest(tests: ConditionTestsDoc): boolean {
  return tests.equals !== undefined || tests.in !== undefined || tests.prefix !== undefined || tests.range !== undefined || tests.pattern !== undefined;
}

/** The regular expression a pattern condition runs (src/domain/mapping.ts anchors it the same way). */
export function anchoredPattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`);
}
