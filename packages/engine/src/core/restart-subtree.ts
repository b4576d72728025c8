import type { EngineNode } from './engine-node.js';
import { breadthFirst, pushTo } from './breadth-first.js';

/**
 * The ids of `restart --subtree`: the given ids, then the finished nodes that failed with
 * `dependency-failed` naming one of them, transitively, breadth-first. Restarting them all lets
 * the whole failed branch run again once the cause is fixed.
 *
 * @example restartSubtree(['fetch'], nodes) // ['fetch', 'align', 'report']
 */
export function restartSubtree(ids: Iterable<string>, nodes: Iterable<EngineNode>): string[] {
  const failedBecauseOf = new Map<string, string[]>();
  for (const node of nodes) {
    const state = node.state;
    if (state.kind !== 'finished' || state.reason?.kind !== 'dependency-failed') continue;
    for (const cause of state.reason.ids) pushTo(failedBecauseOf, cause, node.id);
  }
  return breadthFirst(ids, (id) => failedBecauseOf.get(id) ?? []);
}
