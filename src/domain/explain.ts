// Reasons for a risk share, in sentences a joint committee member can read: which rule or band
// gave a partner its share, where a cap stopped it and who took the excess. The data behind each
// sentence is kept beside it (sharing.ts), so a report can show either.

import { formatPounds, type Pence } from './money.js';
import type { ShareReason } from './risk-share.js';

const pounds = (p: Pence) => formatPounds(Math.abs(p), { symbol: true });
const what = (p: Pence) => (p < 0 ? 'underspend' : 'overspend');

const RULE_WORDS = {
  proportional: 'in proportion to contributions',
  fixed: 'by the fixed percentages agreed',
  lead: 'all to the lead partner',
} as const;

function contributionClause(contributions: Readonly<Record<string, Pence>>, partner: string): string {
  const own = contributions[partner] ?? 0;
  const total = Object.values(contributions).reduce((a, b) => a + b, 0);
  return ` (its contribution ${pounds(own)} of ${pounds(total)})`;
}

export function explainReason(name: string, reason: ShareReason, contributions: Readonly<Record<string, Pence>>, partner: string): string {
  switch (reason.kind) {
    case 'rule': {
      const scope =
        reason.band === null
          ? `the ${what(reason.bandPence)} of ${pounds(reason.bandPence)}`
          : `band ${reason.band} (the ${reason.band === 1 ? 'first' : 'next'} ${pounds(reason.bandPence)} of the ${what(reason.bandPence)})`;
      const how = RULE_WORDS[reason.rule] + (reason.rule === 'proportional' ? contributionClause(contributions, partner) : '');
      const verb = reason.sharePence < 0 ? 'receives' : 'bears';
      return `${name} ${verb} ${pounds(reason.sharePence)} of ${scope}, shared ${how}.`;
    }
    case 'cap':
      return `${name} is capped at ${pounds(reason.capPence)} for the year, so ${pounds(reason.movedPence)} above its cap passes to the other partners.`;
    case 'excess':
      return reason.from === 'capped'
        ? `${name} takes ${pounds(reason.receivedPence)} that capped partners cannot bear, in proportion to what it already bears.`
        : `${name} takes ${pounds(reason.receivedPence)} because every partner is at its cap and the agreement names it to take the excess.`;
  }
}

export function explainRetained(retained: Pence): string {
  return `The underspend of ${pounds(retained)} is retained in the pool and carried into next year; no money moves.`;
}
