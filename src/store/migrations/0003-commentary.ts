// Commentary per scheme and period for the monthly report (issue 5). Append-only: setting it
// again adds a row, and the report shows the latest; earlier wording stays for the audit trail.

import type { Migration } from './migration.js';

const sqlite = `
CREATE TABLE commentary (
  id INTEGER PRIMARY KEY,
  fund_id TEXT NOT NULL REFERENCES funds (id),
  scheme_id TEXT NOT NULL,
  period INTEGER NOT NULL,
  text TEXT NOT NULL,
  written_at TEXT NOT NULL,
  written_by TEXT NOT NULL
) STRICT;
CREATE INDEX commentary_period ON commentary (fund_id, period, scheme_id, id);
CREATE TRIGGER commentary_no_update BEFORE UPDATE ON commentary BEGIN SELECT RAISE(ABORT, 'commentary is append-only'); END;
CREATE TRIGGER commentary_no_delete BEFORE DELETE ON commentary BEGIN SELECT RAISE(ABORT, 'commentary is append-only'); END;
`;

const postgres = `
CREATE TABLE commentary (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  fund_id TEXT COLLATE "C" NOT NULL REFERENCES funds (id),
  scheme_id TEXT COLLATE "C" NOT NULL,
  period INTEGER NOT NULL,
  text TEXT NOT NULL,
  written_at TEXT NOT NULL,
  written_by TEXT NOT NULL
);
CREATE INDEX commentary_period ON commentary (fund_id, period, scheme_id, id);
CREATE TRIGGER commentary_no_change BEFORE UPDATE OR DELETE ON commentary
  FOR EACH ROW EXECUTE FUNCTION tandem_append_only();
`;

export const commentary: Migration = { number: 3, name: 'commentary', sql: { sqlite, postgres } };
