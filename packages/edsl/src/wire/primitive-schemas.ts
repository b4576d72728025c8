import { z } from 'zod';

/** An absolute path: starts with `/`. */
export const AbsolutePathSchema = z
  .string()
  .regex(/^\//, 'must be an absolute path (start with "/")');

/** A node id: 1 to 200 characters among letters, digits and `. _ : @ + -`. */
export const IdentifierSchema = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:@+-]+$/, 'may contain only letters, digits and . _ : @ + -');

/** One file or directory name inside a volume: no `/`, not `.` or `..`. */
export const PathSegmentSchema = z
  .string()
  .regex(/^(?!\.\.?$)[^/]+$/, 'must be a single path segment (no "/", not "." or "..")');

/** A free JSON value (node metadata, plugin parameters, custom product data). */
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export const JsonValueSchema: z.ZodType<JsonValue> = z.lazy(() =>
  z.union([
    z.null(),
    z.boolean(),
    z.number(),
    z.string(),
    z.array(JsonValueSchema),
    z.record(z.string(), JsonValueSchema),
  ]),
);
