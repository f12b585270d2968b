// Users, sessions, API tokens and sign-in attempts (migration 0005). Secrets never reach this
// module: sessions and tokens arrive as SHA-256 hashes, passwords as argon2id hashes.

import { invariant } from '../domain/money.js';
import { isRole } from '../domain/access.js';
import type { Driver, SqlRow, SqlValue } from './driver.js';
import { int, text, textOrNull } from './row.js';
import type { ApiTokenRecord, NewUser, SessionRecord, SignInAttempt, UserRecord } from './types.js';

const USER_SUMMARY = 'id, email, fund_id, partner_id, role, created_at, created_by, disabled_at';
const SESSION_COLUMNS = 'id, user_id, created_at, expires_at, last_seen_at, csrf_token_hash';
const TOKEN_SUMMARY = 'id, name, user_id, created_at, expires_at, revoked_at';

function userSummaryFrom(row: SqlRow): Omit<UserRecord, 'passwordHash'> {
  const role = text(row, 'role');
  invariant(isRole(role), `users.role holds "${role}", which is not a role`);
  return {
    id: int(row, 'id'),
    email: text(row, 'email'),
    fundId: textOrNull(row, 'fund_id'),
    partnerId: textOrNull(row, 'partner_id'),
    role,
    createdAt: text(row, 'created_at'),
    createdBy: text(row, 'created_by'),
    disabledAt: textOrNull(row, 'disabled_at'),
  };
}

function userFrom(row: SqlRow): UserRecord {
  return { ...userSummaryFrom(row), passwordHash: text(row, 'password_hash') };
}

export async function insertUser(db: Driver, user: NewUser): Promise<number> {
  invariant(user.email === user.email.toLowerCase(), 'user emails are stored lowercase');
  const row = await db.get(
    `INSERT INTO users (email, fund_id, partner_id, role, password_hash, created_at, created_by)
     VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id`,
    [user.email, user.fundId, user.partnerId, user.role, user.passwordHash, user.createdAt, user.createdBy],
  );
  return int(row ?? {}, 'id');
}

export async function getUserByEmail(db: Driver, email: string): Promise<UserRecord | undefined> {
  const row = await db.get(`SELECT ${USER_SUMMARY}, password_hash FROM users WHERE email = ?`, [email]);
  return row ? userFrom(row) : undefined;
}

export async function getUserById(db: Driver, id: number): Promise<UserRecord | undefined> {
  const row = await db.get(`SELECT ${USER_SUMMARY}, password_hash FROM users WHERE id = ?`, [id]);
  return row ? userFrom(row) : undefined;
}

export async function listUsers(db: Driver): Promise<Omit<UserRecord, 'passwordHash'>[]> {
  return (await db.all(`SELECT ${USER_SUMMARY} FROM users ORDER BY email`)).map(userSummaryFrom);
}

export async function insertSession(db: Driver, session: SessionRecord): Promise<void> {
  await db.run(`INSERT INTO sessions (${SESSION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?)`, [
    session.id,
    session.userId,
    session.createdAt,
    session.expiresAt,
    session.lastSeenAt,
    session.csrfTokenHash,
  ]);
}

export async function getSession(db: Driver, idHash: string): Promise<SessionRecord | undefined> {
  const row = await db.get(`SELECT ${SESSION_COLUMNS} FROM sessions WHERE id = ?`, [idHash]);
  if (!row) return undefined;
  return {
    id: text(row, 'id'),
    userId: int(row, 'user_id'),
    createdAt: text(row, 'created_at'),
    expiresAt: text(row, 'expires_at'),
    lastSeenAt: text(row, 'last_seen_at'),
    csrfTokenHash: text(row, 'csrf_token_hash'),
  };
}

export async function touchSession(db: Driver, idHash: string, at: string): Promise<void> {
  await db.run('UPDATE sessions SET last_seen_at = ? WHERE id = ?', [at, idHash]);
}

export async function deleteSession(db: Driver, idHash: string): Promise<boolean> {
  return (await db.run('DELETE FROM sessions WHERE id = ?', [idHash])) > 0;
}

export function deleteExpiredSessions(db: Driver, nowIso: string): Promise<number> {
  return db.run('DELETE FROM sessions WHERE expires_at <= ?', [nowIso]);
}

function tokenSummaryFrom(row: SqlRow): Omit<ApiTokenRecord, 'tokenHash'> {
  return {
    id: int(row, 'id'),
    name: text(row, 'name'),
    userId: int(row, 'user_id'),
    createdAt: text(row, 'created_at'),
    expiresAt: text(row, 'expires_at'),
    revokedAt: textOrNull(row, 'revoked_at'),
  };
}

export async function insertApiToken(db: Driver, token: Omit<ApiTokenRecord, 'id' | 'revokedAt'>): Promise<number> {
  const row = await db.get('INSERT INTO api_tokens (name, token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?) RETURNING id', [
    token.name,
    token.tokenHash,
    token.userId,
    token.createdAt,
    token.expiresAt,
  ]);
  return int(row ?? {}, 'id');
}

export async function getApiTokenByHash(db: Driver, tokenHash: string): Promise<ApiTokenRecord | undefined> {
  const row = await db.get(`SELECT ${TOKEN_SUMMARY}, token_hash FROM api_tokens WHERE token_hash = ?`, [tokenHash]);
  return row ? { ...tokenSummaryFrom(row), tokenHash: text(row, 'token_hash') } : undefined;
}

export async function revokeApiToken(db: Driver, id: number, at: string): Promise<boolean> {
  return (await db.run('UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL', [at, id])) > 0;
}

export async function listApiTokens(db: Driver, userId?: number): Promise<Omit<ApiTokenRecord, 'tokenHash'>[]> {
  const rows =
    userId === undefined
      ? await db.all(`SELECT ${TOKEN_SUMMARY} FROM api_tokens ORDER BY id`)
      : await db.all(`SELECT ${TOKEN_SUMMARY} FROM api_tokens WHERE user_id = ? ORDER BY id`, [userId]);
  return rows.map(tokenSummaryFrom);
}

export async function recordSignInAttempt(db: Driver, attempt: SignInAttempt): Promise<void> {
  await db.run('INSERT INTO sign_in_attempts (email, ip, at, ok) VALUES (?, ?, ?, ?)', [attempt.email, attempt.ip, attempt.at, attempt.ok ? 1 : 0]);
}

export async function countFailedSignIns(db: Driver, email: string, ip: string, sinceIso: string): Promise<{ email: number; ip: number }> {
  const count = async (column: 'email' | 'ip', value: SqlValue) =>
    int((await db.get(`SELECT COUNT(*) AS n FROM sign_in_attempts WHERE ${column} = ? AND ok = 0 AND at >= ?`, [value, sinceIso])) ?? {}, 'n');
  return { email: await count('email', email), ip: await count('ip', ip) };
}

/**
 * Deletes attempts made before `beforeIso`. The rate limit reads one window back, so older rows
 * are dead weight; without this the table would grow by every attempt ever made. No index leads
 * with `at`, so this scans the table: callers run it rarely (src/app/users.ts).
 */
export function deleteSignInAttemptsBefore(db: Driver, beforeIso: string): Promise<number> {
  return db.run('DELETE FROM sign_in_attempts WHERE at < ?', [beforeIso]);
}
