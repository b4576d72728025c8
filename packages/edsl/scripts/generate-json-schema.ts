/**
 * Writes workflow-spec.schema.json (the JSON Schema of the wire format) from the zod schemas.
 * Run with `pnpm --filter @ketrew/edsl run generate-schema`; a test fails when the committed
 * file differs from what this writes.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { renderWorkflowSpecJsonSchema } from '../src/wire/workflow-json-schema.js';

const target = fileURLToPath(new URL('../workflow-spec.schema.json', import.meta.url));
writeFileSync(target, renderWorkflowSpecJsonSchema());
process.stdout.write(`wrote ${target}\n`);
