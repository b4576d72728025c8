import { z } from 'zod';
import { HostSchema } from './host-schema.js';
import { JsonValueSchema } from './primitive-schemas.js';
import { ProgramSchema } from './program-schema.js';

const positiveSeconds = z.number().positive();

const hostAndProgram = { program: ProgramSchema, host: HostSchema };

/** The build processes the first-party backends understand. */
export const NoOperationSchema = z.strictObject({ backend: z.literal('no-operation') });
export const DaemonizeSchema = z.strictObject({
  backend: z.literal('daemonize'),
  ...hostAndProgram,
  using: z.enum(['nohup-setsid', 'python-daemon']).default('nohup-setsid'),
  /** Seconds to wait for the job's pid before declaring the start failed. */
  startingTimeout: positiveSeconds.default(5),
});
export const LsfSchema = z.strictObject({
  backend: z.literal('lsf'),
  ...hostAndProgram,
  queue: z.string().min(1).nullable().default(null),
  name: z.string().min(1).nullable().default(null),
  /** `bsub -W` value, e.g. `"1:30"`. */
  wallLimit: z.string().min(1).nullable().default(null),
  processors: z
    .union([
      z.number().int().positive(),
      z.strictObject({ min: z.number().int().positive(), max: z.number().int().positive() }),
    ])
    .nullable()
    .default(null),
  project: z.string().min(1).nullable().default(null),
  /** Requested memory in megabytes (`-R rusage[mem=MB]`). */
  memory: z.number().int().positive().nullable().default(null),
  rawOptions: z.array(z.string()).default([]),
});
export const PbsSchema = z.strictObject({
  backend: z.literal('pbs'),
  ...hostAndProgram,
  queue: z.string().min(1).nullable().default(null),
  name: z.string().min(1).nullable().default(null),
  /** `HH:MM:SS`; the original defaults to 24 hours. */
  wallLimit: z
    .string()
    .regex(/^\d+:\d{2}:\d{2}$/, 'must be HH:MM:SS')
    .default('24:00:00'),
  processors: z.number().int().positive().default(1),
  emailUser: z
    .strictObject({ when: z.enum(['always', 'never']).default('always'), email: z.string().min(3) })
    .nullable()
    .default(null),
  shell: z.string().min(1).default('/bin/sh'),
});
export const SlurmSchema = z.strictObject({
  backend: z.literal('slurm'),
  ...hostAndProgram,
  partition: z.string().min(1).nullable().default(null),
  account: z.string().min(1).nullable().default(null),
  name: z.string().min(1).nullable().default(null),
  /** `sbatch --time` value, e.g. `"2:00:00"`. */
  time: z.string().min(1).nullable().default(null),
  cpus: z.number().int().positive().nullable().default(null),
  /** `sbatch --mem` value, e.g. `"4G"`. */
  memory: z.string().min(1).nullable().default(null),
  gpus: z.number().int().nonnegative().nullable().default(null),
  rawOptions: z.array(z.string()).default([]),
});

export const FIRST_PARTY_BACKENDS = ['no-operation', 'daemonize', 'lsf', 'pbs', 'slurm'] as const;
export type FirstPartyBackend = (typeof FIRST_PARTY_BACKENDS)[number];

/** The schema of each first-party backend's build process, by backend name. */
export const FIRST_PARTY_BUILD_PROCESS_SCHEMAS = {
  'no-operation': NoOperationSchema,
  daemonize: DaemonizeSchema,
  lsf: LsfSchema,
  pbs: PbsSchema,
  slurm: SlurmSchema,
} as const satisfies Record<FirstPartyBackend, z.ZodType>;

/** Lowercase words joined by `-`, optionally `scope/name`; never a first-party name. */
export const PLUGIN_BACKEND_NAME_PATTERN = new RegExp(
  `^(?!(?:${FIRST_PARTY_BACKENDS.join('|')})$)[a-z][a-z0-9-]*(?:/[a-z][a-z0-9-]*)?$`,
);

/**
 * A build process of a third-party backend: its name plus its own parameters (free JSON). The
 * server rejects the names of backends it does not have.
 */
export const PluginBuildProcessSchema = z
  .object({
    backend: z.string().regex(PLUGIN_BACKEND_NAME_PATTERN, {
      message: 'must be a lowercase backend name (first-party names use their own schema)',
      abort: true,
    }),
    host: HostSchema.optional(),
  })
  .catchall(JsonValueSchema);

/**
 * How a node runs: `{backend, ...params}`. First-party backends are checked against their own
 * schema; any other lowercase name is a plugin's. `validateWorkflowSpec` reports the errors of
 * the schema the `backend` field picks (a bare union would say only "Invalid input").
 */
export const BuildProcessSchema = z.union([
  z.discriminatedUnion('backend', [
    NoOperationSchema,
    DaemonizeSchema,
    LsfSchema,
    PbsSchema,
    SlurmSchema,
  ]),
  PluginBuildProcessSchema,
]);

export type NoOperationSpec = z.output<typeof NoOperationSchema>;
export type DaemonizeSpec = z.output<typeof DaemonizeSchema>;
export type LsfSpec = z.output<typeof LsfSchema>;
export type PbsSpec = z.output<typeof PbsSchema>;
export type SlurmSpec = z.output<typeof SlurmSchema>;
export type PluginBuildProcessSpec = z.output<typeof PluginBuildProcessSchema>;
export type BuildProcessSpec = z.output<typeof BuildProcessSchema>;
