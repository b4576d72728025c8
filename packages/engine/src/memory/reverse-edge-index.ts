import type { NodeSpec } from '@ketrew/edsl';

/** The reverse edges of one node: who names it, and through which kind of edge. */
export interface ReverseEdges {
  readonly dependedOnBy: readonly string[];
  readonly activatedOnSuccessOf: readonly string[];
  readonly activatedOnFailureOf: readonly string[];
}

/**
 * Target id → the ids of the nodes whose spec names it, by edge kind. Specs never change, and a
 * node is added once: a list per target and kind (most targets are named once, and a set each
 * would cost several times the memory of a 100,000-node workflow's edges).
 */
export class ReverseEdgeIndex {
  readonly #dependedOnBy = new Map<string, string[]>();
  readonly #activatedOnSuccessOf = new Map<string, string[]>();
  readonly #activatedOnFailureOf = new Map<string, string[]>();

  /** Index a node's edges. Call once per node id. */
  add(id: string, spec: NodeSpec): void {
    addAll(this.#dependedOnBy, spec.dependsOn, id);
    addAll(this.#activatedOnSuccessOf, spec.onSuccessActivate, id);
    addAll(this.#activatedOnFailureOf, spec.onFailureActivate, id);
  }

  /** The ids naming `target`, each list sorted ascending. */
  get(target: string): ReverseEdges {
    return {
      dependedOnBy: sorted(this.#dependedOnBy.get(target)),
      activatedOnSuccessOf: sorted(this.#activatedOnSuccessOf.get(target)),
      activatedOnFailureOf: sorted(this.#activatedOnFailureOf.get(target)),
    };
  }
}

function addAll(index: Map<string, string[]>, targets: readonly string[], id: string): void {
  for (const target of targets) {
    const ids = index.get(target);
    if (ids === undefined) index.set(target, [id]);
    // A spec naming a target twice: this node's id is the last one added for it.
    else if (ids[ids.length - 1] !== id) ids.push(id);
  }
}

function sorted(ids: readonly string[] | undefined): string[] {
  return ids === undefined ? [] : [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
