// The first schema. Everything hangs off a fund: funds → agreement_versions, batches →
// batch_periods, lines, line_totals; audit_events carry fund_id (null for events not tied to one).
//
// lines is the one big table and is built for insert speed (measured with 1M lines of ~150-byte
// raw JSON in one transaction):
// - its only index is the primary key (batch_id, line_no), which every line query uses;
// - no index on line_id: with unordered ids it made SQLite inserts ~3x slower. findLiveLineIds
//   scans the ledger's live batches instead; only append-mode imports call it;
// - no foreign key to batches: it made PostgreSQL COPY ~2.8x slower (SQLite ~5-15%);
//   insertLines checks the batch exists once per transaction instead;
// - no CHECK on status: it cost SQLite ~20%; insertLines checks each status in code.
// SQLite tables are STRICT (free, measured) so a fractional or text value can never land in a
// pence column.
// PostgreSQL text keys use COLLATE "C" so ordering is bytewise, as in SQLite.

import type { Migration } from './migration.js';

const STATUSES = `('mapped', 'out_of_scope', 'unmapped')`;

const sqlite = `
CREATE TABLE funds (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL
) STRICT;

CREATE TABLE agreement_versions (
  fund_id TEXT NOT NULL REFERENCES funds (id),
  version INTEGER NOT NULL CHECK (version >= 1),
  fund_name TEXT NOT NULL,
  loaded_at TEXT NOT NULL,
  loaded_by TEXT NOT NULL,
  source_file TEXT NOT NULL,
  source_sha256 TEXT NOT NULL,
  source_text TEXT NOT NULL,
  model_json TEXT NOT NULL,
  PRIMARY KEY (fund_id, version)
) STRICT;

CREATE TABLE batches (
  id INTEGER PRIMARY KEY,
  fund_id TEXT NOT NULL,
  ledger_id TEXT NOT NULL,
  file_name TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  file_bytes INTEGER NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('replace', 'append')),
  agreement_version INTEGER NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  line_count INTEGER NOT NULL,
  control_total_pence INTEGER NOT NULL,
  header_json TEXT NOT NULL,
  UNIQUE (fund_id, ledger_id, file_sha256),
  FOREIGN KEY (fund_id, agreement_version) REFERENCES agreement_versions (fund_id, version)
) STRICT;

CREATE TABLE batch_periods (
  batch_id INTEGER NOT NULL REFERENCES batches (id),
  period INTEGER NOT NULL,
  superseded_by INTEGER REFERENCES batches (id),
  PRIMARY KEY (batch_id, period),
  CHECK (superseded_by IS NULL OR superseded_by <> batch_id)
) STRICT;

CREATE TABLE lines (
  batch_id INTEGER NOT NULL,
  line_no INTEGER NOT NULL,
  period INTEGER NOT NULL,
  amount_pence INTEGER NOT NULL,
  status TEXT NOT NULL,
  scheme_id TEXT,
  rule_index INTEGER,
  line_id TEXT,
  codes TEXT NOT NULL,
  raw TEXT NOT NULL,
  PRIMARY KEY (batch_id, line_no)
) STRICT;

CREATE TABLE line_totals (
  batch_id INTEGER NOT NULL REFERENCES batches (id),
  period INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ${STATUSES}),
  scheme_id TEXT,
  codes TEXT NOT NULL,
  line_count INTEGER NOT NULL,
  amount_pence INTEGER NOT NULL
) STRICT;
CREATE INDEX line_totals_batch_period ON line_totals (batch_id, period);

CREATE TABLE audit_events (
  id INTEGER PRIMARY KEY,
  fund_id TEXT,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  subject TEXT,
  details TEXT NOT NULL,
  input_sha256 TEXT,
  at TEXT NOT NULL,
  prev_hash TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL UNIQUE
) STRICT;
CREATE INDEX audit_events_fund ON audit_events (fund_id, id);
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit_events is append-only'); END;
`;

const KEY = 'TEXT COLLATE "C"';

const postgres = `
CREATE TABLE funds (
  id ${KEY} PRIMARY KEY,
  name TEXT NOT NULL
);

CREATE TABLE agreement_versions (
  fund_id ${KEY} NOT NULL REFERENCES funds (id),
  version INTEGER NOT NULL CHECK (version >= 1),
  fund_name TEXT NOT NULL,
  loaded_at TEXT NOT NULL,
  loaded_by TEXT NOT NULL,
  source_file TEXT NOT NULL,
  source_sha256 TEXT NOT NULL,
  source_text TEXT NOT NULL,
  model_json TEXT NOT NULL,
  PRIMARY KEY (fund_id, version)
);

CREATE TABLE batches (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  fund_id ${KEY} NOT NULL,
  ledger_id ${KEY} NOT NULL,
  file_name TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  file_bytes BIGINT NOT NULL,
  mode TEXT NOT NULL CHECK (mode IN ('replace', 'append')),
  agreement_version INTEGER NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  line_count INTEGER NOT NULL,
  control_total_pence BIGINT NOT NULL,
  header_json TEXT NOT NULL,
  UNIQUE (fund_id, ledger_id, file_sha256),
  FOREIGN KEY (fund_id, agreement_version) REFERENCES agreement_versions (fund_id, version)
);

CREATE TABLE batch_periods (
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  period INTEGER NOT NULL,
  superseded_by BIGINT REFERENCES batches (id),
  PRIMARY KEY (batch_id, period),
  CHECK (superseded_by IS NULL OR superseded_by <> batch_id)
);

CREATE TABLE lines (
  batch_id BIGINT NOT NULL,
  line_no INTEGER NOT NULL,
  period INTEGER NOT NULL,
  amount_pence BIGINT NOT NULL,
  status ${KEY} NOT NULL,
  scheme_id ${KEY},
  rule_index INTEGER,
  line_id ${KEY},
  codes ${KEY} NOT NULL,
  raw TEXT NOT NULL,
  PRIMARY KEY (batch_id, line_no)
);

CREATE TABLE line_totals (
  batch_id BIGINT NOT NULL REFERENCES batches (id),
  period INTEGER NOT NULL,
  status ${KEY} NOT NULL CHECK (status IN ${STATUSES}),
  scheme_id ${KEY},
  codes ${KEY} NOT NULL,
  line_count INTEGER NOT NULL,
  amount_pence BIGINT NOT NULL
);
CREATE INDEX line_totals_batch_period ON line_totals (batch_id, period);

CREATE TABLE audit_events (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  fund_id ${KEY},
  actor TEXT NOT NULL,
  action ${KEY} NOT NULL,
  subject TEXT,
  details TEXT NOT NULL,
  input_sha256 TEXT,
  at TEXT NOT NULL,
  prev_hash TEXT NOT NULL UNIQUE,
  hash TEXT NOT NULL UNIQUE
);
CREATE INDEX audit_events_fund ON audit_events (fund_id, id);
CREATE FUNCTION audit_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_events is append-only';
END;
$$;
CREATE TRIGGER audit_events_no_change BEFORE UPDATE OR DELETE ON audit_events
  FOR EACH ROW EXECUTE FUNCTION audit_events_append_only();
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON audit_events
  FOR EACH STATEMENT EXECUTE FUNCTION audit_events_append_only();
`;

export const initial: Migration = { number: 1, name: 'initial', sql: { sqlite, postgres } };
