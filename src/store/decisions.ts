// Decisions and their events (migration 0007): both append-only; a decision's status is read
// from its events by the app (src/app/decisions.ts).

import type { DecisionEventRecord, DecisionRecord, DecisionTypeName, DecisionWithEvents } from './decision-types.js';
import type { Driver, SqlRow } from './driver.js';
import { int, intOrNull, text, textOrNull } from './row.js';

const DECISION = 'id, fund_id, type, title, change_json, effective_from, base_version, proposed_at, proposed_by';
const EVENT = 'id, decision_id, fund_id, action, route, held_on, text, detail_json, agreement_version, at, actor';

export function insertDecision(db: Driver, record: Omit<DecisionRecord, 'id'>): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.run(`INSERT INTO decisions (${DECISION.slice(4)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, [
      record.fundId,
      record.type,
      record.title,
      record.changeJson,
      record.effectiveFrom,
      record.baseVersion,
      record.proposedAt,
      record.proposedBy,
    ]);
    const row = await tx.get('SELECT MAX(id) AS id FROM decisions WHERE fund_id = ?', [record.fundId]);
    return int(row ?? {}, 'id');
  });
}

export function appendDecisionEvent(db: Driver, event: Omit<DecisionEventRecord, 'id'>): Promise<number> {
  return db.transaction(async (tx) => {
    await tx.run(`INSERT INTO decision_events (${EVENT.slice(4)}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, [
      event.decisionId,
      event.fundId,
      event.action,
      event.route,
      event.heldOn,
      event.text,
      event.detailJson,
      event.agreementVersion,
      event.at,
      event.actor,
    ]);
    const row = await tx.get('SELECT MAX(id) AS id FROM decision_events WHERE fund_id = ? AND decision_id = ?', [event.fundId, event.decisionId]);
    return int(row ?? {}, 'id');
  });
}

export async function getDecision(db: Driver, fundId: string, id: number): Promise<DecisionWithEvents | undefined> {
  const row = await db.get(`SELECT ${DECISION} FROM decisions WHERE fund_id = ? AND id = ?`, [fundId, id]);
  if (!row) return undefined;
  const events = await db.all(`SELECT ${EVENT} FROM decision_events WHERE fund_id = ? AND decision_id = ? ORDER BY id`, [fundId, id]);
  return { ...decisionFrom(row), events: events.map(eventFrom) };
}

export async function listDecisions(db: Driver, fundId: string): Promise<DecisionWithEvents[]> {
  const rows = await db.all(`SELECT ${DECISION} FROM decisions WHERE fund_id = ? ORDER BY id`, [fundId]);
  const events = (await db.all(`SELECT ${EVENT} FROM decision_events WHERE fund_id = ? ORDER BY decision_id, id`, [fundId])).map(eventFrom);
  return rows.map((row) => {
    const decision = decisionFrom(row);
    return { ...decision, events: events.filter((e) => e.decisionId === decision.id) };
  });
}

function decisionFrom(row: SqlRow): DecisionRecord {
  return {
    id: int(row, 'id'),
    fundId: text(row, 'fund_id'),
    type: text(row, 'type') as DecisionTypeName,
    title: text(row, 'title'),
    changeJson: text(row, 'change_json'),
    effectiveFrom: int(row, 'effective_from'),
    baseVersion: int(row, 'base_version'),
    proposedAt: text(row, 'proposed_at'),
    proposedBy: text(row, 'proposed_by'),
  };
}

function eventFrom(row: SqlRow): DecisionEventRecord {
  const route = textOrNull(row, 'route');
  return {
    id: int(row, 'id'),
    decisionId: int(row, 'decision_id'),
    fundId: text(row, 'fund_id'),
    action: text(row, 'action') as DecisionEventRecord['action'],
    route: route === 'meeting' || route === 'delegated' ? route : null,
    heldOn: textOrNull(row, 'held_on'),
    text: textOrNull(row, 'text'),
    detailJson: text(row, 'detail_json'),
    agreementVersion: intOrNull(row, 'agreement_version'),
    at: text(row, 'at'),
    actor: text(row, 'actor'),
  };
}
