import type { EngineNode } from '../core/engine-node.js';
import type { Store } from '../ports/store.js';

/**
 * What `Engine.start()` needs from the store: every unfinished node, and how the finished nodes
 * they wait for (`dependsOn`, `equivalentTo`) ended.
 */
export async function loadForRecovery(store: Store): Promise<{
  readonly loaded: readonly EngineNode[];
  readonly outcomes: ReadonlyMap<string, 'successful' | 'failed'>;
}> {
  const loaded = await store.loadUnfinished();
  const ids = new Set(loaded.map((n) => n.id));
  const missing = new Set<string>();
  for (const node of loaded) {
    for (const dep of node.spec.dependsOn) if (!ids.has(dep)) missing.add(dep);
    if (node.equivalentTo !== null && !ids.has(node.equivalentTo)) missing.add(node.equivalentTo);
  }
  const outcomes = new Map<string, 'successful' | 'failed'>();
  if (missing.size > 0) {
    for (const dep of await store.getNodes([...missing])) {
      if (dep.state.kind === 'finished') outcomes.set(dep.id, dep.state.outcome);
    }
  }
  return { loaded, outcomes };
}
