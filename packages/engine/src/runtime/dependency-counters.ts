/** What a node waits for: its `dependsOn`, plus the node it is equivalent to. */
export type DependencyState = 'unfinished' | 'successful' | 'failed';

interface Wait {
  readonly deps: readonly string[];
  remaining: number;
  failed: string[];
}

/** Where a node stands with respect to its dependencies. */
export type Readiness =
  | { readonly kind: 'waiting' }
  | { readonly kind: 'ready' }
  | { readonly kind: 'failed'; readonly ids: readonly string[] };

/**
 * Per-node counters of unfinished dependencies, with the reverse edges, so that a node finishing
 * costs O(its dependents) and never a scan of the graph.
 */
export class DependencyCounters {
  readonly #waits = new Map<string, Wait>();
  /** Reverse edges: one dependent as a string (most nodes), several as a set. */
  readonly #dependents = new Map<string, string | Set<string>>();

  get size(): number {
    return this.#waits.size;
  }

  /** Start counting for `id`; `stateOf` tells where each dependency stands now. */
  track(id: string, deps: readonly string[], stateOf: (dep: string) => DependencyState): void {
    this.untrack(id);
    // Waiting for nothing is the same as not being counted (`readiness` says ready): most nodes.
    if (deps.length === 0) return;
    const wait: Wait = { deps, remaining: 0, failed: [] };
    for (const dep of deps) {
      const dependents = this.#dependents.get(dep);
      if (dependents === undefined) this.#dependents.set(dep, id);
      else if (typeof dependents === 'string') {
        if (dependents !== id) this.#dependents.set(dep, new Set([dependents, id]));
      } else dependents.add(id);
      const state = stateOf(dep);
      if (state === 'unfinished') wait.remaining++;
      else if (state === 'failed') wait.failed.push(dep);
    }
    this.#waits.set(id, wait);
  }

  untrack(id: string): void {
    const wait = this.#waits.get(id);
    if (wait === undefined) return;
    this.#waits.delete(id);
    for (const dep of wait.deps) {
      const dependents = this.#dependents.get(dep);
      if (dependents === id) this.#dependents.delete(dep);
      else if (typeof dependents === 'object') {
        dependents.delete(id);
        if (dependents.size === 0) this.#dependents.delete(dep);
      }
    }
  }

  readiness(id: string): Readiness {
    const wait = this.#waits.get(id);
    if (wait === undefined) return { kind: 'ready' };
    if (wait.failed.length > 0) return { kind: 'failed', ids: wait.failed };
    return wait.remaining === 0 ? { kind: 'ready' } : { kind: 'waiting' };
  }

  /** `dep` finished: update its dependents and return them. */
  finished(dep: string, outcome: 'successful' | 'failed'): readonly string[] {
    const found = this.#dependents.get(dep);
    if (found === undefined) return [];
    const dependents = typeof found === 'string' ? [found] : [...found];
    for (const id of dependents) {
      const wait = this.#waits.get(id);
      if (wait === undefined) continue;
      wait.remaining--;
      if (outcome === 'failed') wait.failed.push(dep);
    }
    return dependents;
  }

  /** `dep` was restarted: its dependents wait for it again. */
  reopened(dep: string): void {
    const found = this.#dependents.get(dep) ?? [];
    for (const id of typeof found === 'string' ? [found] : found) {
      const wait = this.#waits.get(id);
      if (wait === undefined) continue;
      wait.remaining++;
      wait.failed = wait.failed.filter((f) => f !== dep);
    }
  }
}
