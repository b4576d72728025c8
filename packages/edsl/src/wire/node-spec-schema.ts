import { z } from 'zod';
import { BuildProcessSchema } from './build-process-schema.js';
import { ConditionSchema } from './condition-schema.js';
import { IdentifierSchema, JsonValueSchema } from './primitive-schemas.js';
import { ProductSchema } from './product-schema.js';

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

/** The reasons that trigger a retry when a policy does not list them. */
export const DEFAULT_RETRY_REASONS = [
  'non-zero-exit',
  'timeout',
  'lost',
  'start-failed',
  'condition-not-ensured',
  'backend-error',
] as const;

export const RetryPolicySchema = z.strictObject({
  /** At most this many attempts in total (1 = no retry). */
  attempts: z.number().int().min(1).max(1000),
  /** Reasons that trigger a retry; default: every reason but `killed` and `dependency-failed`. */
  on: z.array(FailureReasonKindSchema).default([...DEFAULT_RETRY_REASONS]),
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

export const EquivalenceSchema = z.enum(['same-active-condition', 'none']);

/** One node of a workflow, flattened: edges are lists of node ids. */
export const NodeSpecSchema = z.strictObject({
  id: IdentifierSchema,
  name: z.string().min(1),
  /** Whether the node is activated at submission (the root is). */
  active: z.boolean().default(false),
  tags: z.array(z.string().min(1)).default([]),
  metadata: JsonValueSchema.default(null),
  product: ProductSchema.default({ kind: 'none' }),
  /** When the node counts as done; `null` = nothing to check (run it; success if it succeeds). */
  condition: ConditionSchema.nullable().default(null),
  /** The build process: `{backend, ...params}`. */
  make: BuildProcessSchema.default({ backend: 'no-operation' }),
  dependsOn: z.array(IdentifierSchema).default([]),
  onSuccessActivate: z.array(IdentifierSchema).default([]),
  onFailureActivate: z.array(IdentifierSchema).default([]),
  equivalence: EquivalenceSchema.default('same-active-condition'),
  retry: RetryPolicySchema.nullable().default(null),
  /** Wall limit in seconds; the job is killed with reason `timeout` past it. */
  timeout: z.number().positive().nullable().default(null),
  resources: ResourcesSchema.default({ cpus: 1, memory: null }),
});

export type FailureReasonKind = z.output<typeof FailureReasonKindSchema>;
export type RetryPolicy = z.output<typeof RetryPolicySchema>;
export type Resources = z.output<typeof ResourcesSchema>;
export type Equivalence = z.output<typeof EquivalenceSchema>;
export type NodeSpec = z.output<typeof NodeSpecSchema>;
