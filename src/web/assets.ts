// Static assets: GOV.UK Frontend's compiled CSS, JS, fonts and images straight from the npm
// package, plus Tandem's own small stylesheet and module initialiser. Only files named here (or
// under the package's assets folder, checked to stay inside it) are served: no path traversal.

import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { Hono } from 'hono';
import { TANDEM_JS } from './client-script.js';
import type { WebEnv } from './env.js';

const require = createRequire(import.meta.url);
const GOVUK = path.join(path.dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk');

const TYPES: Record<string, string> = { '.css': 'text/css; charset=utf-8', '.js': 'text/javascript; charset=utf-8', '.mjs': 'text/javascript; charset=utf-8', '.woff2': 'font/woff2', '.woff': 'font/woff', '.png': 'image/png', '.svg': 'image/svg+xml', '.ico': 'image/x-icon' };

const TANDEM_CSS = `
.tandem-header-title { display: inline-block; padding: 10px 0; color: #fff; font-weight: 700; font-size: 1.5rem; text-decoration: none; }
.tandem-header-title:hover, .tandem-header-title:focus { text-decoration: underline; }
.tandem-sign-out { margin-left: auto; display: flex; align-items: center; gap: 10px; padding: 6px 0; }
.tandem-sign-out .govuk-body-s { margin: 0; }
.tandem-num { text-align: right; font-variant-numeric: tabular-nums; }
.tandem-rag { font-weight: 700; padding: 2px 6px; }
.tandem-rag--red { background: #d4351c; color: #fff; }
.tandem-rag--amber { background: #ffdd00; color: #0b0c0c; }
.tandem-rag--green { background: #00703c; color: #fff; }
.tandem-chart svg { max-width: 100%; height: auto; }
.tandem-table-scroll { overflow-x: auto; }
progress { width: 100%; max-width: 30em; height: 1.5em; margin-bottom: 15px; }
`;

// GOV.UK Frontend initialises nothing (it logs a SupportError) unless the body has the classes
// its template's inline <script> snippet adds; our CSP forbids inline scripts, so this module
// adds them (a browser running a module script is one the snippet would mark as supported).
const INIT_JS = `import { initAll } from '/assets/govuk-frontend.min.js';\nimport '/assets/tandem.js';\ndocument.body.classList.add('js-enabled', 'govuk-frontend-supported');\ninitAll();\n`;

export function serveAssets(app: Hono<WebEnv>): void {
  const cached = (type: string, body: string | Buffer) => new Response(typeof body === 'string' ? body : new Uint8Array(body), { headers: { 'Content-Type': type, 'Cache-Control': 'public, max-age=3600' } });
  app.get('/assets/tandem.css', () => cached(TYPES['.css']!, TANDEM_CSS));
  app.get('/assets/init.js', () => cached(TYPES['.js']!, INIT_JS));
  app.get('/assets/tandem.js', () => cached(TYPES['.js']!, TANDEM_JS));
  app.get('/assets/govuk-frontend.min.css', async () => cached(TYPES['.css']!, await readFile(path.join(GOVUK, 'govuk-frontend.min.css'))));
  app.get('/assets/govuk-frontend.min.js', async () => cached(TYPES['.js']!, await readFile(path.join(GOVUK, 'govuk-frontend.min.js'))));
  app.get('/favicon.ico', async () => cached(TYPES['.ico']!, await readFile(path.join(GOVUK, 'assets', 'images', 'favicon.ico'))));
  // The CSS refers to /assets/fonts/… and /assets/images/…: the package's assets folder.
  app.get('/assets/:dir{fonts|images|rebrand}/:file{.+}', async (c) => {
    const root = path.join(GOVUK, 'assets');
    const file = path.resolve(root, c.req.param('dir'), c.req.param('file'));
    const type = TYPES[path.extname(file)];
    if (!file.startsWith(root + path.sep) || !type) return c.notFound();
    try {
      return cached(type, await readFile(file));
    } catch {
      return c.notFound();
    }
  });
}
