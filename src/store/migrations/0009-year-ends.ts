// Year-ends (issue 9 §2, docs/year-end.md): one row per fund and financial year once the year is
// final — the M12 close version its settlement came from, the agreement version it made for the
// next year (NULL when the agreement has no next year), and the year-end document (settlement and
// carry-forward lines) with its SHA-256. The primary key makes a year final once; the table is
// append-only like closes, so a final year cannot be unmade behind Tandem's back.

import type { Migration } from './migration.js';

const sqlite = `
CREATE TABLE year_ends (
  fund_id TEXT NOT NULL REFERENCES funds (id),
  year INTEGER NOT NULL,
  close_version INTEGER NOT NULL,
  agreement_version INTEGER,
  document_json TEXT NOT NULL,
  document_sha256 TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  PRIMARY KEY (fund_id, year)
) STRICT;
CREATE TRIGGER year_ends_no_update BEFORE UPDATE ON year_ends BEGIN SELECT RAISE(ABORT, 'year_ends is append-only'); END;
CREATE TRIGGER year_ends_no_delete BEFORE DELETE ON year_ends BEGIN SELECT RAISE(ABORT, 'year_ends is append-only'); END;
`;

const postgres = `
CREATE TABLE year_ends (
  fund_id TEXT COLLATE "C" NOT NULL REFERENCES funds (id),
  year INTEGER NOT NULL,
  close_version INTEGER NOT NULL,
  agreement_version INTEGER,
  document_json TEXT NOT NULL,
  document_sha256 TEXT NOT NULL,
  at TEXT NOT NULL,
  actor TEXT NOT NULL,
  PRIMARY KEY (fund_id, year)
);
CREATE TRIGGER year_ends_no_change BEFORE UPDATE OR DELETE ON year_ends
  FOR EACH ROW EXECUTE FUNCTION tandem_append_only();
`;

export const yearEnds: Migration = { number: 9, name: 'year-ends', sql: { sqlite, postgres } };
