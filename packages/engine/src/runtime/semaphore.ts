/** At most `limit` async calls in flight; the others wait their turn, first come first served. */
export class Semaphore {
  readonly #limit: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];
  #head = 0;

  constructor(limit: number) {
    this.#limit = Math.max(1, limit);
  }

  get active(): number {
    return this.#active;
  }

  get waiting(): number {
    return this.#waiting.length - this.#head;
  }

  run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#active < this.#limit) {
      this.#active++;
      return this.#call(fn);
    }
    return new Promise<void>((resolve) => this.#waiting.push(resolve)).then(() => this.#call(fn));
  }

  #call<T>(fn: () => Promise<T>): Promise<T> {
    let call: Promise<T>;
    try {
      call = fn();
    } catch (error) {
      this.#next();
      return Promise.reject(error);
    }
    call.then(this.#release, this.#release);
    return call;
  }

  readonly #release = (): void => this.#next();

  #next(): void {
    const wake = this.#waiting[this.#head];
    if (wake === undefined) {
      this.#active--;
      return;
    }
    this.#waiting[this.#head] = undefined as never;
    this.#head++;
    if (this.#head > 1024 && this.#head * 2 > this.#waiting.length) {
      this.#waiting.splice(0, this.#head);
      this.#head = 0;
    }
    wake();
  }
}
