// Ledger-level API routes: upload a ledger extract (the file is the raw request body), the
// suspense queue of unmapped lines, and scheme leads' forecasts. What touches a ledger is checked
// against that ledger's partner (src/domain/access.ts) before a byte of the body is read.

import { createRoute, z, type OpenAPIHono } from '@hono/zod-openapi';
import { agreementInForce, resolveFund } from '../../app/agreements.js';
import { TandemError } from '../../app/errors.js';
import { importForecasts } from '../../app/forecast-import.js';
import { importBatch } from '../../app/import-batch.js';
import { addMappingRule } from '../../app/mapping-rules.js';
import { remap } from '../../app/remap.js';
import { unmappedGroups } from '../../app/unmapped.js';
import type { Agreement, Ledger } from '../../domain/agreement.js';
import { allow, apiContext, fundOf, may, requireAction, type ApiContext, type ApiEnv } from './auth.js';
import { renameFile } from './errors.js';
import { errors, json, SECURITY } from './responses.js';
import {
  ForecastQuery,
  ForecastResultSchema,
  ImportQuery,
  ImportResultSchema,
  MappingRuleBody,
  MappingRuleResultSchema,
  RemapBody,
  RemapResultSchema,
  UnmappedQuery,
  UnmappedSchema,
} from './schemas.js';
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

export const mappingRuleRoute = createRoute({
  method: 'post',
  path: '/v1/mapping-rules',
  summary: "Add a mapping rule at the end of a ledger's rules (finance officer of the ledger's partner): it becomes the next agreement version",
  description: 'Made for a group of the suspense queue: the rule is written last, so no line an existing rule maps can change. It does not re-map imported lines: POST /v1/remap does.',
  security: SECURITY,
  request: { body: { required: true, content: { 'application/json': { schema: MappingRuleBody } } } },
  responses: { 200: json(MappingRuleResultSchema, 'The new agreement version'), ...errors(400, 401, 403, 404, 409, 422) },
});

export const remapRoute = createRoute({
  method: 'post',
  path: '/v1/remap',
  summary: "Re-apply the agreement's mapping rules to a ledger's imported lines (finance officer of the ledger's partner)",
  security: SECURITY,
  request: { body: { required: true, content: { 'application/json': { schema: RemapBody } } } },
  responses: { 200: json(RemapResultSchema, 'What changed, per ledger'), ...errors(400, 401, 403, 404, 409) },
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

  api.openapi(mappingRuleRoute, async (c) => {
    const body = c.req.valid('json');
    const { fundId, agreement } = await agreementOf(c);
    const ledger = ledgerOf(agreement, fundId, body.ledger);
    allow(c, 'ledger.map', { ledgerPartner: ledger.partner, lineDetailSharedAcrossPartners: agreement.lineDetailSharedAcrossPartners });
    const target = body.scheme !== undefined ? { scheme: body.scheme } : { outOfScope: true as const };
    const result = await addMappingRule(apiContext(c), { fundId, ledgerId: ledger.id, when: body.when, target, note: body.note, basedOnVersion: body.basedOnVersion });
    return c.json(result, 200);
  });

  api.openapi(remapRoute, async (c) => {
    const body = c.req.valid('json');
    const { fundId, agreement } = await agreementOf(c);
    const ledger = ledgerOf(agreement, fundId, body.ledger);
    allow(c, 'ledger.map', { ledgerPartner: ledger.partner, lineDetailSharedAcrossPartners: agreement.lineDetailSharedAcrossPartners });
    return c.json(await remap(apiContext(c), { fundId, ledgerId: ledger.id, skipClosedPeriods: body.skipClosedPeriods }), 200);
  });
}
