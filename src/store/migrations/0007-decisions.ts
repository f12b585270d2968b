// Committee and delegated decisions (issue 9 §1, docs/governance.md).
//
// - decisions: what was proposed — its type, the change as JSON (src/domain/decisions.ts), the
//   period it takes effect from, and the agreement version it was proposed against.
// - decision_events: what happened to it since — each approval (one per approver on the
//   delegated route; one per meeting, with its votes), a rejection, and the moment it took effect
//   (with the agreement version that made). A decision's status is read from its events.
// Both are append-only (triggers, as for closes): a decision is never edited, only followed by
// events; and a decision can end only once — the partial unique index refuses a second
// rejection or effect, so two approvers racing cannot both make it take effect.
// A `dissolution` decision makes no agreement version: its `effective` event names none, and the
// audit event `fund.dissolve` holds the statement (docs/dissolution.md). The type is in the CHECK
// lists here rather than in a migration of its own because this migration had not shipped yet
// when dissolution became a decision: no database was ever made with the shorter lists.
// agreement_versions gains effective_from (the first period the version is in force; NULL for
// versions loaded from a file, in force from the start) and decision_id (the decision that made it).

import type { Migration } from './migration.js';

const sqlite = `
ALTER TABLE agreement_versions ADD COLUMN effective_from INTEGER;
ALTER TABLE agreement_versions ADD COLUMN decision_id INTEGER;

CREATE TABLE decisions (
  id INTEGER PRIMARY KEY,
  fund_id TEXT NOT NULL REFERENCES funds (id),
  type TEXT NOT NULL CHECK (type IN ('virement', 'budget_variation', 'risk_share_change', 'agreement_variation', 'dissolution')),
  title TEXT NOT NULL,
  change_json TEXT NOT NULL,
  effective_from INTEGER NOT NULL,
  base_version INTEGER NOT NULL,
  proposed_at TEXT NOT NULL,
  proposed_by TEXT NOT NULL
) STRICT;
CREATE INDEX decisions_fund ON decisions (fund_id, id);
CREATE TRIGGER decisions_no_update BEFORE UPDATE ON decisions BEGIN SELECT RAISE(ABORT, 'decisions is append-only'); END;
CREATE TRIGGER decisions_no_delete BEFORE DELETE ON decisions BEGIN SELECT RAISE(ABORT, 'decisions is append-only'); END;

CREATE TABLE decision_events (
  id INTEGER PRIMARY KEY,
  decision_id INTEGER NOT NULL REFERENCES decisions (id),
  fund_id TEXT NOT NULL REFERENCES funds (id),
  action TEXT NOT NULL CHECK (action IN ('approve', 'reject', 'effective')),
  route TEXT CHECK (route IN ('meeting', 'delegated')),
  held_on TEXT,
  text TEXT,
  detail_json TEXT NOT NULL,
  agreement_version INTEGER,
  at TEXT NOT NULL,
  actor TEXT NOT NULL
) STRICT;
CREATE INDEX decision_events_fund ON decision_events (fund_id, decision_id, id);
CREATE UNIQUE INDEX decision_events_one_end ON decision_events (decision_id) WHERE action IN ('reject', 'effective');
CREATE TRIGGER decision_events_no_update BEFORE UPDATE ON decision_events BEGIN SELECT RAISE(ABORT, 'decision_events is append-only'); END;
CREATE TRIGGER decision_events_no_delete BEFORE DELETE ON decision_events BEGIN SELECT RAISE(ABORT, 'decision_events is append-only'); END;
`;

const KEY = 'TEXT COLLATE "C"';

const postgres = `
ALTER TABLE agreement_versions ADD COLUMN effective_from INTEGER, ADD COLUMN decision_id BIGINT;

CREATE TABLE decisions (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  fund_id ${KEY} NOT NULL REFERENCES funds (id),
  type ${KEY} NOT NULL CHECK (type IN ('virement', 'budget_variation', 'risk_share_change', 'agreement_variation', 'dissolution')),
  title TEXT NOT NULL,
  change_json TEXT NOT NULL,
  effective_from INTEGER NOT NULL,
  base_version INTEGER NOT NULL,
  proposed_at TEXT NOT NULL,
  proposed_by TEXT NOT NULL
);
CREATE INDEX decisions_fund ON decisions (fund_id, id);
CREATE TRIGGER decisions_no_change BEFORE UPDATE OR DELETE ON decisions
  FOR EACH ROW EXECUTE FUNCTION tandem_append_only();

CREATE TABLE decision_events (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  decision_id BIGINT NOT NULL REFERENCES decisions (id),
  fund_id ${KEY} NOT NULL REFERENCES funds (id),
  action ${KEY} NOT NULL CHECK (action IN ('approve', 'reject', 'effective')),
  route ${KEY} CHECK (route IN ('meeting', 'delegated')),
  held_on TEXT,
  text TEXT,
  detail_json TEXT NOT NULL,
  agreement_version INTEGER,
  at TEXT NOT NULL,
  actor TEXT NOT NULL
);
CREATE INDEX decision_events_fund ON decision_events (fund_id, decision_id, id);
CREATE UNIQUE INDEX decision_events_one_end ON decision_events (decision_id) WHERE action IN ('reject', 'effective');
CREATE TRIGGER decision_events_no_change BEFORE UPDATE OR DELETE ON decision_events
  FOR EACH ROW EXECUTE FUNCTION tandem_append_only();
`;

export const decisions: Migration = { number: 7, name: 'decisions', sql: { sqlite, postgres } };
