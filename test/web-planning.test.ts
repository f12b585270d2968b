// The Planning pages in process (Hono's app.request), on the Sheffield example with its ledgers,
// contract register, activity, outcomes and metrics loaded and M01–M03 closed: the contracts page
// shows the figures of docs/contracts.md (and of `tandem contracts`), the metrics page each
// month's plan, actual and RAG as a word; a scenario upload (and a comparison) shows the same
// projection as `tandem scenario run` and downloads as XLSX; a bad scenario lists every problem
// with line and column (400, never a 500); the example links accept only names listed from the
// server's folder; names from a file are escaped.

import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, it } from 'vitest';
import { loadAgreement } from '../src/app/agreements.js';
import { closePeriod } from '../src/app/close.js';
import type { AppContext } from '../src/app/context.js';
import { contractsReport } from '../src/app/contract-report.js';
import { loadContracts } from '../src/app/contracts.js';
import { importBatch } from '../src/app/import-batch.js';
import { importMeasures } from '../src/app/measure-import.js';
import { runScenario } from '../src/app/scenario-run.js';
import { addUser } from '../src/app/users.js';
import { exampleExtracts } from '../src/cli/commands/demo.js';
import { formatPounds, formatThousands } from '../src/domain/money.js';
import { periodKey } from '../src/domain/period.js';
import { createWebApp } from '../src/web/app.js';
import { describeEachStore } from './support/stores.js';

const EXAMPLE = 'examples/sheffield';
const SCENARIOS = join(EXAMPLE, 'scenarios');
const PASSWORD = 'correct horse battery';
const money = (p: number) => formatPounds(p, { symbol: true });
const stripTags = (s: string) => s.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ').trim();
/** The text of each cell of the `<tr>` whose opening tag has `marker`. */
function rowCells(text: string, marker: string): string[] {
  const start = text.indexOf(`<tr class="govuk-table__row" ${marker}`);
  if (start < 0) throw new Error(`no row ${marker}`);
  const row = text.slice(start, text.indexOf('</tr>', start));
  return [...row.matchAll(/<t[hd]\b[^>]*>(.*?)<\/t[hd]>/gs)].map((m) => stripTags(m[1]!));
}

const BAD = `scenario: {id: bad, name: Bad}
years: ["2025-26", "2024-25"]
agreement: ../agreement.yaml
price_inflation_percent: lots
shift:
  from: [nel]
  to: {pkw: 40, asr: 50}
`;

describeEachStore('web planning pages', (current) => {
  let tick = 0;
  const ctx = (): AppContext => ({ store: current().store, actor: 'admin', now: () => new Date(Date.UTC(2025, 6, 8, 9, 0, tick++)) });

  async function signedIn(scenariosDir?: string) {
    await loadAgreement(ctx(), join(EXAMPLE, 'agreement.yaml'));
    for (const e of exampleExtracts(EXAMPLE)) await importBatch(ctx(), { ledgerId: e.ledgerId, path: e.path });
    await loadContracts(ctx(), { path: join(EXAMPLE, 'contracts.yaml') });
    for (const kind of ['activity', 'outcomes', 'metrics'] as const) await importMeasures(ctx(), kind, { path: join(EXAMPLE, `${kind}/2025-26-Q1.csv`) });
    for (const month of [1, 2, 3]) await closePeriod(ctx(), { period: periodKey(2025, month), allowUnmapped: true });
    await addUser(ctx(), { email: 'viewer@scc.example', partner: 'scc', role: 'viewer', password: PASSWORD });
    const app = createWebApp({ store: current().store, now: () => new Date('2025-07-09T10:00:00Z'), secureCookies: false, scenariosDir });
    const res = await app.request('/sign-in', { method: 'POST', body: new URLSearchParams({ email: 'viewer@scc.example', password: PASSWORD }) });
    const cookie = res.headers.get('Set-Cookie')!.split(';')[0]!;
    const home = await (await app.request('/', { headers: { Cookie: cookie } })).text();
    const csrf = /name="_csrf" value="([^"]+)"/.exec(home)![1]!;
    const get = (path: string) => app.request(path, { headers: { Cookie: cookie } });
    const upload = (files: Record<string, { name: string; text: string | Uint8Array<ArrayBuffer> }>, as = 'page') => {
      const body = new FormData();
      body.append('_csrf', csrf);
      body.append('as', as);
      for (const [field, f] of Object.entries(files)) body.append(field, new File([f.text], f.name));
      return app.request('/planning/scenarios', { method: 'POST', headers: { Cookie: cookie }, body });
    };
    return { app, home, get, upload };
  }

  it('links Planning from the navigation to its hub, and shows the contracts and metrics of the latest closed month', async () => {
    const { home, get } = await signedIn();
    expect(home).toContain('<a class="govuk-service-navigation__link" href="/planning">Planning</a>');
    const hub = await (await get('/planning')).text();
    for (const href of ['/planning/scenarios', '/planning/contracts', '/planning/metrics']) expect(hub).toContain(`href="${href}"`);

    const res = await get('/planning/contracts');
    expect(res.status).toBe(200);
    const page = await res.text();
    expect(page).toContain('<option value="2025-26-M03" selected>2025-26 M03</option>');
    // docs/contracts.md: `tandem contracts --period "2025-26 M03"` on the Sheffield example.
    expect(rowCells(page, 'data-contract="intermediate-care"').slice(1)).toEqual(['Block', money(3_000_000_000), '', money(750_000_000), money(743_750_000), money(-6_250_000)]);
    expect(rowCells(page, 'data-contract="step-down-beds"').slice(1)).toEqual(['Cost and volume', money(432_000_000), '5,385 units', money(107_700_000), money(111_000_000), money(3_300_000)]);
    expect(rowCells(page, 'data-contract="community-equipment"').slice(3)).toEqual(['47,120 units', money(212_040_000), money(212_105_000), money(65_000)]);
    expect(rowCells(page, 'data-contract="carers-support"').slice(3)).toEqual(['650 outcomes', money(28_500_000), money(28_950_000), money(450_000)]);
    const m02 = await (await get('/planning/contracts?period=2025-26-M02')).text();
    const cli = (await contractsReport(ctx(), { period: periodKey(2025, 2) })).contracts.find((c) => c.id === 'step-down-beds')!;
    expect(rowCells(m02, 'data-contract="step-down-beds"').slice(3)).toEqual(['3,625 units', money(cli.dueYtdPence), money(cli.spendYtdPence), money(cli.spendMinusDuePence)]);
    for (const bad of ['..%2F..%2Fetc', '2025-26-M13', '<script>']) expect((await get(`/planning/contracts?period=${bad}`)).status).toBe(400);

    const metrics = await (await get('/planning/metrics')).text();
    const nel = metrics.slice(metrics.indexOf('data-metric="nel-admissions"'));
    expect(rowCells(nel, 'data-period="2025-26 M01"')).toEqual(['2025-26 M01', '5,450', '5,380', '-70', 'Green']);
    expect(rowCells(nel, 'data-period="2025-26 M02"')).toEqual(['2025-26 M02', '5,450', '5,610', '160', 'Amber']);
    expect(rowCells(nel, 'data-period="2025-26 M03"')).toEqual(['2025-26 M03', '5,450', '5,790', '340', 'Red']);
    expect(nel).toContain('<strong class="govuk-tag govuk-tag--red">Red</strong>');
  });

  it('projects an uploaded scenario and a comparison as the CLI does, downloads it as XLSX, and keeps nothing', async () => {
    const { upload } = await signedIn();
    const file = (name: string) => ({ name, text: readFileSync(join(SCENARIOS, name), 'utf8') });
    const res = await upload({ file: file('shift-to-prevention.yaml'), compare: file('do-nothing.yaml') });
    expect(res.status).toBe(200);
    const page = await res.text();
    // The uploaded files name ../agreement.yaml: the fund's agreement in force is used, which is that file.
    const cli = await runScenario({ file: join(SCENARIOS, 'shift-to-prevention.yaml'), compare: join(SCENARIOS, 'do-nothing.yaml'), formats: [], generatedAt: '2025-07-09T10:00:00Z' });
    expect(page).toContain('Side by side: Shift to prevention and Do nothing');
    const gaps = rowCells(page.slice(page.indexOf('id="scenario-shift-to-prevention"')), 'data-fund-row="gapPence"').slice(1);
    expect(gaps).toEqual(cli.scenarios[0]!.years.map((y) => formatThousands(y.fund.gapPence)));
    const scc = rowCells(page.slice(page.indexOf('id="scenario-do-nothing"')), 'data-gap-share="scc"').slice(1);
    expect(scc).toEqual(cli.scenarios[1]!.years.map((y) => money(y.partners.find((p) => p.partner === 'scc')!.gapSharePence)));

    const xlsx = await upload({ file: file('shift-to-prevention.yaml') }, 'xlsx');
    expect(xlsx.status).toBe(200);
    expect(xlsx.headers.get('Content-Type')).toBe('application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    expect(xlsx.headers.get('Content-Disposition')).toBe('attachment; filename="scenario-shift-to-prevention.xlsx"');
    expect([...new Uint8Array(await xlsx.arrayBuffer()).slice(0, 4)]).toEqual([0x50, 0x4b, 0x03, 0x04]);
  });

  it('shows every problem of a bad scenario with line and column (400), and refuses other files plainly', async () => {
    const { upload } = await signedIn();
    const res = await upload({ file: { name: 'bad.yaml', text: BAD } });
    expect(res.status).toBe(400);
    const page = await res.text();
    const problems = [...page.matchAll(/data-problem="([A-Z0-9_]+)" data-line="(\d*)" data-column="(\d*)"/g)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
    // The shape is checked first: the inflation is not a number, and the shift lacks its amounts and savings.
    expect(problems).toEqual([['SCHEMA_TYPE', 4, 1], ['SCHEMA_REQUIRED', 5, 1], ['SCHEMA_REQUIRED', 5, 1]]);
    expect(page).toContain('line 4, column 1');
    expect(page).toContain('The scenario bad.yaml has 3 problems; nothing was projected');

    const text = readFileSync(join(SCENARIOS, 'shift-to-prevention.yaml'), 'utf8');
    const meaning = await upload({ file: { name: 'meaning.yaml', text: text.replace('to: {pkw: 40, asr: 60}', 'to: {pkw: 40, asr: 50}') } });
    expect(meaning.status).toBe(400);
    const found = [...(await meaning.text()).matchAll(/data-problem="([A-Z0-9_]+)" data-line="(\d+)" data-column="(\d+)"/g)].map((m) => [m[1], Number(m[2]), Number(m[3])]);
    expect(found).toEqual([['SHIFT_PERCENT_NOT_100', 42, 3]]);
    const syntax = await upload({ file: { name: 'broken.yml', text: 'scenario: {id: x\nyears: [' } });
    expect(syntax.status).toBe(400);
    expect(await syntax.text()).toMatch(/data-problem="YAML_SYNTAX" data-line="\d+" data-column="\d+"/);
    expect((await upload({ file: { name: 'notes.txt', text: 'scenario: {}' } })).status).toBe(415);
    expect((await upload({ file: { name: 'big.yaml', text: `# ${'x'.repeat(1024 * 1024)}\n` } })).status).toBe(413);
    expect((await upload({ file: { name: 'huge.yaml', text: 'x'.repeat(2 * 1024 * 1024 + 100 * 1024) } })).status).toBe(413);
    expect((await upload({ file: { name: 'latin1.yaml', text: new Uint8Array([0x73, 0xe9, 0x0a]) } })).status).toBe(400);
    expect((await upload({})).status).toBe(400);
  });

  it('escapes the names a scenario file supplies', async () => {
    const { upload } = await signedIn();
    const text = readFileSync(join(SCENARIOS, 'do-nothing.yaml'), 'utf8').replace(/name: Do nothing/, 'name: "<script>alert(1)</script> & co"');
    const page = await (await upload({ file: { name: '<img src=x>.yaml', text } })).text();
    expect(page).not.toMatch(/<script>alert|<img src=x>/);
    expect(page).toContain('&lt;script&gt;alert(1)&lt;/script&gt; &amp; co');
  });

  it('runs the examples of the server’s folder by name only: no traversal, and none without --scenarios', async () => {
    const { get } = await signedIn(SCENARIOS);
    const list = await (await get('/planning/scenarios')).text();
    expect(list).toContain('href="/planning/scenarios/examples/do-nothing.yaml"');
    expect(list).toContain('href="/planning/scenarios/examples/shift-to-prevention.yaml?compare=do-nothing.yaml"');
    const one = await get('/planning/scenarios/examples/do-nothing.yaml');
    expect(one.status).toBe(200);
    expect(await one.text()).toContain('id="scenario-do-nothing"');
    const both = await (await get('/planning/scenarios/examples/shift-to-prevention.yaml?compare=do-nothing.yaml')).text();
    expect(both).toContain('id="comparison"');
    const xlsx = await get('/planning/scenarios/examples/shift-to-prevention.yaml?compare=do-nothing.yaml&format=xlsx');
    expect(xlsx.headers.get('Content-Disposition')).toBe('attachment; filename="scenario-shift-to-prevention-vs-do-nothing.xlsx"');
    for (const path of [
      '/planning/scenarios/examples/..%2Fagreement.yaml',
      '/planning/scenarios/examples/%2E%2E%2Fcontracts.yaml',
      '/planning/scenarios/examples/..%5Cagreement.yaml',
      '/planning/scenarios/examples/agreement.yaml',
      '/planning/scenarios/examples/do-nothing.yaml?compare=..%2Fagreement.yaml',
      '/planning/scenarios/examples/do-nothing.yaml?compare=%2Fetc%2Fpasswd',
      '/planning/scenarios/examples/%2Fetc%2Fpasswd',
    ]) {
      const res = await get(path);
      expect(res.status, path).toBe(404);
      expect(await res.text()).not.toContain('agreement_version');
    }
  });

  it('offers no examples when the server has no scenarios folder', async () => {
    const { get } = await signedIn();
    expect(await (await get('/planning/scenarios')).text()).not.toContain('id="examples"');
    expect((await get('/planning/scenarios/examples/do-nothing.yaml')).status).toBe(404);
  });
});
