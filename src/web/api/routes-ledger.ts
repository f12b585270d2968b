// Ledger-level API routes: upload a ledger extract (the file is the raw request body), the
// suspense queue of unmapped lines, and scheme leads' forecasts. What touches a ledger is checked
// against that ledger's partner (src/domain/access.ts) before a byte of the body is read.

import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { agreementInForce, resolveFund } from '../../app/agreements.js';
import { TandemError } from '../../app/errors.js';
import { importForecasts } from '../../app/forecast-import.js';
import { importBatch } from '../../app/import-batch.js';
import { unmappedGroups } from '../../app/unmapped.js';
import type { Agreement, Ledger } from '../../domain/agreement.js';
import { allow, apiContext, fundOf, may, requireAction, type ApiContext, type ApiEnv } from './auth.js';
import { renameFile } from './errors.js';
import { errors, json, SECURITY } from './responses.js';
import { ForecastQuery, ForecastResultSchema, ImportQuery, ImportResultSchema, UnmappedQuery, UnmappedSchema } from './schemas.js';
import { CSV_TYPE, uploadFormat, uploadName, withUploadedFile, XLSX_TYPE, type UploadFormat } from './upload.js';

const FileBody = z.string().openapi({ format: 'binary', description: 'the file itself, as the raw request body' });

export const importRoute = createRoute({
  method: 'post',
  path: '/v1/imports',
  summary: "Import a ledger extract (finance officer of the ledger's partner): all of it or none of it",
  description: 'Send the file as the raw body with Content-Type text/csv or the XLSX MIME type (and Content-Length). A rejected file lists every problem with line and column, and writes nothing.',
  security: SECURITY,
  request: { query: ImportQuery, body: { required: true, content: { [CSV_TYPE]: { schema: FileBody }, [XLSX_TYPE]: { schema: FileBody } } } },
  responses: { 200: json(ImportResultSchema, 'Imported (or the same bytes were already imported: status already-imported)'), ...errors(400, 401, 403, 404, 409, 413, 415, 422) },
});

export const forecastRoute = createRoute({
  method: 'post',
  path: '/v1/forecasts',
  summary: "Import scheme leads' forecasts: a CSV of scheme, period, amount (and an optional note)",
  middleware: [requireAction('forecast.import')] as const,
  security: SECURITY,
  request: { query: ForecastQuery, body: { required: true, content: { [CSV_TYPE]: { schema: FileBody } } } },
  responses: { 200: json(ForecastResultSchema, 'Imported'), ...errors(400, 401, 403, 409, 413, 415, 422) },
});

export const unmappedRoute = createRoute({
  method: 'get',
  path: '/v1/unmapped',
  summary: 'The suspense queue: unmapped lines grouped by code combination, largest first',
  security: SECURITY,
  request: { query: UnmappedQuery },
  responses: { 200: json(UnmappedSchema, 'Groups of unmapped lines of the ledgers the caller may see'), ...errors(400, 401, 403, 404) },
});

async function agreementOf(c: ApiContext): Promise<{ fundId: string; agreement: Agreement }> {
  const ctx = apiContext(c);
  const fundId = await resolveFund(ctx, fundOf(c));
  return { fundId, agreement: (await agreementInForce(ctx, fundId)).agreement };
}

function ledgerOf(agreement: Agreement, fundId: string, id: string): Ledger {
  const ledger = agreement.ledgers.find((l) => l.id === id);
  if (!ledger) throw new TandemError('LEDGER_UNKNOWN', `ledger "${id}" is not in the agreement of fund ${fundId}; its ledgers are: ${agreement.ledgers.map((l) => l.id).join(', ')}`);
  return ledger;
}

/** Runs a use case on the uploaded file; its errors name the file as the client did, not the temporary path. */
async function onUpload<T>(c: ApiContext, name: string, limit: number, work: (path: string) => Promise<T>): Promise<T> {
  return withUploadedFile(c, { name, limit }, async (path) => {
    try {
      return await work(path);
    } catch (error) {
      throw renameFile(error, path, name);
    }
  });
}

export function ledgerRoutes(api: OpenAPIHono<ApiEnv>, options: { maxUploadBytes: number }): void {
  api.openapi(importRoute, async (c) => {
    const query = c.req.valid('query');
    const { fundId, agreement } = await agreementOf(c);
    const ledger = ledgerOf(agreement, fundId, query.ledger);
    allow(c, 'ledger.upload', { ledgerPartner: ledger.partner, lineDetailSharedAcrossPartners: agreement.lineDetailSharedAcrossPartners });
    const accepted: UploadFormat[] = ledger.file.format === 'auto' ? ['csv', 'xlsx'] : [ledger.file.format];
    const name = uploadName(query.name, ledger.id, uploadFormat(c, accepted));
    const result = await onUpload(c, name, options.maxUploadBytes, (path) => importBatch(apiContext(c), { fundId, ledgerId: ledger.id, path, displayName: name }));
    return c.json({ ...result, file: name }, 200);
  });

  api.openapi(forecastRoute, async (c) => {
    const name = uploadName(c.req.valid('query').name, 'forecasts', uploadFormat(c, ['csv']));
    const result = await onUpload(c, name, options.maxUploadBytes, (path) => importForecasts(apiContext(c), { fundId: fundOf(c), path, displayName: name }));
    return c.json({ ...result, file: name }, 200);
  });

  api.openapi(unmappedRoute, async (c) => {
    const { ledger: ledgerId } = c.req.valid('query');
    const { fundId, agreement } = await agreementOf(c);
    const sharing = agreement.lineDetailSharedAcrossPartners;
    if (ledgerId !== undefined) {
      const ledger = ledgerOf(agreement, fundId, ledgerId);
      allow(c, 'ledger.lines.view', { ledgerPartner: ledger.partner, lineDetailSharedAcrossPartners: sharing });
      return c.json(await unmappedGroups(apiContext(c), { fundId, ledgerId }), 200);
    }
    const visible = new Set(agreement.ledgers.filter((l) => may(c, 'ledger.lines.view', { ledgerPartner: l.partner, lineDetailSharedAcrossPartners: sharing })).map((l) => l.id));
    return c.json((await unmappedGroups(apiContext(c), { fundId })).filter((g) => visible.has(g.ledger)), 200);
  });
}
