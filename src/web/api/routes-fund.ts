// Fund-level API routes: status, closes (list, read, close, reopen), the report data and scheme
// commentary. Each calls the same use case as the CLI command of the same name, as the user.

import { createRoute, type OpenAPIHono } from '@hono/zod-openapi';
import { resolveFund } from '../../app/agreements.js';
import { closePeriod, readClose, reopenPeriod } from '../../app/close.js';
import { listCommentary, setCommentary } from '../../app/commentary.js';
import { buildReport } from '../../app/report.js';
import { fundStatus } from '../../app/status.js';
import { formatPeriod, parsePeriodArg, type PeriodKey } from '../../domain/period.js';
import { apiContext, fundOf, requireAction, type ApiEnv } from './auth.js';
import { errors, json, SECURITY } from './responses.js';
import { CloseDocumentSchema, ReportDataSchema } from './schemas-report.js';
import {
  CloseBody,
  CloseSummarySchema,
  CommentaryBody,
  CommentaryListSchema,
  CommentaryParams,
  CommentarySchema,
  PeriodParams,
  ReopenBody,
  ReopenSchema,
  StatusSchema,
  VersionQuery,
} from './schemas.js';

/** A path period the schema has already checked. */
function period(text: string): PeriodKey {
  return parsePeriodArg(text)!;
}

export const statusRoute = createRoute({
  method: 'get',
  path: '/v1/status',
  summary: "The fund's status: each ledger's lines, mapped and in suspense, each scheme's YTD actual per partner, closed periods",
  middleware: [requireAction('fund.view')] as const,
  security: SECURITY,
  responses: { 200: json(StatusSchema, 'The status at the latest period with data'), ...errors(401, 403, 404) },
});

export const closesRoute = createRoute({
  method: 'get',
  path: '/v1/closes',
  summary: 'Every stored close version, by period',
  middleware: [requireAction('fund.view')] as const,
  security: SECURITY,
  responses: { 200: json(CloseSummarySchema.array(), 'Close versions, oldest period first'), ...errors(401, 403, 404) },
});

export const closeRoute = createRoute({
  method: 'get',
  path: '/v1/closes/{period}',
  summary: "A period's stored close document (the latest version unless ?version= is given)",
  middleware: [requireAction('fund.view')] as const,
  security: SECURITY,
  request: { params: PeriodParams, query: VersionQuery },
  responses: { 200: json(CloseDocumentSchema, 'The close document'), ...errors(400, 401, 403, 404) },
});

export const closeNowRoute = createRoute({
  method: 'post',
  path: '/v1/closes/{period}',
  summary: 'Close a period (approver): stores the next close version and locks the period',
  middleware: [requireAction('period.close')] as const,
  security: SECURITY,
  request: { params: PeriodParams, body: { required: false, content: { 'application/json': { schema: CloseBody } } } },
  responses: { 200: json(CloseDocumentSchema, 'The new close document'), ...errors(400, 401, 403, 404, 409, 415, 422) },
});

export const reopenRoute = createRoute({
  method: 'post',
  path: '/v1/closes/{period}/reopen',
  summary: 'Reopen a closed period (approver), with a reason for the audit trail',
  middleware: [requireAction('period.reopen')] as const,
  security: SECURITY,
  request: { params: PeriodParams, body: { required: true, content: { 'application/json': { schema: ReopenBody } } } },
  responses: { 200: json(ReopenSchema, 'Reopened; the close version stays in the history'), ...errors(400, 401, 403, 404, 409, 415) },
});

export const reportRoute = createRoute({
  method: 'get',
  path: '/v1/report/{period}',
  summary: "The monthly report's data for a closed period, built from the stored close",
  middleware: [requireAction('report.download')] as const,
  security: SECURITY,
  request: { params: PeriodParams, query: VersionQuery },
  responses: { 200: json(ReportDataSchema, 'The report data'), ...errors(400, 401, 403, 404) },
});

export const commentarySetRoute = createRoute({
  method: 'put',
  path: '/v1/commentary/{scheme}/{period}',
  summary: "Set a scheme's commentary for a period (kept beside earlier texts, audited)",
  middleware: [requireAction('commentary.set')] as const,
  security: SECURITY,
  request: { params: CommentaryParams, body: { required: true, content: { 'application/json': { schema: CommentaryBody } } } },
  responses: { 200: json(CommentarySchema, 'The stored commentary'), ...errors(400, 401, 403, 404, 415, 422) },
});

export const commentaryListRoute = createRoute({
  method: 'get',
  path: '/v1/commentary/{period}',
  summary: "Each scheme's latest commentary for a period",
  middleware: [requireAction('fund.view')] as const,
  security: SECURITY,
  request: { params: PeriodParams },
  responses: { 200: json(CommentaryListSchema, 'The latest commentary per scheme'), ...errors(400, 401, 403, 404) },
});

export function fundRoutes(api: OpenAPIHono<ApiEnv>): void {
  api.openapi(statusRoute, async (c) => {
    const { database: _location, ...status } = await fundStatus(apiContext(c), { fundId: fundOf(c) });
    return c.json(status, 200);
  });

  api.openapi(closesRoute, async (c) => {
    const ctx = apiContext(c);
    const fundId = await resolveFund(ctx, fundOf(c));
    const closes = await ctx.store.listCloses(fundId);
    const state = new Map((await ctx.store.latestPeriodEvents(fundId)).map((e) => [e.period, e.action] as const));
    const latest = new Map(closes.map((r) => [r.period, r.version] as const)); // ordered by version: the last wins
    const list = closes.map((r) => ({
      period: formatPeriod(r.period),
      version: r.version,
      agreementVersion: r.agreementVersion,
      closedAt: r.closedAt,
      closedBy: r.closedBy,
      sha256: r.documentSha256,
      current: state.get(r.period) === 'close' && latest.get(r.period) === r.version,
    }));
    return c.json(list, 200);
  });

  api.openapi(closeRoute, async (c) => {
    const { version } = c.req.valid('query');
    const document = await readClose(apiContext(c), { fundId: fundOf(c), period: period(c.req.valid('param').period), version });
    return c.json(document, 200);
  });

  api.openapi(closeNowRoute, async (c) => {
    const { allowUnmapped } = c.req.valid('json');
    const result = await closePeriod(apiContext(c), { fundId: fundOf(c), period: period(c.req.valid('param').period), allowUnmapped: allowUnmapped ?? false });
    return c.json(result.document, 200);
  });

  api.openapi(reopenRoute, async (c) => {
    const result = await reopenPeriod(apiContext(c), { fundId: fundOf(c), period: period(c.req.valid('param').period), reason: c.req.valid('json').reason });
    return c.json(result, 200);
  });

  api.openapi(reportRoute, async (c) => {
    const { version } = c.req.valid('query');
    const report = await buildReport(apiContext(c), { fundId: fundOf(c), period: period(c.req.valid('param').period), version });
    return c.json(report.data, 200);
  });

  api.openapi(commentarySetRoute, async (c) => {
    const { scheme } = c.req.valid('param');
    const stored = await setCommentary(apiContext(c), { fundId: fundOf(c), schemeId: scheme, period: period(c.req.valid('param').period), text: c.req.valid('json').text });
    return c.json(stored, 200);
  });

  api.openapi(commentaryListRoute, async (c) => {
    return c.json(await listCommentary(apiContext(c), { fundId: fundOf(c), period: period(c.req.valid('param').period) }), 200);
  });
}
