// Users, sign-in sessions and API tokens (issue 6): the security foundation the web app builds
// on, used by the CLI first. Passwords are hashed with argon2id; session and API tokens are
// random 32-byte values shown once and stored only as SHA-256 hashes; sign-in is rate limited
// per email and per IP. Every time comes from ctx.now(). See docs/decisions/0009-users-and-access.md.

import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { isRole, type Actor, type Role } from '../domain/access.js';
import type { Store, UserRecord } from '../store/types.js';
import { agreementInForce, resolveFund } from './agreements.js';
import { isoNow, type AppContext } from './context.js';
import { TandemError } from './errors.js';

/** OWASP's argon2id baseline (m = 19 MiB, t = 2, p = 1), 32-byte output; each hash carries its parameters. */
export const ARGON2_PARAMETERS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, hashLength: 32 } as const;

export const MIN_PASSWORD_CHARS = 12;
const MAX_PASSWORD_CHARS = 1024;
export const SESSION_HOURS = 8;
export const SIGN_IN_WINDOW_MINUTES = 15;
export const MAX_FAILURES_PER_EMAIL = 5;
export const MAX_FAILURES_PER_IP = 20;
export const MAX_TOKEN_DAYS = 366;
const API_TOKEN_PREFIX = 'tandem_';
const TOKEN_BYTES = 32;
const TOKEN_TEXT = /^[A-Za-z0-9_-]{43}$/; // 32 bytes as base64url, no padding
const EMAIL = /^[^\s@]+@[^\s@.]+(\.[^\s@.]+)+$/;

export interface UserSummary {
  id: number;
  email: string;
  role: Role;
  partner: string | null;
  fund: string | null;
  createdAt: string;
  createdBy: string;
  disabledAt: string | null;
}

function summary(user: Omit<UserRecord, 'passwordHash'>): UserSummary {
  return { id: user.id, email: user.email, role: user.role, partner: user.partnerId, fund: user.fundId, createdAt: user.createdAt, createdBy: user.createdBy, disabledAt: user.disabledAt };
}

function actorOf(user: UserRecord): Actor {
  return { userId: user.id, role: user.role, partner: user.partnerId };
}

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value, 'utf8').digest('hex');
}

function newToken(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

/** The session's CSRF token, derived from the session token so a page can be rendered with it on any request. */
function csrfTokenFor(sessionToken: string): string {
  return createHmac('sha256', sessionToken).update('tandem csrf v1').digest('base64url');
}

function addMinutes(at: Date, minutes: number): string {
  return new Date(at.getTime() + minutes * 60_000).toISOString();
}

export function normaliseEmail(email: string): string {
  return email.trim().toLowerCase();
}

async function hashPassword(password: string): Promise<string> {
  const argon2 = await import('argon2');
  return argon2.hash(password, { type: argon2.argon2id, ...ARGON2_PARAMETERS });
}

async function verifyPassword(hash: string, password: string): Promise<boolean> {
  const argon2 = await import('argon2');
  try {
    return await argon2.verify(hash, password);
  } catch {
    return false; // a malformed stored hash never signs anyone in
  }
}

let dummyHash: Promise<string> | undefined;

/** A hash of a random password, so an unknown email costs the same work as a known one. */
function dummyPasswordHash(): Promise<string> {
  dummyHash ??= hashPassword(randomBytes(TOKEN_BYTES).toString('hex'));
  return dummyHash;
}

export interface AddUserRequest {
  email: string;
  role: string;
  /** Required unless the role is admin. */
  partner?: string | null;
  password: string;
  fundId?: string;
}

export async function addUser(ctx: AppContext, request: AddUserRequest): Promise<UserSummary> {
  const email = normaliseEmail(request.email);
  if (email.length > 254 || !EMAIL.test(email)) throw new TandemError('EMAIL_INVALID', `"${request.email}" is not an email address`);
  const role = request.role;
  if (!isRole(role)) throw new TandemError('ROLE_UNKNOWN', `"${role}" is not a role (viewer, finance, approver or admin)`);
  const chars = [...request.password].length;
  if (chars < MIN_PASSWORD_CHARS) throw new TandemError('PASSWORD_INVALID', `the password has ${chars} characters; it needs at least ${MIN_PASSWORD_CHARS}`);
  if (chars > MAX_PASSWORD_CHARS) throw new TandemError('PASSWORD_INVALID', `the password has ${chars} characters; at most ${MAX_PASSWORD_CHARS} are accepted`);
  const partner = request.partner === undefined || request.partner === null || request.partner === '' ? null : request.partner;
  if (partner === null && role !== 'admin') throw new TandemError('PARTNER_REQUIRED', `a ${role} acts for a partner: give one with --partner (only an admin may have none)`);
  let fundId: string | null = null;
  if (partner !== null) {
    fundId = await resolveFund(ctx, request.fundId);
    const { agreement } = await agreementInForce(ctx, fundId);
    if (!agreement.partners.some((p) => p.id === partner)) {
      throw new TandemError('PARTNER_UNKNOWN', `"${partner}" is not a partner of fund ${fundId} (${agreement.partners.map((p) => p.id).join(', ')})`);
    }
  }
  if (await ctx.store.getUserByEmail(email)) throw new TandemError('USER_EXISTS', `a user ${email} already exists`);
  const passwordHash = await hashPassword(request.password); // outside the transaction: it is the slow part
  return ctx.store.transaction(async (tx) => {
    if (await tx.getUserByEmail(email)) throw new TandemError('USER_EXISTS', `a user ${email} already exists`);
    const at = isoNow(ctx);
    const id = await tx.insertUser({ email, fundId, partnerId: partner, role, passwordHash, createdAt: at, createdBy: ctx.actor });
    await tx.appendAudit({ fundId, actor: ctx.actor, action: 'user.add', subject: `user:${id}`, details: { email, role, partner, fund: fundId }, inputSha256: null, at });
    return { id, email, role, partner, fund: fundId, createdAt: at, createdBy: ctx.actor, disabledAt: null };
  });
}

export async function listUsers(ctx: AppContext): Promise<UserSummary[]> {
  return (await ctx.store.listUsers()).map(summary);
}

export interface SignedIn {
  /** The session token for the cookie: returned here once, stored only as its SHA-256. */
  token: string;
  csrfToken: string;
  expiresAt: string;
  user: UserSummary;
}

/**
 * Sign in with email and password from `ip`. Refused with SIGN_IN_LIMITED after too many
 * failures in the window (per email or per IP), SIGN_IN_FAILED for a wrong email or password
 * or a disabled user (one message for all, so the answer does not reveal which emails exist).
 */
export async function signIn(ctx: AppContext, request: { email: string; password: string; ip: string }): Promise<SignedIn> {
  const email = normaliseEmail(request.email);
  const now = ctx.now();
  const failures = await ctx.store.countFailedSignIns(email, request.ip, addMinutes(now, -SIGN_IN_WINDOW_MINUTES));
  if (failures.email >= MAX_FAILURES_PER_EMAIL || failures.ip >= MAX_FAILURES_PER_IP) {
    throw new TandemError('SIGN_IN_LIMITED', `too many failed sign-ins: try again in ${SIGN_IN_WINDOW_MINUTES} minutes`);
  }
  const user = await ctx.store.getUserByEmail(email);
  const verified = await verifyPassword(user?.passwordHash ?? (await dummyPasswordHash()), request.password);
  const ok = verified && user !== undefined && user.disabledAt === null;
  const at = now.toISOString();
  if (!ok || !user) {
    await ctx.store.recordSignInAttempt({ email, ip: request.ip, at, ok: false });
    await pruneSignInAttempts(ctx);
    throw new TandemError('SIGN_IN_FAILED', 'the email or password is wrong');
  }
  const token = newToken();
  const csrfToken = csrfTokenFor(token);
  const expiresAt = addMinutes(now, SESSION_HOURS * 60);
  await ctx.store.transaction(async (tx) => {
    await tx.recordSignInAttempt({ email, ip: request.ip, at, ok: true });
    await tx.deleteExpiredSessions(at);
    await tx.insertSession({ id: sha256Hex(token), userId: user.id, createdAt: at, expiresAt, lastSeenAt: at, csrfTokenHash: sha256Hex(csrfToken) });
  });
  await pruneSignInAttempts(ctx);
  return { token, csrfToken, expiresAt, user: summary(user) };
}

/** When each store last pruned its sign-in attempts (ms on ctx.now()'s clock). */
const lastPruned = new WeakMap<Store, number>();

/**
 * Deletes sign-in attempts older than the rate limit's window (nothing reads them again), so
 * the table holds about two windows of attempts, not every attempt ever made. Called wherever
 * an attempt is recorded (sign-in, and failed API tokens in src/web/api/auth.ts), but it runs
 * at most once a window per store: the DELETE scans the table, and under a spray of failures
 * from many addresses, scanning on every failure would cost the square of the attempts.
 * Returns how many rows went (0 when skipped).
 */
export async function pruneSignInAttempts(ctx: AppContext): Promise<number> {
  const now = ctx.now().getTime();
  const last = lastPruned.get(ctx.store);
  if (last !== undefined && now >= last && now - last < SIGN_IN_WINDOW_MINUTES * 60_000) return 0;
  lastPruned.set(ctx.store, now);
  return ctx.store.deleteSignInAttemptsBefore(addMinutes(new Date(now), -SIGN_IN_WINDOW_MINUTES));
}

export interface SessionInfo {
  actor: Actor;
  user: UserSummary;
  expiresAt: string;
  /** For forms: every state-changing request must send it back (see csrfMatches). */
  csrfToken: string;
}

/** The signed-in user of a session token; null when unknown, expired, or the user is disabled. */
export async function sessionFor(ctx: AppContext, token: string): Promise<SessionInfo | null> {
  if (!TOKEN_TEXT.test(token)) return null;
  const id = sha256Hex(token);
  const session = await ctx.store.getSession(id);
  if (!session) return null;
  const at = isoNow(ctx);
  if (session.expiresAt <= at) {
    await ctx.store.deleteSession(id);
    return null;
  }
  const csrfToken = csrfTokenFor(token);
  if (!sameHash(session.csrfTokenHash, sha256Hex(csrfToken))) return null;
  const user = await ctx.store.getUserById(session.userId);
  if (!user || user.disabledAt !== null) return null;
  // At most once a minute: a write on every page view would queue behind any import on SQLite.
  if (Date.parse(session.lastSeenAt) <= Date.parse(at) - 60_000) await ctx.store.touchSession(id, at);
  return { actor: actorOf(user), user: summary(user), expiresAt: session.expiresAt, csrfToken };
}

/** Whether a submitted CSRF token is the session's (compared in constant time). */
export function csrfMatches(session: SessionInfo, submitted: string | undefined): boolean {
  return submitted !== undefined && sameHash(sha256Hex(session.csrfToken), sha256Hex(submitted));
}

function sameHash(a: string, b: string): boolean {
  return a.length === b.length && timingSafeEqual(Buffer.from(a), Buffer.from(b));
}

/** Ends the session; false when there was none. */
export async function signOut(ctx: AppContext, token: string): Promise<boolean> {
  if (!TOKEN_TEXT.test(token)) return false;
  return ctx.store.deleteSession(sha256Hex(token));
}

export interface CreatedApiToken {
  id: number;
  name: string;
  email: string;
  /** Shown once; only its SHA-256 is stored. */
  token: string;
  expiresAt: string;
}

export async function createApiToken(ctx: AppContext, request: { email: string; name: string; days?: number }): Promise<CreatedApiToken> {
  const email = normaliseEmail(request.email);
  const name = request.name.trim();
  const days = request.days ?? 90;
  if (name === '' || name.length > 100) throw new TandemError('USAGE', 'a token needs a name of 1 to 100 characters', [], 2);
  if (!Number.isSafeInteger(days) || days < 1 || days > MAX_TOKEN_DAYS) throw new TandemError('USAGE', `--days must be a whole number from 1 to ${MAX_TOKEN_DAYS}`, [], 2);
  const user = await ctx.store.getUserByEmail(email);
  if (!user) throw new TandemError('USER_UNKNOWN', `no user ${email}`);
  if (user.disabledAt !== null) throw new TandemError('USER_DISABLED', `the user ${email} is disabled`);
  const token = `${API_TOKEN_PREFIX}${newToken()}`;
  return ctx.store.transaction(async (tx) => {
    const now = ctx.now();
    const at = now.toISOString();
    const expiresAt = addMinutes(now, days * 24 * 60);
    const id = await tx.insertApiToken({ name, tokenHash: sha256Hex(token), userId: user.id, createdAt: at, expiresAt });
    await tx.appendAudit({ fundId: user.fundId, actor: ctx.actor, action: 'token.create', subject: `token:${id}`, details: { user: email, name, expiresAt }, inputSha256: null, at });
    return { id, name, email, token, expiresAt };
  });
}

/** Who an API token acts as; null when unknown, revoked, expired, or its user is disabled. */
export async function actorForApiToken(ctx: AppContext, token: string): Promise<Actor | null> {
  if (!token.startsWith(API_TOKEN_PREFIX) || !TOKEN_TEXT.test(token.slice(API_TOKEN_PREFIX.length))) return null;
  const record = await ctx.store.getApiTokenByHash(sha256Hex(token));
  if (!record || record.revokedAt !== null || record.expiresAt <= isoNow(ctx)) return null;
  const user = await ctx.store.getUserById(record.userId);
  if (!user || user.disabledAt !== null) return null;
  return actorOf(user);
}

export async function revokeApiToken(ctx: AppContext, id: number): Promise<{ id: number; name: string; email: string; revokedAt: string }> {
  return ctx.store.transaction(async (tx) => {
    const record = (await tx.listApiTokens()).find((t) => t.id === id);
    if (!record) throw new TandemError('TOKEN_UNKNOWN', `no API token ${id}`);
    if (record.revokedAt !== null) throw new TandemError('TOKEN_REVOKED', `API token ${id} was already revoked at ${record.revokedAt}`);
    const user = await tx.getUserById(record.userId);
    const at = isoNow(ctx);
    await tx.revokeApiToken(id, at);
    const email = user?.email ?? `user:${record.userId}`;
    await tx.appendAudit({ fundId: user?.fundId ?? null, actor: ctx.actor, action: 'token.revoke', subject: `token:${id}`, details: { user: email, name: record.name }, inputSha256: null, at });
    return { id, name: record.name, email, revokedAt: at };
  });
}

export async function listApiTokens(ctx: AppContext) {
  const emails = new Map((await ctx.store.listUsers()).map((u) => [u.id, u.email]));
  const at = isoNow(ctx);
  return (await ctx.store.listApiTokens()).map((t) => ({
    id: t.id,
    name: t.name,
    email: emails.get(t.userId) ?? `user:${t.userId}`,
    createdAt: t.createdAt,
    expiresAt: t.expiresAt,
    revokedAt: t.revokedAt,
    status: t.revokedAt !== null ? 'revoked' : t.expiresAt <= at ? 'expired' : 'active',
  }));
}
