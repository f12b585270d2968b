// How the API fails: always `{ error: { code, message, problems } }` with a fitting HTTP status.
// Refusals of the API itself (no credentials, not allowed, too large, wrong type, a malformed
// request) are ApiErrors; bad input found by a use case is a TandemError, whose stable code
// (docs/errors.md) picks the status: 400 usage, 404 unknown, 409 state conflict, 422 rejected.

import type { Context } from 'hono';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import { TandemError, type Problem } from '../../app/errors.js';

export type ApiErrorCode =
  | 'UNAUTHENTICATED'
  | 'FORBIDDEN'
  | 'CSRF_FAILED'
  | 'REQUEST_INVALID'
  | 'NOT_FOUND'
  | 'UPLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'INTERNAL';

const API_STATUS: Record<ApiErrorCode, ContentfulStatusCode> = {
  UNAUTHENTICATED: 401,
  FORBIDDEN: 403,
  CSRF_FAILED: 403,
  REQUEST_INVALID: 400,
  NOT_FOUND: 404,
  UPLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  INTERNAL: 500,
};

/** A refusal by the API layer (before or around a use case). */
export class ApiError extends Error {
  readonly status: ContentfulStatusCode;
  constructor(
    readonly code: ApiErrorCode,
    message: string,
    readonly problems: Problem[] = [],
  ) {
    super(message);
    this.name = 'ApiError';
    this.status = API_STATUS[code];
  }
}

const NOT_FOUND = new Set(['CLOSE_NOT_FOUND', 'LEDGER_UNKNOWN', 'SCHEME_UNKNOWN', 'FUND_UNKNOWN', 'NO_AGREEMENT', 'AGREEMENT_VERSION_UNKNOWN', 'USER_UNKNOWN', 'TOKEN_UNKNOWN']);
const CONFLICT = new Set([
  'PERIOD_LOCKED',
  'PERIOD_NOT_CLOSED',
  'LATER_PERIOD_CLOSED',
  'EARLIER_PERIOD_OPEN',
  'CLOSE_NO_DATA',
  'CLOSE_UNMAPPED',
  'FILE_CHANGED',
  'USER_EXISTS',
  'TOKEN_REVOKED',
  'AGREEMENT_CHANGED',
]);
/** The stored data is not what Tandem wrote: a server fault, not the client's. */
const SERVER = new Set(['CLOSE_CORRUPT', 'INTERNAL']);

/** The HTTP status of a use case's TandemError. */
export function statusOfTandemError(error: TandemError): ContentfulStatusCode {
  if (SERVER.has(error.code)) return 500;
  if (NOT_FOUND.has(error.code)) return 404;
  if (CONFLICT.has(error.code)) return 409;
  if (error.exitCode === 2) return 400;
  return 422;
}

export function errorBody(code: string, message: string, problems: Problem[] = []) {
  return { error: { code, message, problems } };
}

const HTTP_CODES: Partial<Record<number, ApiErrorCode>> = { 400: 'REQUEST_INVALID', 401: 'UNAUTHENTICATED', 403: 'FORBIDDEN', 404: 'NOT_FOUND', 413: 'UPLOAD_TOO_LARGE', 415: 'UNSUPPORTED_MEDIA_TYPE' };

/** The API's onError: every failure as JSON; an unexpected one is logged and told apart as INTERNAL. */
export function apiErrorResponse(error: Error, c: Context): Response {
  if (error instanceof ApiError) {
    if (error.code === 'UNAUTHENTICATED') c.header('WWW-Authenticate', 'Bearer realm="tandem"');
    return c.json(errorBody(error.code, error.message, error.problems), error.status);
  }
  if (error instanceof TandemError) return c.json(errorBody(error.code, error.message, error.problems), statusOfTandemError(error));
  if (error instanceof HTTPException) {
    const status = error.status as ContentfulStatusCode;
    return c.json(errorBody(HTTP_CODES[status] ?? 'REQUEST_INVALID', error.message), status);
  }
  console.error(error);
  return c.json(errorBody('INTERNAL', 'an internal error: please report it (the server log has the details)'), 500);
}

/** zod's issues as problems naming where in the request each one is (`body.reason`, `query.ledger`). */
export function validationProblems(error: ZodError, target: string): Problem[] {
  return error.issues.map((issue) => ({
    code: 'REQUEST_INVALID',
    message: issue.message,
    path: [target === 'json' ? 'body' : target, ...issue.path.map(String)].join('.'),
  }));
}

/** The OpenAPIHono defaultHook: a request that fails its schema is a 400 listing every issue. */
export function validationHook(result: { success: true } | { success: false; error: ZodError; target?: string }, c: Context): Response | undefined {
  if (result.success) return undefined;
  const problems = validationProblems(result.error, result.target ?? 'request');
  const where = [...new Set(problems.map((p) => p.path))].join(', ');
  return c.json(errorBody('REQUEST_INVALID', `the request is not valid (${where}): ${problems.map((p) => p.message).join('; ')}`, problems), 400);
}

/** A TandemError about a temporary upload file, retold with the name the client gave it. */
export function renameFile(error: unknown, tempPath: string, name: string): unknown {
  if (!(error instanceof TandemError)) return error;
  const swap = (text: string) => text.split(tempPath).join(name);
  const problems = error.problems.map((p) => ({ ...p, message: swap(p.message), ...(p.file === tempPath ? { file: name } : {}) }));
  return new TandemError(error.code, swap(error.message), problems, error.exitCode);
}
