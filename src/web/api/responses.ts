// Pieces every route declaration shares: the error responses (all with the Error schema), the
// security requirement (an API token or the session cookie), and JSON bodies.

import type { z } from '@hono/zod-openapi';
import { ErrorSchema } from './schemas.js';

const WHY = {
  400: 'The request is not valid (every issue is listed in problems, with its path).',
  401: 'No credentials, or an API token that is unknown, revoked or expired.',
  403: "Not allowed: the access policy's reason is the message (or, for a session cookie, the CSRF token is missing).",
  404: 'Not found (code CLOSE_NOT_FOUND, LEDGER_UNKNOWN, SCHEME_UNKNOWN, …).',
  409: "The fund's state does not allow it (PERIOD_LOCKED, CLOSE_UNMAPPED, LATER_PERIOD_CLOSED, …).",
  413: 'The file is larger than the upload limit.',
  415: 'The body is not of an accepted Content-Type.',
  422: 'The input was rejected, with every problem (file, line, column); nothing was written.',
  429: "Too many failed sign-ins or API tokens from the client's address (RATE_LIMITED); wait Retry-After seconds.",
} as const;

type ErrorStatus = keyof typeof WHY;
type ErrorResponse = { description: string; content: { 'application/json': { schema: typeof ErrorSchema } } };

/** The error responses of a route; one that authenticates (401) can also be rate-limited (429). */
export function errors<S extends Exclude<ErrorStatus, 429>>(...statuses: S[]): Record<S | 429, ErrorResponse> {
  const out = {} as Record<S | 429, ErrorResponse>;
  const all: ErrorStatus[] = statuses.includes(401 as S) ? [...statuses, 429] : statuses;
  for (const s of all) out[s as S | 429] = { description: WHY[s], content: { 'application/json': { schema: ErrorSchema } } };
  return out;
}

export const SECURITY: Record<string, string[]>[] = [{ apiToken: [] }, { sessionCookie: [] }];

export function json<T extends z.ZodType>(schema: T, description: string) {
  return { description, content: { 'application/json': { schema } } };
}
