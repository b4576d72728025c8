import type { Clock } from '../runtime/clock.js';

/**
 * Simulates the death of a process (`kill -9`) for crash tests: wrap the store, backends and
 * clock an engine uses; after `crash()` nothing reaches that engine any more: calls never answer
 * (a call in flight may still take effect, its answer is lost), timers never fire. The objects
 * behind the wrappers (the store, the fake cluster) live on for the next engine.
 *
 * @example
 * const crash = new SimulatedCrash();
 * const first = new Engine({ store: crash.wrap(store), backends: [crash.wrap(backend)], clock: crash.clock(clock) });
 * crash.crash();
 * const second = new Engine({ store, backends: [new FakeBackend({ cluster })], clock });
 */
export class SimulatedCrash {
  #crashed = false;

  get crashed(): boolean {
    return this.#crashed;
  }

  crash(): void {
    this.#crashed = true;
  }

  /** Wrap an object whose methods return promises (a store, a backend). */
  wrap<T extends object>(target: T): T {
    return new Proxy(target, {
      get: (object, property) => {
        const value: unknown = Reflect.get(object, property, object);
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (this.#crashed) return new Promise(() => undefined);
          const result: unknown = (value as (...a: unknown[]) => unknown).apply(object, args);
          if (!(result instanceof Promise)) return result;
          return new Promise((resolve, reject) => {
            result.then(
              (v: unknown) => {
                if (!this.#crashed) resolve(v);
              },
              (e: unknown) => {
                if (!this.#crashed) reject(e);
              },
            );
          });
        };
      },
    });
  }

  clock(inner: Clock): Clock {
    return {
      now: () => inner.now(),
      setTimer: (at, fn) =>
        inner.setTimer(at, () => {
          if (!this.#crashed) fn();
        }),
      sleep: (ms) =>
        this.#crashed
          ? new Promise(() => undefined)
          : new Promise((resolve) => {
              inner.setTimer(inner.now() + ms, () => {
                if (!this.#crashed) resolve();
              });
            }),
    };
  }
}
