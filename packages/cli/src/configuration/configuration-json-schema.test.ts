import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  configurationJsonSchema,
  configurationJsonSchemaText,
} from './configuration-json-schema.js';

describe('configuration.schema.json', () => {
  it('is up to date with the zod schema (regenerate: pnpm --filter @ketrew/cli generate:schema)', () => {
    const committed = readFileSync(
      new URL('../../configuration.schema.json', import.meta.url),
      'utf8',
    );
    expect(committed).toBe(configurationJsonSchemaText());
  });

  it('documents every key of the server part with its default', () => {
    const schema = configurationJsonSchema() as {
      properties: { profiles: { additionalProperties: { properties: Record<string, unknown> } } };
    };
    const server = schema.properties.profiles.additionalProperties.properties['server'] as {
      properties: Record<string, { default?: unknown; description?: string }>;
    };
    for (const key of [
      'listen',
      'database',
      'tokensFile',
      'tls',
      'readOnly',
      'engine',
      'plugins',
    ]) {
      expect(server.properties[key], key).toHaveProperty('default');
    }
    expect(server.properties['database']?.default).toBe('ketrew.db');
    expect(server.properties['engine']?.default).toMatchObject({ maximumSuccessiveAttempts: 10 });
  });
});
