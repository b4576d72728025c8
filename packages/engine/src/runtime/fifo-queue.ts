/**
 * A first-in first-out queue of pairs with O(1) push and shift, kept in two parallel arrays so a
 * pair costs no object of its own (the engine's inbox holds hundreds of thousands at times).
 */
export class PairQueue<A, B> {
  #firsts: (A | undefined)[] = [];
  #seconds: (B | undefined)[] = [];
  #head = 0;

  get size(): number {
    return this.#firsts.length - this.#head;
  }

  push(first: A, second: B): void {
    this.#firsts.push(first);
    this.#seconds.push(second);
  }

  /** Remove the oldest pair and hand it to `use`; false when the queue is empty. */
  shift(use: (first: A, second: B) => void): boolean {
    const head = this.#head;
    if (head >= this.#firsts.length) return false;
    const first = this.#firsts[head] as A;
    const second = this.#seconds[head] as B;
    this.#firsts[head] = undefined;
    this.#seconds[head] = undefined;
    this.#head = head + 1;
    if (this.#head === this.#firsts.length) {
      this.#firsts = [];
      this.#seconds = [];
      this.#head = 0;
    } else if (this.#head > 4096 && this.#head * 2 > this.#firsts.length) {
      this.#firsts = this.#firsts.slice(this.#head);
      this.#seconds = this.#seconds.slice(this.#head);
      this.#head = 0;
    }
    use(first, second);
    return true;
  }
}
