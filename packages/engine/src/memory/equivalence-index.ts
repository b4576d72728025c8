import type { EngineNode } from '../core/engine-node.js';
import type { NodeStateKind } from '../core/node-state.js';

/** The states of a node that has not started anything yet (as in `mergeEquivalent`). */
const MERGEABLE: ReadonlySet<NodeStateKind> = new Set(['passive', 'active', 'building']);

/**
 * Condition key → ids of the nodes a new submission may be merged into: passive, active or
 * building, `equivalence: 'same-active-condition'`, a condition to check, not merged themselves.
 */
export class EquivalenceIndex {
  readonly #idsByKey = new Map<string, Set<string>>();

  /** Whether `findEquivalent` may return this node (its key being `key`). */
  static eligible(node: EngineNode, key: string | null): key is string {
    return (
      key !== null &&
      node.spec.equivalence === 'same-active-condition' &&
      node.equivalentTo === null &&
      MERGEABLE.has(node.state.kind)
    );
  }

  /** Record that `node` (condition key `key`) replaced `previous` (absent on insertion). */
  update(previous: EngineNode | undefined, node: EngineNode, key: string | null): void {
    const was = previous !== undefined && EquivalenceIndex.eligible(previous, key);
    const is = EquivalenceIndex.eligible(node, key);
    if (was === is || key === null) return;
    if (is) {
      let ids = this.#idsByKey.get(key);
      if (ids === undefined) {
        ids = new Set();
        this.#idsByKey.set(key, ids);
      }
      ids.add(node.id);
    } else {
      const ids = this.#idsByKey.get(key);
      ids?.delete(node.id);
      if (ids?.size === 0) this.#idsByKey.delete(key);
    }
  }

  ids(key: string): ReadonlySet<string> {
    return this.#idsByKey.get(key) ?? new Set();
  }
}
