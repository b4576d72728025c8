import { noOperation } from '../build-process/no-operation.js';
import type { Condition } from '../condition/condition.js';
import { invalidArgument } from '../errors.js';
import type { Product } from '../product/product.js';
import { parseOptions } from '../util/parse-options.js';
import type { BuildProcessSpec } from '../wire/build-process-schema.js';
import { NodeSpecSchema } from '../wire/node-spec-schema.js';
import type {
  Equivalence,
  FailureReasonKind,
  Resources,
  RetryPolicy,
} from '../wire/node-spec-schema.js';
import type { JsonValue } from '../wire/primitive-schemas.js';
import type { WorkflowEdge } from './workflow-edge.js';

/** What a node's success means: its product is there (default), nothing, or a condition. */
export type Ensures = 'product-is-done' | 'nothing' | Condition;

/** When and how a failed node is tried again. */
export interface RetryOptions {
  /** At most this many attempts in total (1 = no retry). */
  readonly attempts: number;
  /** Reasons that trigger a retry. Default: all but `killed` and `dependency-failed`. */
  readonly on?: readonly FailureReasonKind[] | undefined;
  /** Delay before attempt n+1: `min(initial * factor^(n-1), max)` seconds; default 10, 2, 600. */
  readonly backoff?:
    | {
        readonly initial?: number | undefined;
        readonly factor?: number | undefined;
        readonly max?: number | undefined;
      }
    | undefined;
}

export interface WorkflowNodeOptions {
  /** Display name. Default: the id the node gets at submission. */
  readonly name?: string | undefined;
  /** How the node runs. Default `noOperation()`. */
  readonly make?: BuildProcessSpec | undefined;
  /** When the node counts as done. Default `'product-is-done'`: the product's `isDone`. */
  readonly ensures?: Ensures | undefined;
  /** `dependsOn(n)`, `onSuccessActivate(n)`, `onFailureActivate(n)`. Default none. */
  readonly edges?: readonly WorkflowEdge[] | undefined;
  readonly tags?: readonly string[] | undefined;
  /** Free JSON (a string is stored as a JSON string). Default `null`. */
  readonly metadata?: JsonValue | undefined;
  /**
   * `'same-active-condition'` (default): merged at submission into a passive or active node with
   * the same condition, so two workflows needing the same file build it once. `'none'`: never.
   */
  readonly equivalence?: Equivalence | undefined;
  /** Activated at submission. Default false (submission activates the root). */
  readonly active?: boolean | undefined;
  /** Retry policy. Default: no retry. */
  readonly retry?: RetryOptions | undefined;
  /** Wall limit in seconds; past it the job is killed (reason `timeout`). Default none. */
  readonly timeout?: number | undefined;
  /** CPU cores (default 1) and megabytes of memory (default unspecified) the job needs. */
  readonly resources?:
    { readonly cpus?: number | undefined; readonly memory?: number | undefined } | undefined;
}

/**
 * A step of a workflow, typed by its product. Immutable; its options are validated (and their
 * defaults filled in) when it is made.
 */
export interface WorkflowNode<P extends Product = Product> {
  /** Identity in this process, for display before submission; submission gives fresh ids. */
  readonly id: string;
  /** The given name; `undefined` = named after its id at submission. */
  readonly name: string | undefined;
  readonly product: P;
  readonly make: BuildProcessSpec;
  /** The resolved `ensures`: `null` = nothing to check. */
  readonly condition: Condition | null;
  readonly edges: readonly WorkflowEdge[];
  readonly tags: readonly string[];
  readonly metadata: JsonValue;
  readonly equivalence: Equivalence;
  readonly active: boolean;
  readonly retry: RetryPolicy | null;
  readonly timeout: number | null;
  readonly resources: Resources;
}

const NodeOptionsSchema = NodeSpecSchema.pick({
  name: true,
  active: true,
  tags: true,
  metadata: true,
  equivalence: true,
  retry: true,
  timeout: true,
  resources: true,
}).partial({ name: true });

const OPTION_NAMES: ReadonlySet<string> = new Set<keyof WorkflowNodeOptions>([
  'name',
  'make',
  'ensures',
  'edges',
  'tags',
  'metadata',
  'equivalence',
  'active',
  'retry',
  'timeout',
  'resources',
]);

let nodesMade = 0;

/**
 * A workflow node (the original's `workflow_node`): a product, how to make it, and its edges.
 * Throws `invalid-argument` naming the bad option.
 *
 * @example
 * const sorted = workflowNode(singleFile('/data/x.sorted.bam'), {
 *   name: 'sort x',
 *   make: daemonize(Program.shf('samtools sort -o %S %S', '/data/x.sorted.bam', raw.product.path)),
 *   edges: [dependsOn(raw)],
 * });
 */
export function workflowNode<P extends Product>(
  product: P,
  options: WorkflowNodeOptions = {},
): WorkflowNode<P> {
  const where = `workflowNode${options.name === undefined ? '' : ` "${options.name}"`}`;
  if (typeof product !== 'object' || product === null || !('isDone' in product)) {
    invalidArgument(where, 'the product must be an object with an "isDone" field');
  }
  for (const key of Object.keys(options)) {
    if (!OPTION_NAMES.has(key)) invalidArgument(where, `${key}: unknown field "${key}"`);
  }
  const parsed = parseOptions(
    NodeOptionsSchema,
    {
      name: options.name,
      active: options.active,
      tags: options.tags === undefined ? undefined : [...options.tags],
      metadata: options.metadata,
      equivalence: options.equivalence,
      retry: options.retry === undefined ? undefined : copyRetry(options.retry),
      timeout: options.timeout,
      resources: options.resources === undefined ? undefined : { ...options.resources },
    },
    where,
  );
  const edges = Object.freeze([...(options.edges ?? [])]);
  for (const edge of edges) {
    if (typeof edge?.node?.id !== 'string') {
      invalidArgument(
        where,
        'edges must be made with dependsOn, onSuccessActivate or onFailureActivate',
      );
    }
  }
  return Object.freeze({
    id: `node-${++nodesMade}`,
    name: parsed.name,
    product,
    make: options.make ?? noOperation(),
    condition: resolveEnsures(options.ensures ?? 'product-is-done', product, where),
    edges,
    tags: Object.freeze(parsed.tags),
    metadata: parsed.metadata,
    equivalence: parsed.equivalence,
    active: parsed.active,
    retry: parsed.retry,
    timeout: parsed.timeout,
    resources: parsed.resources,
  });
}

function resolveEnsures(ensures: Ensures, product: Product, where: string): Condition | null {
  if (ensures === 'product-is-done') return product.isDone ?? null;
  if (ensures === 'nothing') return null;
  if (typeof ensures !== 'object' || ensures === null || typeof ensures.kind !== 'string') {
    return invalidArgument(where, `ensures must be 'product-is-done', 'nothing' or a Condition`);
  }
  return ensures;
}

function copyRetry(retry: RetryOptions): unknown {
  return {
    ...retry,
    on: retry.on === undefined ? undefined : [...retry.on],
    backoff: retry.backoff === undefined ? undefined : { ...retry.backoff },
  };
}
