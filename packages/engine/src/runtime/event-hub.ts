/**
 * A small publish/subscribe hub: `subscribe` for callbacks, `stream()` for an async iterator.
 * A listener that throws is removed so it cannot break the engine.
 */
export class EventHub<T> {
  readonly #listeners = new Set<(event: T) => void>();

  get listenerCount(): number {
    return this.#listeners.size;
  }

  /** Call `listener` for every event from now on; returns the function that unsubscribes. */
  subscribe(listener: (event: T) => void): () => void {
    this.#listeners.add(listener);
    return () => {
      this.#listeners.delete(listener);
    };
  }

  /**
   * Events from now on as an async iterator; ends when `signal` aborts or the consumer breaks
   * out. Keeps at most `bufferSize` unread events (the oldest are dropped beyond that).
   */
  stream(
    options: { readonly signal?: AbortSignal | undefined; readonly bufferSize?: number } = {},
  ): AsyncIterableIterator<T> {
    const buffer: T[] = [];
    const bufferSize = options.bufferSize ?? 10_000;
    let wake: (() => void) | null = null;
    let done = false;
    const unsubscribe = this.subscribe((event) => {
      buffer.push(event);
      if (buffer.length > bufferSize) buffer.shift();
      wake?.();
    });
    const finish = (): void => {
      done = true;
      unsubscribe();
      wake?.();
    };
    options.signal?.addEventListener('abort', finish, { once: true });
    if (options.signal?.aborted === true) finish();
    const iterator: AsyncIterableIterator<T> = {
      async next(): Promise<IteratorResult<T>> {
        while (buffer.length === 0 && !done) {
          await new Promise<void>((resolve) => {
            wake = resolve;
          });
          wake = null;
        }
        if (buffer.length > 0) return { value: buffer.shift() as T, done: false };
        return { value: undefined, done: true };
      },
      async return(): Promise<IteratorResult<T>> {
        finish();
        return { value: undefined, done: true };
      },
      [Symbol.asyncIterator]() {
        return iterator;
      },
    };
    return iterator;
  }

  emit(event: T): void {
    for (const listener of this.#listeners) {
      try {
        listener(event);
      } catch {
        this.#listeners.delete(listener);
      }
    }
  }
}
