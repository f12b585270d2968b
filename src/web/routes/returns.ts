// Statutory returns of a year (docs/returns.md): the pooled budgets' memorandum account (income by
// partner, expenditure by scheme, the surplus or deficit and each partner's share), shown only
// when the year's M12 is closed (else the use case's reason); the BCF minimum check with pass or
// fail and margins; and the memorandum XLSX and BCF year-end workbook, made on request by the
// CLI's own use cases into a temporary directory and streamed (src/web/views/send-file.ts). The
// year in the address is parsed strictly (400 otherwise) before anything is made.

import path from 'node:path';
import type { Hono } from 'hono';
import { agreementInForce, resolveFund } from '../../app/agreements.js';
import type { AppContext } from '../../app/context.js';
import { TandemError } from '../../app/errors.js';
import { buildMemorandum, checkBcf, writeBcfYearEndFiles, writeMemorandumFiles, type BcfCheckResult } from '../../app/returns.js';
import { authorise } from '../../domain/access.js';
import { formatBasisPoints } from '../../domain/bcf.js';
import type { MemorandumAccount, MemorandumPool } from '../../domain/memorandum.js';
import { formatYear, type YearStart } from '../../domain/period.js';
import { html, type Html } from '../../report/escape.js';
import { provenanceLine, type MemorandumReturn } from '../../report/returns-data.js';
import { appContext, type WebEnv } from '../env.js';
import { requireAction } from '../guard.js';
import { page } from '../layout.js';
import { heading } from '../views/components.js';
import { closedMonths, defaultYear, figuresRow, figuresTable, gbp, inset, money, reasonText, yearForm, yearParam } from '../views/governance.js';
import { sendGenerated } from '../views/send-file.js';

/** A use case's refusal as the reason a section is empty; anything else is a real failure. */
async function orReason<T>(fn: () => Promise<T>): Promise<T | TandemError> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof TandemError) return e;
    throw e;
  }
}

function poolAccount(pool: MemorandumPool): Html {
  const income = pool.income.map((i) => figuresRow(i.name, [{ pence: i.contributionPence }]));
  const spend = pool.expenditure.map((e) => figuresRow(html`${e.name} <span class="govuk-body-s">(${e.scheme})</span>`, [{ pence: e.budgetPence }, { pence: e.actualPence }, { pence: e.variancePence }]));
  const shares = pool.shares.map((s) => figuresRow(s.name, [{ pence: s.contributionPence }, { pence: s.shareOfSurplusPence }, { pence: s.netContributionPence }, s.settlementRef ?? '–']));
  const result = pool.surplusPence >= 0 ? `Surplus ${gbp(pool.surplusPence)}` : `Deficit ${gbp(-pool.surplusPence)}`;
  return html`<h3 class="govuk-heading-m">${pool.name} <span class="govuk-body-s">(hosted by ${pool.hostName})</span></h3>
${figuresTable(`Income of ${pool.name}: contributions by partner`, [{ label: 'Partner' }, money('Contribution')], [...income, figuresRow('Total income', [{ pence: pool.incomePence }], { total: true })])}
${figuresTable(`Expenditure of ${pool.name} by scheme (variance: positive is an overspend)`, [{ label: 'Scheme' }, money('Budget'), money('Actual'), money('Variance')], [...spend, figuresRow('Total expenditure', ['', { pence: pool.expenditurePence }, ''], { total: true })])}
<p class="govuk-body govuk-!-font-weight-bold" data-surplus-pence="${pool.surplusPence}">${result} (income less expenditure)${pool.retainedPence !== 0 ? `; ${gbp(pool.retainedPence)} retained in the pool for next year` : ''}.</p>
${figuresTable(`Each partner's share of the surplus (deficit) of ${pool.name}, for its statement of accounts`, [{ label: 'Partner' }, money('Contribution'), money('Share of surplus (deficit)'), money('Net contribution'), { label: 'Settlement journal' }], shares)}
${pool.reasons.length > 0 ? html`<ul class="govuk-list govuk-list--bullet">${pool.reasons.map((r) => html`<li>${r}</li>`)}</ul>` : html``}`;
}

function memorandumSection(memo: MemorandumReturn | TandemError): Html {
  if (memo instanceof TandemError) return inset(html`The memorandum account cannot be shown: ${reasonText(memo)}.`);
  const a: MemorandumAccount = memo.account;
  const t = a.totals;
  return html`<p class="govuk-body-s">${provenanceLine(memo.provenance)}</p>
${a.pools.length > 0 ? a.pools.map(poolAccount) : html`<p class="govuk-body">The fund has no pooled schemes, so there is no memorandum account.</p>`}
${figuresTable('All pools', [{ label: 'Figure' }, money('Amount')], [
  figuresRow('Income', [{ pence: t.incomePence }]),
  figuresRow('Expenditure', [{ pence: t.expenditurePence }]),
  figuresRow('Surplus (deficit)', [{ pence: t.surplusPence }], { total: true }),
  figuresRow('Retained for next year', [{ pence: t.retainedPence }]),
])}`;
}

const PASS = html`<strong class="govuk-tag govuk-tag--green">Pass</strong>`;
const FAIL = html`<strong class="govuk-tag govuk-tag--red">Fail</strong>`;

function bcfSection(check: BcfCheckResult | TandemError): Html {
  if (check instanceof TandemError) return inset(html`The BCF minimum check cannot be made: ${reasonText(check)}.`);
  const rows = check.partners.map((p) => figuresRow(p.name, [{ pence: p.pooledPence }, { pence: p.minimumPence }, { pence: p.marginPence }, formatBasisPoints(p.marginBasisPoints, p.marginPence), p.pass ? PASS : FAIL]));
  const t = check.total;
  const total = figuresRow('Total', [{ pence: t.pooledPence }, { pence: t.minimumPence }, { pence: t.marginPence }, formatBasisPoints(t.marginBasisPoints, t.marginPence), t.pass ? PASS : FAIL], { total: true });
  const unchecked = check.unchecked.map((u) => html`<li>${u.name} pools ${gbp(u.pooledPence)} but has no minimum for the year: not checked.</li>`);
  return html`<p class="govuk-body">Overall: ${check.pass ? PASS : FAIL} (agreement version ${check.agreementVersion}; margin = pooled less minimum, negative is a shortfall).</p>
${figuresTable('Contributions to the BCF pooled budget against the national minimums', [{ label: 'Partner' }, money('Pooled'), money('Minimum'), money('Margin'), { label: 'Margin %', numeric: true }, { label: 'Result' }], [...rows, total])}
${unchecked.length > 0 ? html`<ul class="govuk-list">${unchecked}</ul>` : html``}`;
}

function downloads(year: YearStart, memo: MemorandumReturn | TandemError): Html {
  if (memo instanceof TandemError) return html`<p class="govuk-body">The files are made from the year's M12 close, so there are none to download yet.</p>`;
  const base = `/governance/returns/${formatYear(year)}`;
  return html`<ul class="govuk-list">
<li><a class="govuk-link" href="${base}/memorandum" download>Memorandum account (XLSX)<span class="govuk-visually-hidden">, ${formatYear(year)}</span></a></li>
<li><a class="govuk-link" href="${base}/bcf-year-end" download>BCF year-end expenditure workbook (XLSX)<span class="govuk-visually-hidden">, ${formatYear(year)}</span></a></li></ul>`;
}

/** The year in a download's address: 2025-26, strictly (400 otherwise), a year of the agreement. */
async function yearOfAddress(ctx: AppContext, fundId: string, text: string): Promise<YearStart> {
  const { agreement } = await agreementInForce(ctx, fundId);
  return yearParam(text === '' ? 'nothing' : text, agreement.years, agreement.years[0]!);
}

export function returnRoutes(app: Hono<WebEnv>): void {
  app.get('/governance/returns', requireAction('fund.view'), async (c) => {
    const session = c.get('session')!;
    const ctx = appContext(c);
    const fundId = await resolveFund(ctx);
    const { agreement } = await agreementInForce(ctx, fundId);
    const year = yearParam(c.req.query('year'), agreement.years, defaultYear(await closedMonths(ctx, fundId), agreement.years, true));
    const memo = await orReason(() => buildMemorandum(ctx, { fundId, year }));
    const check = await orReason(() => checkBcf(ctx, { fundId, year }));
    const mayDownload = authorise(session.actor, 'report.download', { lineDetailSharedAcrossPartners: false });
    const body = html`<a href="/governance" class="govuk-back-link">Governance</a>${heading(agreement.fund.name, `Statutory returns ${formatYear(year)}`)}
${yearForm('/governance/returns', agreement.years, year)}
<h2 class="govuk-heading-l">Memorandum account</h2>
<p class="govuk-body">The host's account of each pooled budget for the year, from the year's M12 close: the figures each partner discloses in its note on pooled budgets.</p>
${memorandumSection(memo)}
<h2 class="govuk-heading-l">Better Care Fund minimum contributions</h2>
${bcfSection(check)}
<h2 class="govuk-heading-l">Files</h2>
${mayDownload.allowed ? downloads(year, memo) : html`<p class="govuk-body">You cannot download these: ${mayDownload.reason}.</p>`}`;
    return c.html(page({ title: `Statutory returns ${formatYear(year)}`, session, current: '/governance', body }));
  });

  app.get('/governance/returns/:year/memorandum', requireAction('report.download'), async (c) => {
    const ctx = appContext(c);
    const fundId = await resolveFund(ctx);
    const year = await yearOfAddress(ctx, fundId, c.req.param('year'));
    const response = await sendGenerated(async (dir) => {
      const result = await writeMemorandumFiles(ctx, { fundId, year, outDir: dir });
      const file = result.files.find((f) => f.format === 'xlsx')!.path;
      return { file, name: path.basename(file), kind: 'xlsx' };
    });
    return response ?? c.notFound();
  });

  app.get('/governance/returns/:year/bcf-year-end', requireAction('report.download'), async (c) => {
    const ctx = appContext(c);
    const fundId = await resolveFund(ctx);
    const year = await yearOfAddress(ctx, fundId, c.req.param('year'));
    const response = await sendGenerated(async (dir) => {
      const result = await writeBcfYearEndFiles(ctx, { fundId, year, outDir: dir });
      const file = result.files[0]!.path;
      return { file, name: path.basename(file), kind: 'xlsx' };
    });
    return response ?? c.notFound();
  });
}
