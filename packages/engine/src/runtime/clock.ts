/** A scheduled call that can be cancelled. Cancelling twice, or after it ran, is harmless. */
export interface TimerHandle {
  cancel(): void;
}

/**
 * Time as the runtime sees it. The engine never reads `Date.now` or calls `setTimeout` itself,
 * so tests drive it on virtual time with `VirtualClock`.
 */
export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
  /** Call `fn` at epoch ms `at` (at once, asynchronously, if `at` is in the past). */
  setTimer(at: number, fn: () => void): TimerHandle;
  /** Resolve after `ms` milliseconds of this clock's time. */
  sleep(ms: number): Promise<void>;
}

/**
 * The wall clock: `Date.now` and `setTimeout`.
 *
 * @example
 * const engine = new Engine({ store, backends, clock: realClock });
 */
export const realClock: Clock = {
  now: () => Date.now(),
  setTimer(at, fn) {
    const delay = at - Date.now();
    // setTimeout never waits less than 1 ms: a timer already due runs at the next turn instead.
    if (delay <= 0) {
      const handle = setImmediate(fn);
      return { cancel: () => clearImmediate(handle) };
    }
    const handle = setTimeout(fn, delay);
    return { cancel: () => clearTimeout(handle) };
  },
  sleep: (ms) =>
    new Promise((resolve) => {
      setTimeout(resolve, Math.max(0, ms));
    }),
};

interface VirtualTimer {
  readonly at: number;
  readonly seq: number;
  readonly fn: () => void;
  cancelled: boolean;
}

/**
 * A clock that moves only when told to, for tests: timers fire in time order (ties in the order
 * they were set) during `advanceTo`/`advanceBy`, synchronously.
 *
 * @example
 * const clock = new VirtualClock(0);
 * clock.setTimer(1_000, () => fired.push(clock.now()));
 * clock.advanceBy(1_000); // fired = [1000]
 */
export class VirtualClock implements Clock {
  #now: number;
  #seq = 0;
  #timers: VirtualTimer[] = [];

  constructor(start = 0) {
    this.#now = start;
  }

  now(): number {
    return this.#now;
  }

  setTimer(at: number, fn: () => void): TimerHandle {
    const timer: VirtualTimer = {
      at: Math.max(at, this.#now),
      seq: this.#seq++,
      fn,
      cancelled: false,
    };
    this.#timers.push(timer);
    return {
      cancel: () => {
        timer.cancelled = true;
      },
    };
  }

  sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      this.setTimer(this.#now + ms, resolve);
    });
  }

  /** Time of the earliest pending timer, or `null` when none is pending. */
  nextTimerAt(): number | null {
    const next = this.#earliest();
    return next === null ? null : next.at;
  }

  /** How many timers are pending. */
  get pendingTimers(): number {
    return this.#timers.filter((t) => !t.cancelled).length;
  }

  /** Move to `time`, firing every timer due by then, in order. Never moves backwards. */
  advanceTo(time: number): void {
    for (;;) {
      const next = this.#earliest();
      if (next === null || next.at > time) break;
      this.#timers.splice(this.#timers.indexOf(next), 1);
      this.#now = Math.max(this.#now, next.at);
      next.fn();
    }
    this.#now = Math.max(this.#now, time);
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.#now + ms);
  }

  #earliest(): VirtualTimer | null {
    this.#timers = this.#timers.filter((t) => !t.cancelled);
    let best: VirtualTimer | null = null;
    for (const t of this.#timers) {
      if (best === null || t.at < best.at || (t.at === best.at && t.seq < best.seq)) best = t;
    }
    return best;
  }
}
