import { invalidArgument, WorkflowValidationError } from '../errors.js';
import type { WorkflowNode } from '../node/workflow-node.js';
import { productSpecOf } from '../product/product.js';
import { isTrusted } from '../util/trusted.js';
import { NodeSpecSchema } from '../wire/node-spec-schema.js';
import type { NodeSpec } from '../wire/node-spec-schema.js';
import type { ValidationIssue } from '../wire/validation-issue.js';
import { workflowGraphIssues } from '../wire/workflow-graph-issues.js';
import type { WorkflowSpec } from '../wire/workflow-spec-schema.js';
import { WORKFLOW_SPEC_VERSION } from '../wire/workflow-spec-schema.js';
import { validationIssuesOf } from '../wire/zod-issues.js';
import { newNodeIdPrefix } from './node-id-prefix.js';
import { walkWorkflow } from './walk-workflow.js';

export interface ToWorkflowSpecOptions {
  /**
   * The ids are this prefix followed by a counter (`<prefix>1` is the root). Default: a fresh
   * random prefix per call (`newNodeIdPrefix()`), so ids are unique across submissions. Give a
   * fixed one for reproducible output (tests, golden files).
   */
  readonly idPrefix?: string | undefined;
  /** Tags added to every node (like `ketrew submit --tag`). */
  readonly addTags?: readonly string[] | undefined;
}

/**
 * Flattens a workflow into the wire format: walks all three kinds of edges from `root`,
 * includes each node once (shared nodes by object identity), gives every node a fresh id,
 * activates the root, and returns the canonical, validated `WorkflowSpec` (which shares frozen
 * parts with the nodes). Unnamed nodes are named after their id. Throws
 * `WorkflowValidationError` (naming each node and field) when a part of the workflow breaks the
 * wire format.
 *
 * Parts made by the EDSL's own builders were validated when made and are not checked again;
 * anything else (a hand-written condition or build process, a user product's `toSpec`) is.
 *
 * @example
 * const spec = toWorkflowSpec(root, { addTags: ['nightly'] });
 * await fetch(url, { method: 'POST', body: JSON.stringify(spec) });
 */
export function toWorkflowSpec(
  root: WorkflowNode,
  options: ToWorkflowSpecOptions = {},
): WorkflowSpec {
  const where = 'toWorkflowSpec';
  const prefix = options.idPrefix ?? newNodeIdPrefix();
  if (!/^[A-Za-z0-9._:@+-]{0,180}$/.test(prefix)) {
    invalidArgument(
      where,
      `bad idPrefix ${JSON.stringify(prefix)} (up to 180 of: letters, digits, . _ : @ + -)`,
    );
  }
  const addTags = options.addTags ?? [];
  if (addTags.some((tag) => typeof tag !== 'string' || tag === '')) {
    invalidArgument(where, 'addTags must be non-empty strings');
  }
  const nodes = walkWorkflow(root);
  const idOf = new Map(nodes.map((node, i) => [node, `${prefix}${i + 1}`]));
  const idsOf = (node: WorkflowNode, kind: WorkflowNode['edges'][number]['kind']): string[] =>
    node.edges.filter((e) => e.kind === kind).map((e) => idOf.get(e.node)!);

  const issues: ValidationIssue[] = [];
  const specs = nodes.map((node, index): NodeSpec => {
    const id = idOf.get(node)!;
    const spec: NodeSpec = {
      id,
      name: node.name ?? id,
      active: node === root || node.active,
      tags: [...new Set([...node.tags, ...addTags])],
      metadata: node.metadata,
      product: productSpecOf(node.product),
      condition: node.condition,
      make: node.make,
      dependsOn: idsOf(node, 'depends-on'),
      onSuccessActivate: idsOf(node, 'on-success-activate'),
      onFailureActivate: idsOf(node, 'on-failure-activate'),
      equivalence: node.equivalence,
      retry: node.retry,
      timeout: node.timeout,
      resources: node.resources,
    };
    const trusted =
      isTrusted(spec.make) &&
      isTrusted(spec.product) &&
      (spec.condition === null || isTrusted(spec.condition));
    if (trusted) return spec;
    const parsed = NodeSpecSchema.safeParse(spec);
    if (parsed.success) return parsed.data;
    issues.push(
      ...validationIssuesOf(parsed.error.issues, spec, ['nodes', index]).map((issue) => ({
        ...issue,
        message: `node ${JSON.stringify(node.name ?? node.id)}: ${issue.message}`,
      })),
    );
    return spec;
  });
  const workflow: WorkflowSpec = {
    version: WORKFLOW_SPEC_VERSION,
    root: idOf.get(root)!,
    nodes: specs,
  };
  issues.push(...workflowGraphIssues(workflow));
  if (issues.length > 0) {
    throw new WorkflowValidationError('The workflow breaks the wire format:', issues);
  }
  return workflow;
}
