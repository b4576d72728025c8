import { z } from 'zod';

type JsonObject = { [key: string]: unknown };

const PREFIX = '#/components/schemas/';

/**
 * JSON Schemas of named zod schemas, as OpenAPI `components.schemas`: references between them
 * point at `#/components/schemas/<name>`, and definitions zod shares between several schemas
 * (recursive ones such as programs and conditions, or schemas with a `.meta({id})`) become
 * components of their own, named `<prefix><definition>`.
 */
export function componentSchemas(
  schemas: Readonly<Record<string, z.ZodType>>,
  options: { readonly io: 'input' | 'output'; readonly sharedPrefix: string },
): Record<string, JsonObject> {
  const registry = z.registry<{ id: string }>();
  for (const [id, schema] of Object.entries(schemas)) registry.add(schema, { id });
  const generated = z.toJSONSchema(registry, {
    io: options.io,
    uri: (id) => `${PREFIX}${id}`,
    unrepresentable: 'any',
  }) as { schemas: Record<string, JsonObject> };
  const rename = (ref: string): string => {
    const shared = /^#\/components\/schemas\/__shared#\/\$defs\/(.+)$/.exec(ref);
    return shared === null ? ref : `${PREFIX}${options.sharedPrefix}${shared[1] ?? ''}`;
  };
  const result: Record<string, JsonObject> = {};
  for (const [id, schema] of Object.entries(generated.schemas)) {
    if (id === '__shared') {
      const defs = (schema['$defs'] ?? {}) as Record<string, JsonObject>;
      for (const [name, def] of Object.entries(defs)) {
        result[`${options.sharedPrefix}${name}`] = clean(rewriteRefs(def, rename));
      }
    } else {
      result[id] = clean(rewriteRefs(schema, rename));
    }
  }
  return result;
}

function clean(schema: JsonObject): JsonObject {
  const { $schema: _schema, $id: _id, ...rest } = schema;
  return rest;
}

function rewriteRefs<T>(value: T, rename: (ref: string) => string): T {
  if (Array.isArray(value)) return value.map((item: unknown) => rewriteRefs(item, rename)) as T;
  if (value === null || typeof value !== 'object') return value;
  const out: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    out[key] =
      key === '$ref' && typeof item === 'string' ? rename(item) : rewriteRefs(item, rename);
  }
  return out as T;
}
