// Regenerates configuration.schema.json from the zod schema: `pnpm run generate:schema`.
import { writeFileSync } from 'node:fs';
import { configurationJsonSchemaText } from '../src/configuration/configuration-json-schema.js';

const target = new URL('../configuration.schema.json', import.meta.url);
writeFileSync(target, configurationJsonSchemaText());
process.stdout.write(`wrote ${target.pathname}\n`);
