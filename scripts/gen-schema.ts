// Writes schema/agreement.schema.json from the agreement's zod schema (src/agreement/schema.ts).
// Run after changing the schema: `npm run schema`; a test fails while the file is stale.

import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { agreementJsonSchemaText } from '../src/agreement/json-schema.js';

// dist/scripts/gen-schema.js → the project's schema/ folder, wherever the command is run from.
const target = fileURLToPath(new URL('../../schema/agreement.schema.json', import.meta.url));
writeFileSync(target, agreementJsonSchemaText());
console.log(`wrote ${target}`);
