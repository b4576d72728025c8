import { z } from 'zod';

/**
 * The workflow wire format, version 1: the contract between the EDSL, the server, the CLI and
 * third-party clients. This schema is the single source of truth: the TypeScript types, the
 * validator and the shipped JSON Schema are all derived from it. See docs/wire-format.md.
 *
 * Every object is strict (unknown fields are errors). Optional fields have documented defaults,
 * filled in by validation, so the validated form is canonical.
 */

const absolutePath = z
  .string()
  .min(1)
  .refine((p) => p.startsWith('/'), { message: 'must be an absolute path (start with "/")' });

const identifier = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9._:@+-]+$/, 'may contain only letters, digits and . _ : @ + -');

/** A free JSON value (node metadata). */
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
export type JsonValue =
  null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export const ConnectionSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('localhost') }),
  z.strictObject({
    kind: z.literal('ssh'),
    address: z.string().min(1),
    port: z.number().int().min(1).max(65535).nullable().default(null),
    user: z.string().min(1).nullable().default(null),
    sshOptions: z.array(z.string()).default([]),
  }),
]);

/** Where commands run and files live. */
export const HostSchema = z.strictObject({
  /** Display name; the EDSL uses the host URI. */
  name: z.string().min(1),
  connection: ConnectionSchema,
  /** Directory where the engine creates each run's playground; `null` = no playground. */
  playground: absolutePath.nullable().default(null),
  /** How a shell command string is run, e.g. `["sh", "-c"]` or `["bash", "-l", "-c"]`. */
  shell: z.array(z.string().min(1)).min(1).default(['sh', '-c']),
  /** Timeout in seconds for each system command sent to this host; `null` = engine default. */
  timeout: z.number().positive().nullable().default(null),
});

export type ProgramSpec =
  | { kind: 'sh'; command: string }
  | { kind: 'exec'; argv: string[] }
  | { kind: 'and'; programs: ProgramSpec[] };

/** A program: shell commands run in sequence, stopping at the first failure. */
export const ProgramSchema: z.ZodType<ProgramSpec> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('sh'), command: z.string() }),
    z.strictObject({ kind: z.literal('exec'), argv: z.array(z.string()).min(1) }),
    z.strictObject({ kind: z.literal('and'), programs: z.array(ProgramSchema) }),
  ]),
);

export type VolumeStructure =
  { kind: 'file'; name: string } | { kind: 'directory'; name: string; children: VolumeStructure[] };

const pathSegment = z
  .string()
  .min(1)
  .refine((s) => !s.includes('/') && s !== '.' && s !== '..', {
    message: 'must be a single path segment (no "/", not "." or "..")',
  });

export const VolumeStructureSchema: z.ZodType<VolumeStructure> = z.lazy(() =>
  z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('file'), name: pathSegment }),
    z.strictObject({
      kind: z.literal('directory'),
      name: pathSegment,
      children: z.array(VolumeStructureSchema),
    }),
  ]),
);

/** Files and directories under `root` on `host`. */
export const VolumeSchema = z.strictObject({
  host: HostSchema,
  root: absolutePath,
  structure: VolumeStructureSchema,
});

export type ConditionSpec =
  | { kind: 'never' }
  | { kind: 'volume-exists'; volume: z.output<typeof VolumeSchema> }
  | { kind: 'volume-size-at-least'; volume: z.output<typeof VolumeSchema>; bytes: number }
  | {
      kind: 'command-returns';
      program: ProgramSpec;
      host: z.output<typeof HostSchema>;
      returns: number;
    }
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

/** What a node produces, as data: for display and for `ensures: 'product-is-done'`. */
export const ProductSchema = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('none') }),
  z.strictObject({ kind: z.literal('single-file'), host: HostSchema, path: absolutePath }),
  z.strictObject({
    kind: z.literal('list-of-files'),
    host: HostSchema,
    paths: z.array(absolutePath),
  }),
  /** A user-defined product: a type name and free data, for display. */
  z.strictObject({
    kind: z.literal('custom'),
    type: z.string().min(1),
    data: JsonValueSchema.default(null),
  }),
]);

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

/** A build process of a third-party backend: its name plus its own parameters. */
export const PluginBuildProcessSchema = z
  .object({
    backend: z
      .string()
      .regex(/^[a-z][a-z0-9-]*(\/[a-z][a-z0-9-]*)?$/, 'must be a lowercase backend name'),
    host: HostSchema.optional(),
  })
  .catchall(JsonValueSchema);

export const FIRST_PARTY_BACKENDS = ['no-operation', 'daemonize', 'lsf', 'pbs', 'slurm'] as const;

export const FailureReasonKindSchema = z.enum([
  'non-zero-exit',
  'killed',
  'timeout',
  'lost',
  'start-failed',
  'condition-not-ensured',
  'dependency-failed',
  'backend-error',
]);

export const RetryPolicySchema = z.strictObject({
  /** At most this many attempts in total (1 = no retry). */
  attempts: z.number().int().min(1).max(1000),
  /** Reasons that trigger a retry; default: every reason but `killed` and `dependency-failed`. */
  on: z
    .array(FailureReasonKindSchema)
    .default([
      'non-zero-exit',
      'timeout',
      'lost',
      'start-failed',
      'condition-not-ensured',
      'backend-error',
    ]),
  /** Delay before attempt n+1: `min(initial * factor^(n-1), max)` seconds. */
  backoff: z
    .strictObject({
      initial: z.number().nonnegative().default(10),
      factor: z.number().min(1).default(2),
      max: z.number().nonnegative().default(600),
    })
    .default({ initial: 10, factor: 2, max: 600 }),
});

export const ResourcesSchema = z.strictObject({
  /** CPU cores the job needs; counted against the host's limit. Default 1. */
  cpus: z.number().int().positive().default(1),
  /** Memory in megabytes; passed to schedulers, counted by the local backend. */
  memory: z.number().int().positive().nullable().default(null),
});

/** One node of a workflow, flattened: edges are lists of node ids. */
export const NodeSpecSchema = z.strictObject({
  id: identifier,
  name: z.string().min(1),
  /** Whether the node is activated at submission (the root is). */
  active: z.boolean().default(false),
  tags: z.array(z.string().min(1)).default([]),
  metadata: JsonValueSchema.default(null),
  product: ProductSchema.default({ kind: 'none' }),
  /** When the node counts as done; `null` = nothing to check (run it; success if it succeeds). */
  condition: ConditionSchema.nullable().default(null),
  /** The build process: `{backend, ...params}`. */
  make: z
    .union([NoOperationSchema, DaemonizeSchema, LsfSchema, PbsSchema, SlurmSchema])
    .or(PluginBuildProcessSchema)
    .default({ backend: 'no-operation' }),
  dependsOn: z.array(identifier).default([]),
  onSuccessActivate: z.array(identifier).default([]),
  onFailureActivate: z.array(identifier).default([]),
  equivalence: z.enum(['same-active-condition', 'none']).default('same-active-condition'),
  retry: RetryPolicySchema.nullable().default(null),
  /** Wall limit in seconds; the job is killed with reason `timeout` past it. */
  timeout: z.number().positive().nullable().default(null),
  resources: ResourcesSchema.default({ cpus: 1, memory: null }),
});

export const WORKFLOW_SPEC_VERSION = 1;

export const WorkflowSpecSchema = z.strictObject({
  version: z.literal(WORKFLOW_SPEC_VERSION),
  /** Id of the root node (activated at submission). */
  root: identifier,
  nodes: z.array(NodeSpecSchema).min(1),
});

export type Host = z.output<typeof HostSchema>;
export type Connection = z.output<typeof ConnectionSchema>;
export type Volume = z.output<typeof VolumeSchema>;
export type ProductSpec = z.output<typeof ProductSchema>;
export type BuildProcessSpec = z.output<typeof NodeSpecSchema>['make'];
export type DaemonizeSpec = z.output<typeof DaemonizeSchema>;
export type LsfSpec = z.output<typeof LsfSchema>;
export type PbsSpec = z.output<typeof PbsSchema>;
export type SlurmSpec = z.output<typeof SlurmSchema>;
export type FailureReasonKind = z.output<typeof FailureReasonKindSchema>;
export type RetryPolicy = z.output<typeof RetryPolicySchema>;
export type Resources = z.output<typeof ResourcesSchema>;
export type NodeSpec = z.output<typeof NodeSpecSchema>;
/** A validated, canonical workflow (every default filled in). */
export type WorkflowSpec = z.output<typeof WorkflowSpecSchema>;
/** What a client may send: optional fields may be left out. */
export type WorkflowSpecInput = z.input<typeof WorkflowSpecSchema>;
