import type { ConditionSpec, NodeSpec } from '@ketrew/edsl';
import type { EngineNode } from './engine-node.js';
import { conditionKey } from './condition-key.js';

/** States a node may be merged into: it has not started anything yet. */
const MERGEABLE_STATES: ReadonlySet<string> = new Set(['passive', 'active', 'building']);

/**
 * Equivalence at submission (`equivalence: 'same-active-condition'`): which new nodes are
 * merged into which existing ones. A new node is merged into a candidate when both have
 * `same-active-condition`, the same condition (`conditionKey`, host included), the candidate is
 * passive, active or building and not itself merged, and the condition can ever hold (a
 * condition containing `never` means "always run", not a shared product). Among several
 * candidates the oldest wins (then the smallest id). New nodes are never merged into one another
 * or into a node of the same submission.
 *
 * The runtime creates each merged node with `createEngineNode(spec, workflowId, time,
 * { equivalentTo })`; it then runs nothing itself and ends with the outcome of that node.
 *
 * @example mergeEquivalent(workflow.nodes, await store.findEquivalent(keys)) // Map { 'n2' => 'old-7' }
 */
export function mergeEquivalent(
  newNodes: readonly NodeSpec[],
  candidates: Iterable<EngineNode>,
): Map<string, string> {
  const newIds = new Set(newNodes.map((spec) => spec.id));
  const best = new Map<string, EngineNode>();
  for (const candidate of candidates) {
    const key = mergeKey(candidate.spec);
    if (
      key === null ||
      newIds.has(candidate.id) ||
      candidate.equivalentTo !== null ||
      !MERGEABLE_STATES.has(candidate.state.kind)
    ) {
      continue;
    }
    const current = best.get(key);
    if (current === undefined || isOlder(candidate, current)) best.set(key, candidate);
  }
  const merged = new Map<string, string>();
  for (const spec of newNodes) {
    const key = mergeKey(spec);
    const target = key === null ? undefined : best.get(key);
    if (target !== undefined) merged.set(spec.id, target.id);
  }
  return merged;
}

function mergeKey(spec: NodeSpec): string | null {
  if (spec.equivalence !== 'same-active-condition' || spec.condition === null) return null;
  return canNeverHold(spec.condition) ? null : conditionKey(spec.condition);
}

function canNeverHold(condition: ConditionSpec): boolean {
  if (condition.kind === 'never') return true;
  return condition.kind === 'and' && condition.conditions.some(canNeverHold);
}

function isOlder(a: EngineNode, b: EngineNode): boolean {
  return a.createdAt !== b.createdAt ? a.createdAt < b.createdAt : a.id < b.id;
}
