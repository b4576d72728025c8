import { z } from 'zod';
import { ConfigurationFileSchema } from './configuration-schema.js';

/**
 * The JSON Schema of `configuration.json`, generated from the zod schema the CLI validates with
 * (so both cannot disagree). Shipped as `@ketrew/cli/configuration.schema.json`; `ketrew init`
 * writes a copy beside the configuration for editors.
 */
export function configurationJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(ConfigurationFileSchema, { io: 'input', target: 'draft-2020-12' }),
    $id: 'https://ketrew.dev/schemas/configuration.schema.json',
    title: 'Ketrew configuration',
  };
}

/** The schema as the committed file holds it. */
export function configurationJsonSchemaText(): string {
  return `${JSON.stringify(configurationJsonSchema(), null, 2)}\n`;
}
