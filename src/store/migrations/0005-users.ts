// Users, sessions, API tokens and sign-in attempts (issue 6: the security foundation of the web
// app, used by the CLI first). See docs/decisions/0009-users-and-access.md.
//
// - users: email is stored lowercase (the app normalises it) and is unique; a user other than
//   an admin belongs to a partner of a fund (partner ids mean something only within a fund, so
//   fund_id is set exactly when partner_id is). password_hash is an argon2id PHC string.
// - sessions: the id is the SHA-256 (hex) of the session token, never the token itself, so a
//   copy of the database lets no one sign in as anyone. csrf_token_hash likewise.
// - api_tokens: token_hash is the SHA-256 (hex) of the token; a token acts as its user.
// - sign_in_attempts: every attempt with its outcome, read by the rate limit (by email and by IP
//   over a window), so they carry their own indexes.
// Times are ISO-8601 UTC text, as everywhere else, so they compare as text.

import type { Migration } from './migration.js';

const ROLES = `('viewer', 'finance', 'approver', 'admin')`;

const sqlite = `
CREATE TABLE users (
  id INTEGER PRIMARY KEY,
  email TEXT NOT NULL UNIQUE,
  fund_id TEXT REFERENCES funds (id),
  partner_id TEXT,
  role TEXT NOT NULL CHECK (role IN ${ROLES}),
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  disabled_at TEXT,
  CHECK (partner_id IS NOT NULL OR role = 'admin'),
  CHECK ((partner_id IS NULL) = (fund_id IS NULL))
) STRICT;

CREATE TABLE sessions (
  id TEXT PRIMARY KEY,
  user_id INTEGER NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL,
  csrf_token_hash TEXT NOT NULL
) STRICT;
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash TEXT NOT NULL UNIQUE,
  user_id INTEGER NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT
) STRICT;
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE sign_in_attempts (
  email TEXT NOT NULL,
  ip TEXT NOT NULL,
  at TEXT NOT NULL,
  ok INTEGER NOT NULL CHECK (ok IN (0, 1))
) STRICT;
CREATE INDEX sign_in_attempts_email ON sign_in_attempts (email, at);
CREATE INDEX sign_in_attempts_ip ON sign_in_attempts (ip, at);
`;

const KEY = 'TEXT COLLATE "C"';

const postgres = `
CREATE TABLE users (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  email ${KEY} NOT NULL UNIQUE,
  fund_id ${KEY} REFERENCES funds (id),
  partner_id ${KEY},
  role ${KEY} NOT NULL CHECK (role IN ${ROLES}),
  password_hash TEXT NOT NULL,
  created_at TEXT NOT NULL,
  created_by TEXT NOT NULL,
  disabled_at TEXT,
  CHECK (partner_id IS NOT NULL OR role = 'admin'),
  CHECK ((partner_id IS NULL) = (fund_id IS NULL))
);

CREATE TABLE sessions (
  id ${KEY} PRIMARY KEY,
  user_id BIGINT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  expires_at ${KEY} NOT NULL,
  last_seen_at TEXT NOT NULL,
  csrf_token_hash TEXT NOT NULL
);
CREATE INDEX sessions_expires ON sessions (expires_at);
CREATE INDEX sessions_user ON sessions (user_id);

CREATE TABLE api_tokens (
  id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  name TEXT NOT NULL,
  token_hash ${KEY} NOT NULL UNIQUE,
  user_id BIGINT NOT NULL REFERENCES users (id),
  created_at TEXT NOT NULL,
  expires_at TEXT NOT NULL,
  revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE sign_in_attempts (
  email ${KEY} NOT NULL,
  ip ${KEY} NOT NULL,
  at ${KEY} NOT NULL,
  ok SMALLINT NOT NULL CHECK (ok IN (0, 1))
);
CREATE INDEX sign_in_attempts_email ON sign_in_attempts (email, at);
CREATE INDEX sign_in_attempts_ip ON sign_in_attempts (ip, at);
`;

export const users: Migration = { number: 5, name: 'users', sql: { sqlite, postgres } };
