import type { EngineNode } from '../core/engine-node.js';
import { simpleStatusOf } from '../core/simple-status.js';
import type { NodeFilter } from '../ports/store.js';

/**
 * Whether a node matches a `NodeFilter` (the reference semantics every store implements).
 * Set fields are ANDed. An empty `status`, `states` or `ids` list selects nothing; an empty
 * `tags` list selects everything (a node has all of no tags). `nameContains` compares with
 * `toLowerCase` on both sides; `idPrefix` is case-sensitive. Time bounds are inclusive.
 */
export function matchesNodeFilter(node: EngineNode, filter: NodeFilter): boolean {
  if (filter.status !== undefined && !filter.status.includes(simpleStatusOf(node.state))) {
    return false;
  }
  if (filter.states !== undefined && !filter.states.includes(node.state.kind)) return false;
  if (filter.tags !== undefined && !filter.tags.every((tag) => node.spec.tags.includes(tag))) {
    return false;
  }
  if (
    filter.nameContains !== undefined &&
    !node.spec.name.toLowerCase().includes(filter.nameContains.toLowerCase())
  ) {
    return false;
  }
  if (filter.idPrefix !== undefined && !node.id.startsWith(filter.idPrefix)) return false;
  if (filter.ids !== undefined && !filter.ids.includes(node.id)) return false;
  if (filter.workflowId !== undefined && node.workflowId !== filter.workflowId) return false;
  if (filter.createdAfter !== undefined && node.createdAt < filter.createdAfter) return false;
  if (filter.createdBefore !== undefined && node.createdAt > filter.createdBefore) return false;
  if (filter.updatedAfter !== undefined && node.updatedAt < filter.updatedAfter) return false;
  if (filter.updatedBefore !== undefined && node.updatedAt > filter.updatedBefore) return false;
  if (filter.activatedByUser !== undefined && node.spec.active !== filter.activatedByUser) {
    return false;
  }
  return true;
}
