// Headless Chromium for the report (PDF printing, and the tests that look at the page): the
// distribution's Chromium (Debian package `chromium`) driven by playwright-core, which downloads
// no browser of its own. TANDEM_CHROMIUM names another Chromium or Chrome executable. A missing
// browser is a TandemError saying how to install one. Pages opened here are offline: every
// request other than data: and about: is aborted and recorded, so a caller can fail on it.

import { accessSync, constants } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TandemError } from '../app/errors.js';
import { invariant } from '../domain/money.js';

export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'];

export function chromiumPath(): string {
  return process.env.TANDEM_CHROMIUM ?? '/usr/bin/chromium';
}

function missing(executablePath: string, detail: string): TandemError {
  return new TandemError(
    'CHROMIUM_MISSING',
    `Chromium is needed to print the report as PDF, but ${executablePath} ${detail}. ` +
      'Install it with `sudo apt-get install -y chromium` (Debian/Ubuntu), ' +
      'or set TANDEM_CHROMIUM to the path of a Chromium or Google Chrome executable.',
  );
}

/** Launch headless Chromium, or throw CHROMIUM_MISSING if there is no usable executable. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = chromiumPath();
  try {
    accessSync(executablePath, constants.X_OK);
  } catch {
    throw missing(executablePath, 'does not exist or is not executable');
  }
  try {
    return await chromium.launch({ executablePath, args: CHROMIUM_ARGS });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    if (/ENOENT|EACCES/.test(message)) throw missing(executablePath, `could not be started (${message.split('\n')[0] ?? ''})`);
    throw error;
  }
}

export interface OfflinePage {
  page: Page;
  /** URLs the page tried to load and was refused, in order. */
  blocked: string[];
}

/** Fail (a bug: report pages are self-contained) if the page has tried to load anything. */
export function assertNoRequests(blocked: readonly string[]): void {
  invariant(blocked.length === 0, `the report page tried to load ${blocked.length} resource(s), which were blocked: ${blocked.slice(0, 5).join(', ')}`);
}

/**
 * Run `fn` with a fresh page in a fresh browser whose network is cut off, then close the browser
 * whatever happens. Fails if the page attempted any request.
 */
export async function withOfflinePage<T>(fn: (offline: OfflinePage) => Promise<T>): Promise<T> {
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ serviceWorkers: 'block' });
    const page = await context.newPage();
    const blocked: string[] = [];
    await page.route('**/*', async (route) => {
      const url = route.request().url();
      if (url.startsWith('data:') || url.startsWith('about:')) return route.continue();
      blocked.push(url);
      return route.abort('blockedbyclient');
    });
    const result = await fn({ page, blocked });
    assertNoRequests(blocked);
    return result;
  } finally {
    await browser.close();
  }
}
