import { invalidArgument, WorkflowValidationError } from '../errors.js';
import type { WorkflowNode } from '../node/workflow-node.js';
import { productSpecOf } from '../product/product.js';
import { validateWorkflowSpec } from '../wire/validate-workflow-spec.js';
import type { WorkflowSpec, WorkflowSpecInput } from '../wire/workflow-spec-schema.js';
import { WORKFLOW_SPEC_VERSION } from '../wire/workflow-spec-schema.js';
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
 * activates the root, and returns the canonical, validated `WorkflowSpec`. Unnamed nodes are
 * named after their id. Throws `WorkflowValidationError` (naming each node and field) when a
 * part of the workflow breaks the wire format.
 *
 * @example
 * const spec = toWorkflowSpec(root, { addTags: ['nightly'] });
 * await fetch(url, { method: 'POST', body: JSON.stringify(spec) });
 */
export function toWorkflowSpec(
  root: WorkflowNode,
  options: ToWorkflowSpecOptions = {},
): WorkflowSpec {
  const prefix = options.idPrefix ?? newNodeIdPrefix();
  if (!/^[A-Za-z0-9._:@+-]{0,180}$/.test(prefix)) {
    invalidArgument(
      'toWorkflowSpec',
      `bad idPrefix ${JSON.stringify(prefix)} (up to 180 of: letters, digits, . _ : @ + -)`,
    );
  }
  const nodes = walkWorkflow(root);
  const idOf = new Map(nodes.map((node, i) => [node, `${prefix}${i + 1}`]));
  const addTags = options.addTags ?? [];
  const idsOf = (node: WorkflowNode, kind: WorkflowNode['edges'][number]['kind']): string[] =>
    node.edges.filter((e) => e.kind === kind).map((e) => idOf.get(e.node)!);

  const document: WorkflowSpecInput = {
    version: WORKFLOW_SPEC_VERSION,
    root: idOf.get(root)!,
    nodes: nodes.map((node) => {
      const id = idOf.get(node)!;
      return {
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
    }),
  };
  const result = validateWorkflowSpec(document);
  if (result.ok) return result.spec;
  const described = result.errors.map((error) => {
    const index = /^\/nodes\/(\d+)/.exec(error.pointer)?.[1];
    const node = index === undefined ? undefined : nodes[Number(index)];
    return node === undefined
      ? error
      : { ...error, message: `node ${JSON.stringify(node.name ?? node.id)}: ${error.message}` };
  });
  throw new WorkflowValidationError('The workflow breaks the wire format:', described);
}
