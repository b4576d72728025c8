import type { NodeSpec } from '@ketrew/edsl';
import type { EngineNode } from './engine-node.js';
import { PASSIVE } from './constant-states.js';

export interface CreateEngineNodeOptions {
  /** The id of the node this one was merged into (see `mergeEquivalent`). Default `null`. */
  readonly equivalentTo?: string | null | undefined;
}

/**
 * A newly submitted node: `passive`, attempt 1, no errors. Nodes whose spec says `active: true`
 * are activated by the runtime right after insertion, with an `activate` event
 * (`by: { kind: 'user' }`), so that the activation's commands come out of `transition` like any
 * other. The node is frozen (its spec is not touched: a validated spec is frozen already).
 *
 * @example createEngineNode(spec, 'wf-1', 1_700_000_000_000)
 */
export function createEngineNode(
  spec: NodeSpec,
  workflowId: string,
  time: number,
  options: CreateEngineNodeOptions = {},
): EngineNode {
  return Object.freeze({
    id: spec.id,
    workflowId,
    spec,
    state: PASSIVE,
    attempt: 1,
    successiveErrors: 0,
    equivalentTo: options.equivalentTo ?? null,
    createdAt: time,
    updatedAt: time,
  });
}
