import { z } from 'zod';
import { HostSchema } from './host-schema.js';
import { AbsolutePathSchema, JsonValueSchema } from './primitive-schemas.js';

/** What a node produces, as data: for display and for `ensures: 'product-is-done'`. */
export const ProductSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('single-file'), host: HostSchema, path: AbsolutePathSchema }),
  z.strictObject({
    kind: z.literal('list-of-files'),
    host: HostSchema,
    paths: z.array(AbsolutePathSchema),
  }),
  /** A user-defined product: a type name and free data, for display. */
  z.strictObject({
    kind: z.literal('custom'),
    type: z.string().min(1),
    data: JsonValueSchema.default(null),
  }),
]);

export type ProductSpec = z.output<typeof ProductSchema>;
