// The web app: Hono routes around the same use cases as the CLI. Middleware order matters:
// dependencies, security headers, the session, then CSRF, then routes.

import { Hono } from 'hono';
import { TandemError } from '../app/errors.js';
import { html } from '../report/escape.js';
import { apiRoutes } from './api/api.js';
import { serveAssets } from './assets.js';
import type { WebDeps, WebEnv } from './env.js';
import { ImportJobs } from './import-jobs.js';
import { page } from './layout.js';
import { agreementRoutes } from './routes/agreement.js';
import { auditRoutes } from './routes/audit.js';
import { authRoutes } from './routes/auth.js';
import { closeRoutes } from './routes/close.js';
import { dashboardRoutes } from './routes/dashboard.js';
import { downloadRoutes } from './routes/downloads.js';
import { governanceRoutes } from './routes/governance.js';
import { importJobRoutes, importRoutes } from './routes/imports.js';
import { lineRoutes } from './routes/lines.js';
import { planningRoutes } from './routes/planning.js';
import { poolRoutes } from './routes/pools.js';
import { scenarioRoutes, scenarioUploadLimit } from './routes/scenarios.js';
import { suspenseRoutes } from './routes/suspense.js';
import { csrfProtection, loadSession, securityHeaders, withDeps } from './security.js';

export function createWebApp(deps: WebDeps): Hono<WebEnv> {
  const app = new Hono<WebEnv>();
  app.use('*', withDeps(deps), securityHeaders());
  serveAssets(app);
  apiRoutes(app, { maxUploadBytes: deps.maxUploadBytes }); // /api/*: before the page session/CSRF middleware, as it authenticates itself (src/web/api/api.ts)
  const jobs = new ImportJobs(deps.now);
  importJobRoutes(app, jobs); // the upload size limit, and job progress answered without the database (routes/imports.ts)
  scenarioUploadLimit(app); // before the session/CSRF middleware reads the body (routes/scenarios.ts)
  app.use('*', loadSession(), csrfProtection());
  authRoutes(app);
  dashboardRoutes(app);
  poolRoutes(app);
  lineRoutes(app);
  importRoutes(app, jobs);
  suspenseRoutes(app);
  downloadRoutes(app);
  closeRoutes(app);
  agreementRoutes(app);
  governanceRoutes(app);
  planningRoutes(app);
  scenarioRoutes(app);
  auditRoutes(app);
  app.notFound((c) => c.html(page({ title: 'Page not found', session: c.get('session') ?? null, body: html`<h1 class="govuk-heading-l">Page not found</h1>` }), 404));
  app.onError((error, c) => {
    const session = c.get('session') ?? null;
    if (error instanceof TandemError) {
      return c.html(page({ title: 'Problem', session, body: html`<h1 class="govuk-heading-l">There is a problem</h1><p class="govuk-body">${error.message}</p>` }), error.exitCode === 2 ? 400 : 422);
    }
    console.error(error);
    return c.html(page({ title: 'Error', session, body: html`<h1 class="govuk-heading-l">Sorry, there is a problem with the service</h1>` }), 500);
  });
  return app;
}
