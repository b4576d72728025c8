/**
 * Runs async sections one at a time, in call order: ticks, submissions, kills and restarts never
 * interleave, so the engine's memory and the store agree whenever a section starts.
 */
export class SerialLock {
  #tail: Promise<unknown> = Promise.resolve();
  #held = false;

  get held(): boolean {
    return this.#held;
  }

  run<T>(section: () => Promise<T>): Promise<T> {
    const result = this.#tail.then(async () => {
      this.#held = true;
      try {
        return await section();
      } finally {
        this.#held = false;
      }
    });
    this.#tail = result.catch(() => undefined);
    return result;
  }
}
