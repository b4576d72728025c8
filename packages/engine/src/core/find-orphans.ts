import type { EngineNode } from './engine-node.js';
import { awaitedIds } from './activation-change.js';
import { breadthFirst } from './breadth-first.js';

/**
 * The passive nodes nothing can activate any more (e.g. the on-failure branch of a node that
 * succeeded), to be sent `orphaned`. A passive node is kept if it can be reached from a live
 * node (neither passive nor finished), or from a passive node the user is about to activate
 * (`spec.active`), through `dependsOn`, `onSuccessActivate`, `onFailureActivate` or
 * `equivalentTo`, passing through passive nodes only.
 *
 * Contract: `nodes` must hold every node that is not finished (finished ones may be left out).
 * The answer holds until something restarts a finished node. Order: as in `nodes`.
 *
 * @example findOrphans(await store.loadUnfinished()) // ['notify-failure']
 */
export function findOrphans(nodes: Iterable<EngineNode>): string[] {
  const byId = new Map<string, EngineNode>();
  for (const node of nodes) byId.set(node.id, node);
  const sources = [...byId.values()]
    .filter((node) => isLive(node) || (node.state.kind === 'passive' && node.spec.active))
    .map((node) => node.id);
  const reachable = new Set(
    breadthFirst(sources, (id) => {
      const node = byId.get(id);
      if (node === undefined) return [];
      const { onSuccessActivate, onFailureActivate } = node.spec;
      return [...awaitedIds(node), ...onSuccessActivate, ...onFailureActivate].filter(
        (target) => byId.get(target)?.state.kind === 'passive',
      );
    }),
  );
  return [...byId.values()]
    .filter((node) => node.state.kind === 'passive' && !reachable.has(node.id))
    .map((node) => node.id);
}

function isLive(node: EngineNode): boolean {
  return node.state.kind !== 'passive' && node.state.kind !== 'finished';
}
