// The `year_end:` section as the core's YearEndRules. Only called once validate-year-end.ts found
// nothing wrong.

import type { YearEndRules } from '../domain/agreement.js';
import type { YearEndDoc } from './schema-year-end.js';

export function yearEndRules(doc: YearEndDoc): YearEndRules {
  return {
    carryForward: { retainUnderspend: doc.carry_forward.retain_underspend, toScheme: { ...doc.carry_forward.to_scheme } },
    overspendRecovery: doc.overspend_recovery.map((r) => ({ pool: r.pool, fromScheme: r.from_scheme })),
    uplift: doc.uplift.map((u) => ({ pool: u.pool ?? null, scheme: u.scheme ?? null, percent: u.percent })),
  };
}
