// Helpers for the browser end-to-end test (test/web-e2e.test.ts): the real web server on a free
// port over a fresh SQLite file with the tiny fund, and a watched Chromium context that records
// every request to another origin (and aborts it, so a missing CDN never slows the test down),
// every Content Security Policy violation and every uncaught script error; each page visited is
// screenshotted and checked with axe-core.

import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Browser, BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { loadAgreement } from '../../src/app/agreements.js';
import type { AppContext } from '../../src/app/context.js';
import { importBatch } from '../../src/app/import-batch.js';
import { addUser } from '../../src/app/users.js';
import type { Role } from '../../src/domain/access.js';
import { openStore } from '../../src/store/open.js';
import type { Store } from '../../src/store/types.js';
import { startWebServer } from '../../src/web/server.js';

export interface E2eUser {
  email: string;
  partner: string | null;
  role: Role;
  password: string;
}

export interface E2eServer {
  url: string;
  /** The directory holding the database file; scratch files may go here too. */
  dir: string;
  store: Store;
  stop(): Promise<void>;
}

/**
 * A fresh SQLite file in a temp directory with the agreement loaded, the given extracts imported
 * and the users added (all through the src/app use cases), served by the real `startWebServer`
 * on 127.0.0.1 and a free port.
 */
export async function startE2eServer(options: { agreement: string; imports: { ledgerId: string; path: string }[]; users: E2eUser[] }): Promise<E2eServer> {
  const dir = mkdtempSync(path.join(tmpdir(), 'tandem-web-e2e-'));
  const store = await openStore(path.join(dir, 'tandem.db'));
  const ctx: AppContext = { store, actor: 'e2e-setup', now: () => new Date() };
  await loadAgreement(ctx, options.agreement);
  for (const extract of options.imports) await importBatch(ctx, extract);
  for (const user of options.users) await addUser(ctx, { email: user.email, partner: user.partner, role: user.role, password: user.password });
  const server = await startWebServer({ store, port: 0, host: '127.0.0.1' });
  return {
    url: server.url,
    dir,
    store,
    stop: async () => {
      await server.close();
      await store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface Watched {
  context: BrowserContext;
  /** Requests to any origin but the app's (aborted): the app must work without a CDN. */
  foreign: string[];
  /** CSP violations reported on the console, and uncaught script errors, with the page's URL. */
  scriptProblems: string[];
}

/** A browser context that records (and aborts) requests to other origins and records script problems. */
export async function watchedContext(browser: Browser, origin: string, options: BrowserContextOptions = {}): Promise<Watched> {
  const context = await browser.newContext({ serviceWorkers: 'block', ...options });
  const watched: Watched = { context, foreign: [], scriptProblems: [] };
  await context.route('**/*', async (route) => {
    const url = route.request().url();
    if (url.startsWith(`${origin}/`) || url === origin || url.startsWith('data:') || url.startsWith('blob:') || url.startsWith('about:')) return route.continue();
    watched.foreign.push(url);
    return route.abort('blockedbyclient');
  });
  context.on('page', (page) => watchPage(page, watched));
  return watched;
}

function watchPage(page: Page, watched: Watched): void {
  page.on('pageerror', (error) => watched.scriptProblems.push(`${page.url()}: uncaught ${error.name}: ${error.message}`));
  page.on('console', (message) => {
    const text = message.text();
    // CSP refusals, and GOV.UK Frontend's own errors (it logs instead of throwing, e.g. a
    // SupportError when the body lacks the govuk-frontend-supported class, and then
    // initialises nothing).
    if (/Content Security Policy|GOV\.UK Frontend|SupportError|ElementError|ConfigError|InitError/.test(text)) watched.scriptProblems.push(`${page.url()}: console ${message.type()}: ${text.split('\n')[0]}`);
  });
}

const require = createRequire(import.meta.url);
const AXE_SOURCE = readFileSync(path.join(path.dirname(require.resolve('axe-core/package.json')), 'axe.min.js'), 'utf8');

interface AxeNode {
  target: unknown[];
}
interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: AxeNode[];
}

/**
 * axe-core's serious and critical violations on the page, one line each (id, help, first targets).
 *
 * axe is injected with page.evaluate, not page.addScriptTag: the app's CSP has no
 * 'unsafe-inline' for scripts, so an injected <script> element is refused, while code Playwright
 * evaluates through the DevTools protocol is not subject to the page's CSP. That way the contexts
 * need no `bypassCSP: true`, and the CSP stays enforced while the test drives the app, so an
 * inline script the app itself relied on would fail the test (see Watched.scriptProblems).
 */
export async function seriousViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(() => 'axe' in window);
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: unknown[] }> } }).axe;
    const results = await axe.run(document, { resultTypes: ['violations'] });
    return JSON.parse(JSON.stringify(results.violations)) as unknown;
  });
  return (violations as AxeViolation[])
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => {
      const targets = v.nodes.slice(0, 3).map((n) => n.target.map(String).join(' > '));
      const more = v.nodes.length > 3 ? ` and ${v.nodes.length - 3} more` : '';
      return `${v.id} (${v.impact}): ${v.help} — ${targets.join('; ')}${more} [${v.helpUrl}]`;
    });
}

/** Where screenshots go: test-artifacts/screenshots (git-ignored), emptied at the start of a run. */
export function screenshotFolder(root: string): string {
  const folder = path.join(root, 'test-artifacts', 'screenshots');
  rmSync(folder, { recursive: true, force: true });
  mkdirSync(folder, { recursive: true });
  return folder;
}
