// Planning scenarios on the web (docs/scenarios.md): upload a scenario YAML — and optionally a
// second to compare — and see its projection, or download it as XLSX. A scenario is a plan: the
// file is read in memory, never stored, and nothing in the fund changes. An uploaded file has no
// folder, so it may not name an agreement file to read: `agreement:` in an upload means the
// fund's agreement in force (the server reads no path from an uploaded file).
//
// When the server was started with `--scenarios DIR`, the scenario files in that folder are
// offered as "run this example" links. A link names a file only by its name, and the name is
// looked up among the names listed from the folder — never joined onto a path as given — so
// `..%2F` and friends find nothing (404).

import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { bodyLimit } from 'hono/body-limit';
import type { Hono } from 'hono';
import { agreementInForce, resolveFund } from '../../app/agreements.js';
import { compareScenarios, type Comparison } from '../../domain/scenario-compare.js';
import { projectScenario } from '../../domain/scenario-project.js';
import { ScenarioError, type ScenarioProjection } from '../../domain/scenario.js';
import { html, type Html } from '../../report/escape.js';
import { renderScenarioXlsx } from '../../report/scenario-xlsx.js';
import { loadScenarioFile, parseScenario, type ScenarioLoad } from '../../scenario/load.js';
import { appContext, type WebContext, type WebEnv } from '../env.js';
import { requireAction } from '../guard.js';
import { page } from '../layout.js';
import { heading } from '../views/components.js';
import { problemsBody, projectionBody } from '../views/planning.js';
import { sendGenerated } from '../views/send-file.js';

/** The largest scenario file accepted: a scenario is a page or two of YAML. */
export const MAX_SCENARIO_BYTES = 1024 * 1024;
const FORM_BYTES = 2 * MAX_SCENARIO_BYTES + 64 * 1024;
const EXAMPLE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}\.ya?ml$/;
const UTF8 = new TextDecoder('utf-8', { fatal: true });

type Outcome = { ok: true; scenarios: ScenarioProjection[]; comparison: Comparison | null } | { ok: false; status: 400 | 413 | 415 | 422; body: Html };

function pageOf(c: WebContext, title: string, body: Html): string {
  return page({ title, session: c.get('session')!, current: '/planning', body: html`<a href="/planning/scenarios" class="govuk-back-link">Scenarios</a>${heading('Planning', title)}${body}` });
}

function refusal(status: 400 | 413 | 415 | 422, message: string): Outcome {
  return { ok: false, status, body: html`<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert"><h2 class="govuk-error-summary__title">There is a problem</h2><div class="govuk-error-summary__body"><p class="govuk-body">${message}</p></div></div></div>` };
}

/** Projects each loaded scenario and compares two; every failure is a page, never a 500. */
function project(loads: { name: string; load: ScenarioLoad }[]): Outcome {
  const scenarios: ScenarioProjection[] = [];
  for (const { name, load } of loads) {
    if (!load.ok) return { ok: false, status: 400, body: problemsBody(name, load.problems.map((p) => ({ ...p, file: path.basename(p.file) }))) };
    try {
      scenarios.push(projectScenario(load.scenario));
    } catch (error) {
      if (error instanceof ScenarioError) return refusal(422, `The scenario ${name} cannot be projected: ${error.message}`);
      throw error;
    }
  }
  return { ok: true, scenarios, comparison: scenarios.length === 2 ? compareScenarios(scenarios[0]!, scenarios[1]!) : null };
}

/** The example scenario names in the server's folder, sorted; [] without one or when it cannot be read. */
async function exampleNames(c: WebContext): Promise<string[]> {
  const dir = c.get('deps').scenariosDir;
  if (!dir) return [];
  try {
    return (await readdir(dir, { withFileTypes: true })).filter((e) => e.isFile() && EXAMPLE_NAME.test(e.name)).map((e) => e.name).sort();
  } catch {
    return [];
  }
}

async function uploaded(c: WebContext, value: unknown, label: string): Promise<{ name: string; load: ScenarioLoad } | Outcome | null> {
  if (!(value instanceof File) || (value.size === 0 && value.name === '')) return null;
  const name = value.name.slice(0, 200);
  if (!/\.ya?ml$/i.test(name)) return refusal(415, `${name} is not a scenario file: choose a .yaml or .yml file for the ${label}`);
  if (value.size === 0) return refusal(400, `${name} is empty`);
  if (value.size > MAX_SCENARIO_BYTES) return refusal(413, `${name} is larger than ${MAX_SCENARIO_BYTES / (1024 * 1024)} MB: a scenario is a page or two of YAML`);
  let text: string;
  try {
    text = UTF8.decode(await value.arrayBuffer()).replace(/^\uFEFF/, '');
  } catch {
    return refusal(400, `${name} is not UTF-8 text (save it as UTF-8)`);
  }
  const ctx = appContext(c);
  const { agreement } = await agreementInForce(ctx, await resolveFund(ctx));
  const load = await parseScenario(text, { fileName: name, loadAgreement: async () => ({ ok: true, agreement, sourceText: '', sourceSha256: '', files: [] }) });
  return { name, load };
}

async function respond(c: WebContext, outcome: Outcome, xlsx: boolean, title: string): Promise<Response> {
  if (!outcome.ok) return c.html(pageOf(c, 'Error: scenario', outcome.body), outcome.status);
  if (!xlsx) return c.html(pageOf(c, title, projectionBody(outcome.scenarios, outcome.comparison)));
  const { scenarios, comparison } = outcome;
  const name = `scenario-${scenarios.map((s) => s.scenario.id).join('-vs-')}.xlsx`;
  const generatedAt = c.get('deps').now().toISOString();
  const response = await sendGenerated(async (dir) => {
    const file = path.join(dir, 'scenario.xlsx');
    await renderScenarioXlsx(scenarios, comparison, generatedAt, file);
    return { file, name, kind: 'xlsx' };
  });
  return response ?? c.notFound();
}

function uploadForm(csrf: string): Html {
  const field = (id: string, label: string, hint: string) =>
    html`<div class="govuk-form-group"><label class="govuk-label govuk-label--s" for="${id}">${label}</label><div class="govuk-hint" id="${id}-hint">${hint}</div><input class="govuk-file-upload" id="${id}" name="${id}" type="file" accept=".yaml,.yml" aria-describedby="${id}-hint"></div>`;
  return html`<form method="post" action="/planning/scenarios" enctype="multipart/form-data" novalidate><input type="hidden" name="_csrf" value="${csrf}">
${field('file', 'Scenario file', `A scenario YAML (docs/scenarios.md), at most ${MAX_SCENARIO_BYTES / (1024 * 1024)} MB. If it names an agreement file, the fund's agreement in force is used instead.`)}
${field('compare', 'Scenario to compare (optional)', 'A second scenario, shown side by side; each difference is second − first.')}
<div class="govuk-button-group"><button type="submit" name="as" value="page" class="govuk-button">Show the projection</button><button type="submit" name="as" value="xlsx" class="govuk-button govuk-button--secondary">Download as Excel (XLSX)</button></div></form>`;
}

function examplesList(names: readonly string[]): Html {
  if (names.length === 0) return html``;
  const href = (name: string, compare?: string) => `/planning/scenarios/examples/${encodeURIComponent(name)}${compare ? `?compare=${encodeURIComponent(compare)}` : ''}`;
  const items = names.map(
    (n) => html`<li><a class="govuk-link" href="${href(n)}">Run ${n}</a>${names.filter((o) => o !== n).map((o) => html`, <a class="govuk-link" href="${href(n, o)}">compare with ${o}</a>`)}</li>`,
  );
  return html`<h2 class="govuk-heading-m">Example scenarios</h2><ul class="govuk-list govuk-list--bullet" id="examples">${items}</ul>`;
}

/** The upload size limit, answered before the session and CSRF middleware read the body. */
export function scenarioUploadLimit(app: Hono<WebEnv>): void {
  app.post(
    '/planning/scenarios',
    bodyLimit({
      maxSize: FORM_BYTES,
      onError: (c) => c.html(page({ title: 'File too large', session: null, body: html`<h1 class="govuk-heading-l">The file is too large</h1><p class="govuk-body">A scenario file may be at most ${MAX_SCENARIO_BYTES / (1024 * 1024)} MB. Nothing was read.</p><p class="govuk-body"><a class="govuk-link" href="/planning/scenarios">Back to Scenarios</a></p>` }), 413),
    }),
  );
}

export function scenarioRoutes(app: Hono<WebEnv>): void {
  app.get('/planning/scenarios', requireAction('fund.view'), async (c) => {
    const body = html`<p class="govuk-body">Project the fund over several years under stated assumptions — growth, the shift to prevention, double running, social investment — and compare two plans. The file is read to make the page and then forgotten.</p>
${uploadForm(c.get('session')!.csrfToken)}${examplesList(await exampleNames(c))}`;
    return c.html(page({ title: 'Scenarios', session: c.get('session')!, current: '/planning', body: html`<a href="/planning" class="govuk-back-link">Planning</a>${heading('Planning', 'Scenarios')}${body}` }));
  });

  app.post('/planning/scenarios', requireAction('fund.view'), async (c) => {
    const form = await c.req.parseBody();
    const first = await uploaded(c, form.file, 'scenario');
    if (first === null) return respond(c, refusal(400, 'Choose a scenario file to upload'), false, '');
    if ('ok' in first) return respond(c, first, false, '');
    const second = await uploaded(c, form.compare, 'scenario to compare');
    if (second !== null && 'ok' in second) return respond(c, second, false, '');
    const outcome = project(second ? [first, second] : [first]);
    return respond(c, outcome, form.as === 'xlsx', outcome.ok ? titleOf(outcome.scenarios) : '');
  });

  app.get('/planning/scenarios/examples/:name', requireAction('fund.view'), async (c) => {
    const names = await exampleNames(c);
    const dir = c.get('deps').scenariosDir;
    // Looked up among the listed names: what the address says is never a path.
    const found = names.find((n) => n === c.req.param('name'));
    const compareParam = c.req.query('compare');
    const compare = compareParam === undefined || compareParam === '' ? undefined : names.find((n) => n === compareParam);
    if (!dir || !found || (compareParam && !compare)) return c.notFound();
    const loads = [{ name: found, load: await loadScenarioFile(path.join(dir, found)) }];
    if (compare) loads.push({ name: compare, load: await loadScenarioFile(path.join(dir, compare)) });
    const outcome = project(loads);
    const xlsx = c.req.query('format') === 'xlsx';
    if (!outcome.ok || xlsx) return respond(c, outcome, xlsx, '');
    const download = `/planning/scenarios/examples/${encodeURIComponent(found)}?${compare ? `compare=${encodeURIComponent(compare)}&` : ''}format=xlsx`;
    const body = html`<p class="govuk-body"><a class="govuk-link" href="${download}" download>Download as Excel (XLSX)</a></p>${projectionBody(outcome.scenarios, outcome.comparison)}`;
    return c.html(pageOf(c, titleOf(outcome.scenarios), body));
  });
}

function titleOf(scenarios: readonly ScenarioProjection[]): string {
  return scenarios.length === 2 ? `${scenarios[0]!.scenario.name} and ${scenarios[1]!.scenario.name}` : scenarios[0]!.scenario.name;
}
