import type { ConcurrencyLimiter, SlotClaim } from './concurrency-limiter.js';

interface Group {
  readonly claims: SlotClaim[];
  readonly ids: string[];
  head: number;
}

/**
 * Nodes whose dependencies are all done, waiting for a slot. First in, first out within each
 * (backend, host) group, so a full host never holds back the jobs of another.
 */
export class ReadyQueue {
  readonly #groups = new Map<string, Group>();
  /** The nodes waiting, with their group; a node removed early is skipped lazily. */
  readonly #waiting = new Map<string, string>();

  get size(): number {
    return this.#waiting.size;
  }

  has(nodeId: string): boolean {
    return this.#waiting.has(nodeId);
  }

  push(nodeId: string, claim: SlotClaim): void {
    if (this.#waiting.has(nodeId)) return;
    const key = `${claim.backend}\u0000${claim.host ?? ''}`;
    let group = this.#groups.get(key);
    if (group === undefined) {
      group = { claims: [], ids: [], head: 0 };
      this.#groups.set(key, group);
    }
    group.ids.push(nodeId);
    group.claims.push(claim);
    this.#waiting.set(nodeId, key);
  }

  remove(nodeId: string): void {
    this.#waiting.delete(nodeId);
  }

  /** Take every waiting node that can acquire its slot now (and acquire it), in order. */
  drain(limiter: ConcurrencyLimiter): string[] {
    const granted: string[] = [];
    for (const [key, group] of this.#groups) {
      while (group.head < group.ids.length) {
        const id = group.ids[group.head] as string;
        const claim = group.claims[group.head] as SlotClaim;
        if (this.#waiting.get(id) !== key) {
          group.head++;
          continue;
        }
        if (!limiter.canAcquire(claim)) break;
        limiter.acquire(id, claim);
        this.#waiting.delete(id);
        granted.push(id);
        group.head++;
      }
      if (group.head === group.ids.length) {
        this.#groups.delete(key);
      } else if (group.head > 1024 && group.head * 2 > group.ids.length) {
        group.ids.splice(0, group.head);
        group.claims.splice(0, group.head);
        group.head = 0;
      }
    }
    return granted;
  }
}
