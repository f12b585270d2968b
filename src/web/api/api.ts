// The JSON API (issue 6 §2): everything under /api/v1, described by an OpenAPI 3.1 document at
// /api/openapi.json generated from the same zod schemas that validate the requests. It calls
// the same use cases as the CLI, as the calling user (docs/api.md).
//
// Mount it with `apiRoutes(app)` after the dependencies and security headers and BEFORE the web
// app's session/CSRF middleware: the API answers every /api/* request itself (a JSON 404 for
// unknown paths), so the page middleware never runs for it. The API authenticates on its own
// (src/web/api/auth.ts): Bearer tokens need no CSRF token, cookie sessions do.

import { OpenAPIHono } from '@hono/zod-openapi';
import type { Hono } from 'hono';
import type { WebEnv } from '../env.js';
import { authenticate, type ApiEnv } from './auth.js';
import { ApiError, apiErrorResponse, validationHook } from './errors.js';
import { fundRoutes } from './routes-fund.js';
import { ledgerRoutes } from './routes-ledger.js';
import { DEFAULT_MAX_UPLOAD_BYTES } from './upload.js';

export interface ApiOptions {
  /** Largest accepted upload (ledger extract or forecasts), in bytes. */
  maxUploadBytes?: number;
}

export const OPENAPI_PATH = '/api/openapi.json';

const DESCRIPTION = `The Tandem JSON API: the same operations as the CLI, as the calling user.

Authenticate with an API token (\`tandem token create\`) as \`Authorization: Bearer tandem_…\`; it acts as its user (same role and partner). A browser may use its session cookie instead, and must then send the session's CSRF token as \`X-CSRF-Token\` on every POST or PUT.

Amounts are integer pence. Periods in paths are \`2025-26-M03\` or \`2025-06\`. Every error is \`{ "error": { "code", "message", "problems" } }\` with a stable code (docs/errors.md).`;

export function createApi(options: ApiOptions = {}): OpenAPIHono<ApiEnv> {
  const api = new OpenAPIHono<ApiEnv>({ defaultHook: validationHook }).basePath('/api');
  api.onError(apiErrorResponse);
  api.openAPIRegistry.registerComponent('securitySchemes', 'apiToken', {
    type: 'http',
    scheme: 'bearer',
    description: 'An API token from `tandem token create` (tandem_…), acting as its user',
  });
  api.openAPIRegistry.registerComponent('securitySchemes', 'sessionCookie', {
    type: 'apiKey',
    in: 'cookie',
    name: 'tandem_session',
    description: "The browser's session after signing in; POST and PUT must also send the X-CSRF-Token header",
  });
  api.doc31('/openapi.json', { openapi: '3.1.0', info: { title: 'Tandem API', version: '1.0.0', description: DESCRIPTION } });

  api.use('/v1/*', authenticate());
  fundRoutes(api);
  ledgerRoutes(api, { maxUploadBytes: options.maxUploadBytes ?? DEFAULT_MAX_UPLOAD_BYTES });
  api.all('*', (c) => {
    throw new ApiError('NOT_FOUND', `no API route ${c.req.method} ${c.req.path}; the routes are listed in ${OPENAPI_PATH}`);
  });
  return api;
}

/** Mounts the API on the web app (see the header for where). */
export function apiRoutes(app: Hono<WebEnv>, options: ApiOptions = {}): void {
  app.route('/', createApi(options));
}
