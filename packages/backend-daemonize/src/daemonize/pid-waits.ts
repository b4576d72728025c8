/** Bounds of the first look at a pid file, in ms. */
const FIRST_LOOK_MIN_MS = 2;
const FIRST_LOOK_MAX_MS = 20;

/**
 * How long the scripts of one machine take to write their pid after their launch, learned as
 * they start (an exponential average), so that a start looks at the pid file first at about
 * three quarters of that time instead of at 2 ms: on a loaded machine, where a pid takes 5–10 ms
 * to appear, most misses (a failed `open` each) go, and the pid is seen as soon or sooner; on a
 * quiet one the first look stays at 2 ms.
 */
export class PidWaits {
  readonly #averages = new Map<string, number>();

  /** The wait before the first look at a pid file of `machine`, in ms. */
  firstLook(machine: string): number {
    const average = this.#averages.get(machine) ?? 0;
    return Math.min(FIRST_LOOK_MAX_MS, Math.max(FIRST_LOOK_MIN_MS, Math.floor(average * 0.75)));
  }

  /** A pid of `machine` was seen `ms` after its launch. */
  observe(machine: string, ms: number): void {
    const before = this.#averages.get(machine);
    const clamped = Math.min(Math.max(ms, 0), 1_000);
    this.#averages.set(machine, before === undefined ? clamped : before * 0.8 + clamped * 0.2);
  }
}
