import type { EngineNode } from './engine-node.js';
import { awaitedIds } from './activation-change.js';
import { breadthFirst, pushTo } from './breadth-first.js';

/**
 * The ids of `kill --recursive`: the given ids, then every node that transitively waits for one
 * of them through `dependsOn` (or `equivalentTo`), breadth-first, without duplicates.
 * `nodes` must hold every node that could depend on them (finished ones may be left out: killing
 * them is a no-op anyway).
 *
 * @example dependentsClosure(['align'], nodes) // ['align', 'call-variants', 'report']
 */
export function dependentsClosure(ids: Iterable<string>, nodes: Iterable<EngineNode>): string[] {
  const dependents = new Map<string, string[]>();
  for (const node of nodes) {
    for (const awaited of awaitedIds(node)) pushTo(dependents, awaited, node.id);
  }
  return breadthFirst(ids, (id) => dependents.get(id) ?? []);
}
