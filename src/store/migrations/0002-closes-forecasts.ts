// Month-end close (issue 4): immutable close snapshots, the close/reopen history of each period
// (a period is locked while its latest event is a close), and the scheme leads' forecasts.
//
// closes and period_events are append-only, enforced by triggers as for audit_events: a close is
// a snapshot that reports read from, and closing again stores the next version.
// forecast_batches are identified by the file's SHA-256 (importing one twice stores nothing); the
// lead's forecast for a scheme and period is the one from the latest batch that gives one.

import type { Migration } from './migration.js';

const sqlite = `
CREATE TABLE closes (
  id INTEGER PRIMARY KEY,
  fund_id TEXT NOT NULL REFERENCES funds (id),
  period INTEGER NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  agreement_version INTEGER NOT NULL,
  closed_at TEXT NOT NULL,
  closed_by TEXT NOT NULL,
  document_json TEXT NOT NULL,
  document_sha256 TEXT NOT NULL,
  UNIQUE (fund_id, period, version),
  FOREIGN KEY (fund_id, agreement_version) REFERENCES agreement_versions (fund_id, version)
) STRICT;
CREATE TRIGGER closes_no_update BEFORE UPDATE ON closes BEGIN SELECT RAISE(ABORT, 'closes are immutable'); END;
CREATE TRIGGER closes_no_delete BEFORE DELETE ON closes BEGIN SELECT RAISE(ABORT, 'closes are immutable'); END;

CREATE TABLE period_events (
  id INTEGER PRIMARY KEY,
  fund_id TEXT NOT NULL REFERENCES funds (id),
  period INTEGER NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('close', 'reopen')),
  close_id INTEGER REFERENCES closes (id),
  reason TEXT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  CHECK ((action = 'close') = (close_id IS NOT NULL))
) STRICT;
CREATE INDEX period_events_fund_period ON period_events (fund_id, period, id);
CREATE TRIGGER period_events_no_update BEFORE UPDATE ON period_events BEGIN SELECT RAISE(ABORT, 'period_events is append-only'); END;
CREATE TRIGGER period_events_no_delete BEFORE DELETE ON period_events BEGIN SELECT RAISE(ABORT, 'period_events is append-only'); END;

CREATE TABLE forecast_batches (
  id INTEGER PRIMARY KEY,
  fund_id TEXT NOT NULL REFERENCES funds (id),
  file_name TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  agreement_version INTEGER NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  line_count INTEGER NOT NULL,
  UNIQUE (fund_id, file_sha256)
) STRICT;

CREATE TABLE forecasts (
  batch_id INTEGER NOT NULL REFERENCES forecast_batches (id),
  line_no INTEGER NOT NULL,
  scheme_id TEXT NOT NULL,
  period INTEGER NOT NULL,
  amount_pence INTEGER NOT NULL,
  note TEXT,
  PRIMARY KEY (batch_id, line_no)
) STRICT;
CREATE INDEX forecasts_period ON forecasts (period, scheme_id);
`;

const KEY = 'TEXT COLLATE "C"';

const postgres = `
CREATE TABLE closes (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  fund_id ${KEY} NOT NULL REFERENCES funds (id),
  period INTEGER NOT NULL,
  version INTEGER NOT NULL CHECK (version >= 1),
  agreement_version INTEGER NOT NULL,
  closed_at TEXT NOT NULL,
  closed_by TEXT NOT NULL,
  document_json TEXT NOT NULL,
  document_sha256 TEXT NOT NULL,
  UNIQUE (fund_id, period, version),
  FOREIGN KEY (fund_id, agreement_version) REFERENCES agreement_versions (fund_id, version)
);

CREATE TABLE period_events (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  fund_id ${KEY} NOT NULL REFERENCES funds (id),
  period INTEGER NOT NULL,
  action ${KEY} NOT NULL CHECK (action IN ('close', 'reopen')),
  close_id BIGINT REFERENCES closes (id),
  reason TEXT,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  CHECK ((action = 'close') = (close_id IS NOT NULL))
);
CREATE INDEX period_events_fund_period ON period_events (fund_id, period, id);

CREATE FUNCTION tandem_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is append-only', TG_TABLE_NAME;
END;
$$;
CREATE TRIGGER closes_no_change BEFORE UPDATE OR DELETE ON closes
  FOR EACH ROW EXECUTE FUNCTION tandem_append_only();
CREATE TRIGGER closes_no_truncate BEFORE TRUNCATE ON closes
  FOR EACH STATEMENT EXECUTE FUNCTION tandem_append_only();
CREATE TRIGGER period_events_no_change BEFORE UPDATE OR DELETE ON period_events
  FOR EACH ROW EXECUTE FUNCTION tandem_append_only();
CREATE TRIGGER period_events_no_truncate BEFORE TRUNCATE ON period_events
  FOR EACH STATEMENT EXECUTE FUNCTION tandem_append_only();

CREATE TABLE forecast_batches (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  fund_id ${KEY} NOT NULL REFERENCES funds (id),
  file_name TEXT NOT NULL,
  file_sha256 TEXT NOT NULL,
  agreement_version INTEGER NOT NULL,
  imported_at TEXT NOT NULL,
  imported_by TEXT NOT NULL,
  line_count INTEGER NOT NULL,
  UNIQUE (fund_id, file_sha256)
);

CREATE TABLE forecasts (
  batch_id BIGINT NOT NULL REFERENCES forecast_batches (id),
  line_no INTEGER NOT NULL,
  scheme_id ${KEY} NOT NULL,
  period INTEGER NOT NULL,
  amount_pence BIGINT NOT NULL,
  note TEXT,
  PRIMARY KEY (batch_id, line_no)
);
CREATE INDEX forecasts_period ON forecasts (period, scheme_id);
`;

export const closesForecasts: Migration = { number: 2, name: 'closes-forecasts', sql: { sqlite, postgres } };
