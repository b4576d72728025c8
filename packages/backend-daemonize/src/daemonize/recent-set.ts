/**
 * A set that keeps only its `capacity` most recently added keys (the oldest are dropped), for
 * memories that may be lost without harm.
 */
export class RecentSet {
  readonly #capacity: number;
  readonly #keys = new Set<string>();

  constructor(capacity: number) {
    this.#capacity = capacity;
  }

  has(key: string): boolean {
    return this.#keys.has(key);
  }

  add(key: string): void {
    this.#keys.delete(key);
    this.#keys.add(key);
    if (this.#keys.size > this.#capacity) {
      const oldest = this.#keys.values().next();
      if (oldest.done !== true) this.#keys.delete(oldest.value);
    }
  }

  get size(): number {
    return this.#keys.size;
  }
}
