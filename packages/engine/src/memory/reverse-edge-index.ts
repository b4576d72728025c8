import type { NodeSpec } from '@ketrew/edsl';

/** The reverse edges of one node: who names it, and through which kind of edge. */
export interface ReverseEdges {
  readonly dependedOnBy: readonly string[];
  readonly activatedOnSuccessOf: readonly string[];
  readonly activatedOnFailureOf: readonly string[];
}

type EdgeKind = keyof ReverseEdges;

/** Target id → the ids of the nodes whose spec names it, by edge kind. Specs never change. */
export class ReverseEdgeIndex {
  readonly #byTarget = new Map<string, Record<EdgeKind, Set<string>>>();

  add(id: string, spec: NodeSpec): void {
    for (const target of spec.dependsOn) this.#slot(target).dependedOnBy.add(id);
    for (const target of spec.onSuccessActivate) this.#slot(target).activatedOnSuccessOf.add(id);
    for (const target of spec.onFailureActivate) this.#slot(target).activatedOnFailureOf.add(id);
  }

  /** The ids naming `target`, each list sorted ascending. */
  get(target: string): ReverseEdges {
    const slot = this.#byTarget.get(target);
    return {
      dependedOnBy: sorted(slot?.dependedOnBy),
      activatedOnSuccessOf: sorted(slot?.activatedOnSuccessOf),
      activatedOnFailureOf: sorted(slot?.activatedOnFailureOf),
    };
  }

  #slot(target: string): Record<EdgeKind, Set<string>> {
    let slot = this.#byTarget.get(target);
    if (slot === undefined) {
      slot = {
        dependedOnBy: new Set(),
        activatedOnSuccessOf: new Set(),
        activatedOnFailureOf: new Set(),
      };
      this.#byTarget.set(target, slot);
    }
    return slot;
  }
}

function sorted(ids: ReadonlySet<string> | undefined): string[] {
  return ids === undefined ? [] : [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}
