// schema/agreement.schema.json, generated from the zod schema so editors (VS Code's YAML
// extension, for one) can check and complete an agreement as it is typed. It describes the file
// as written (the input side: pounds, years as text), not the model it becomes. Deterministic:
// the same schema always gives the same bytes, so a test can tell when the file is stale.

import * as z from 'zod';
import { AgreementSchema } from './schema.js';

export function agreementJsonSchema(): Record<string, unknown> {
  return z.toJSONSchema(AgreementSchema, { io: 'input', target: 'draft-2020-12', unrepresentable: 'throw' });
}

export function agreementJsonSchemaText(): string {
  return `${JSON.stringify(agreementJsonSchema(), null, 2)}\n`;
}
