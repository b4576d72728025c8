import { awaitedIds } from '../core/activation-change.js';
import type { EngineNode } from '../core/engine-node.js';
import { dependentsClosure } from '../core/dependents-closure.js';
import { restartSubtree } from '../core/restart-subtree.js';
import type { Store } from '../ports/store.js';
import type { TickProcessor } from './tick-processor.js';

/**
 * The nodes a restart concerns, from memory or the store: the given ids and, with `subtree`,
 * the finished nodes that failed with `dependency-failed` because of them, transitively (see
 * `restartSubtree`); plus the outcomes of the finished nodes they wait for, so their counters
 * can be rebuilt. Unknown ids are skipped.
 */
export async function loadRestartTargets(
  store: Store,
  inMemory: ReadonlyMap<string, EngineNode>,
  ids: readonly string[],
  subtree: boolean,
): Promise<{
  readonly targets: readonly EngineNode[];
  readonly outcomes: ReadonlyMap<string, 'successful' | 'failed'>;
}> {
  const known = new Map<string, EngineNode>();
  const fetch = async (wanted: readonly string[]): Promise<EngineNode[]> => {
    const missing = wanted.filter((id) => !known.has(id) && !inMemory.has(id));
    for (const node of missing.length === 0 ? [] : await store.getNodes(missing)) {
      known.set(node.id, node);
    }
    const found: EngineNode[] = [];
    for (const id of wanted) {
      const node = inMemory.get(id) ?? known.get(id);
      if (node !== undefined) {
        known.set(id, node);
        found.push(node);
      }
    }
    return found;
  };

  let order = (await fetch([...new Set(ids)])).map((n) => n.id);
  if (subtree) {
    const queue = [...order];
    for (let i = 0; i < queue.length; i++) {
      const cause = queue[i] as string;
      const { dependedOnBy } = await store.getReverseEdges(cause);
      for (const dependent of await fetch(dependedOnBy)) {
        const state = dependent.state;
        const because =
          state.kind === 'finished' &&
          state.reason?.kind === 'dependency-failed' &&
          state.reason.ids.includes(cause);
        if (because && !queue.includes(dependent.id)) queue.push(dependent.id);
      }
    }
    order = restartSubtree(order, known.values());
  }
  const targets = order.map((id) => known.get(id) as EngineNode);

  const targetIds = new Set(order);
  const deps = [...new Set(targets.flatMap((n) => awaitedIds(n)))].filter(
    (id) => !targetIds.has(id),
  );
  const outcomes = new Map<string, 'successful' | 'failed'>();
  for (const dep of await fetch(deps)) {
    if (dep.state.kind === 'finished' && !inMemory.has(dep.id))
      outcomes.set(dep.id, dep.state.outcome);
  }
  return { targets, outcomes };
}

/**
 * Bring the nodes of a restart into the engine's memory (with the outcomes of what they wait
 * for) and return the ids to send `restart` to: the finished ones.
 */
export async function prepareRestart(
  store: Store,
  processor: TickProcessor,
  ids: readonly string[],
  subtree: boolean,
): Promise<string[]> {
  const { targets, outcomes } = await loadRestartTargets(store, processor.nodes, ids, subtree);
  for (const [id, outcome] of outcomes) processor.rememberOutcome(id, outcome);
  processor.adopt(targets.filter((n) => !processor.nodes.has(n.id)));
  return targets.filter((n) => n.state.kind === 'finished').map((n) => n.id);
}

/**
 * The nodes in memory a kill goes to: the ids, and with `recursive` every node that waits for
 * them, transitively (finished nodes are no longer in memory: killing them does nothing).
 */
export function killTargets(
  ids: readonly string[],
  recursive: boolean,
  nodes: ReadonlyMap<string, EngineNode>,
): string[] {
  const targets = recursive ? dependentsClosure(ids, nodes.values()) : [...new Set(ids)];
  return targets.filter((id) => nodes.has(id));
}
