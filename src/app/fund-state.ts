// Whether a fund is still open for business. Dissolution (docs/dissolution.md) is a decision of
// the joint committee; when it takes effect its statement is recorded as an audit event of its own
// (`fund.dissolve`, naming the decision), append-only and hash-chained like every other, and that
// event is what marks the fund dissolved: from then on nothing may change the fund's figures. Every use case that writes to a fund calls
// assertFundOpen inside its transaction, after taking the fund's lock, so a dissolution and an
// import or close of the same fund cannot interleave.

import type { AuditEvent, Store } from '../store/types.js';
import { TandemError } from './errors.js';

export const DISSOLVE_ACTION = 'fund.dissolve';

/** The audit event that dissolved the fund, if it has been dissolved. */
export async function dissolutionEvent(store: Store, fundId: string): Promise<AuditEvent | undefined> {
  const [event] = await store.listAudit({ fundId, action: DISSOLVE_ACTION, limit: 1 });
  return event;
}

/** Refuse with FUND_DISSOLVED once the fund is dissolved; `what` names what was refused ("the close of 2025-26 M07"). */
export async function assertFundOpen(store: Store, fundId: string, what = 'the change'): Promise<void> {
  const event = await dissolutionEvent(store, fundId);
  if (event === undefined) return;
  throw new TandemError(
    'FUND_DISSOLVED',
    `fund ${fundId} was dissolved at ${String(event.details.date)} (${typeof event.details.decision === 'number' ? `decision ${event.details.decision}, ` : ''}recorded ${event.at} by ${event.actor}, audit event ${event.id}), so ${what} is refused: its records are final; nothing was written`,
  );
}
