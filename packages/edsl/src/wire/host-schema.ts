import { z } from 'zod';
import { AbsolutePathSchema } from './primitive-schemas.js';

/** How the engine reaches a host: the machine it runs on, or SSH. */
export const ConnectionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('localhost') }),
  z.strictObject({
    kind: z.literal('ssh'),
    /** Host name or IP address. */
    address: z.string().min(1),
    /** `null` = the SSH default (22 or the ssh configuration's). */
    port: z.number().int().min(1).max(65535).nullable().default(null),
    /** `null` = the SSH default (current user or the ssh configuration's). */
    user: z.string().min(1).nullable().default(null),
    /** Extra arguments given to `ssh`, e.g. `["-K"]`. */
    sshOptions: z.array(z.string()).default([]),
  }),
]);

/** Where commands run and files live. */
export const HostSchema = z.strictObject({
  /** Display name; the EDSL uses the host URI. */
  name: z.string().min(1),
  connection: ConnectionSchema,
  /** Directory where the engine creates each run's playground; `null` = no playground. */
  playground: AbsolutePathSchema.nullable().default(null),
  /** How a shell command string is run, e.g. `["sh", "-c"]` or `["bash", "-l", "-c"]`. */
  shell: z.array(z.string().min(1)).min(1).default(['sh', '-c']),
  /** Timeout in seconds for each system command sent to this host; `null` = engine default. */
  timeout: z.number().positive().nullable().default(null),
});

export type Host = z.output<typeof HostSchema>;
export type Connection = z.output<typeof ConnectionSchema>;
