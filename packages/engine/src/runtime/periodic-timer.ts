import type { Clock, TimerHandle } from './clock.js';

/** Calls `fn` every `intervalMs` of the clock's time until stopped. */
export class PeriodicTimer {
  readonly #clock: Clock;
  readonly #intervalMs: number;
  readonly #fn: () => void;
  #handle: TimerHandle | null = null;

  constructor(clock: Clock, intervalMs: number, fn: () => void) {
    this.#clock = clock;
    this.#intervalMs = intervalMs;
    this.#fn = fn;
  }

  start(): void {
    if (this.#handle !== null || !(this.#intervalMs > 0) || !Number.isFinite(this.#intervalMs)) {
      return;
    }
    const arm = (): void => {
      this.#handle = this.#clock.setTimer(this.#clock.now() + this.#intervalMs, () => {
        arm();
        this.#fn();
      });
    };
    arm();
  }

  stop(): void {
    this.#handle?.cancel();
    this.#handle = null;
  }
}
