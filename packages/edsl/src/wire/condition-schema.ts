import { z } from 'zod';
import { HostSchema } from './host-schema.js';
import type { Host } from './host-schema.js';
import { AbsolutePathSchema, PathSegmentSchema } from './primitive-schemas.js';
import { ProgramSchema } from './program-schema.js';
import type { ProgramSpec } from './program-schema.js';

export type VolumeStructure =
  { kind: 'file'; name: string } | { kind: 'directory'; name: string; children: VolumeStructure[] };

export const VolumeStructureSchema: z.ZodType<VolumeStructure> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('file'), name: PathSegmentSchema }),
    z.strictObject({
      kind: z.literal('directory'),
      name: PathSegmentSchema,
      children: z.array(VolumeStructureSchema),
    }),
  ]),
);

/** Files and directories under `root` on `host`. */
export const VolumeSchema = z.strictObject({
  host: HostSchema,
  root: AbsolutePathSchema,
  structure: VolumeStructureSchema,
});

export type Volume = z.output<typeof VolumeSchema>;

export type ConditionSpec =
  | { kind: 'never' }
  | { kind: 'volume-exists'; volume: Volume }
  | { kind: 'volume-size-at-least'; volume: Volume; bytes: number }
  | { kind: 'command-returns'; program: ProgramSpec; host: Host; returns: number }
  | { kind: 'and'; conditions: ConditionSpec[] };

/** When a node counts as done. */
export const ConditionSchema: z.ZodType<ConditionSpec, unknown> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('never') }),
    z.strictObject({ kind: z.literal('volume-exists'), volume: VolumeSchema }),
    z.strictObject({
      kind: z.literal('volume-size-at-least'),
      volume: VolumeSchema,
      bytes: z.number().int().nonnegative(),
    }),
    z.strictObject({
      kind: z.literal('command-returns'),
      program: ProgramSchema,
      host: HostSchema,
      returns: z.number().int(),
    }),
    z.strictObject({ kind: z.literal('and'), conditions: z.array(ConditionSchema) }),
  ]),
) as z.ZodType<ConditionSpec, unknown>;
