import { z } from 'zod';

/** A program: shell commands run in sequence, stopping at the first failure. */
export type ProgramSpec =
  | { kind: 'sh'; command: string }
  | { kind: 'exec'; argv: string[] }
  | { kind: 'and'; programs: ProgramSpec[] };

export const ProgramSchema: z.ZodType<ProgramSpec> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    /** A command line given to the host's shell. */
    z.strictObject({ kind: z.literal('sh'), command: z.string() }),
    /** A program and its arguments, each quoted for the shell. */
    z.strictObject({ kind: z.literal('exec'), argv: z.array(z.string()).min(1) }),
    /** Programs run in order; the first failure stops the sequence. */
    z.strictObject({ kind: z.literal('and'), programs: z.array(ProgramSchema) }),
  ]),
);
