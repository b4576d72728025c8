import type { VirtualClock } from '../runtime/clock.js';

/** What the helpers below need of an engine. */
export interface Quiescent {
  /** Grows whenever the engine does anything. */
  readonly activity: number;
  /** Nothing waiting and nothing in flight. */
  readonly isIdle: boolean;
}

const nextMacrotask = (): Promise<void> =>
  new Promise((resolve) => {
    setImmediate(resolve);
  });

/**
 * Let the engine run until it has nothing left to do without time passing: idle, or its
 * activity unchanged over a few rounds of the event loop (it waits for a timer).
 */
export async function settle(engine: Quiescent, quietRounds = 3): Promise<void> {
  let last = engine.activity;
  let quiet = 0;
  for (let round = 0; round < 1_000_000; round++) {
    await nextMacrotask();
    if (engine.isIdle) return;
    const now = engine.activity;
    quiet = now === last ? quiet + 1 : 0;
    last = now;
    if (quiet >= quietRounds) return;
  }
}

/**
 * Run the engine on virtual time until `condition` holds: settle, check, move the clock to the
 * next timer, repeat. Throws when `maxMs` of virtual time pass first, or nothing is scheduled.
 *
 * @example
 * await runUntil(engine, clock, async () => (await store.loadUnfinished()).length === 0);
 */
export async function runUntil(
  engine: Quiescent,
  clock: VirtualClock,
  condition: () => boolean | Promise<boolean>,
  options: { readonly maxMs?: number | undefined } = {},
): Promise<void> {
  const deadline = clock.now() + (options.maxMs ?? 3_600_000);
  for (;;) {
    await settle(engine);
    if (await condition()) return;
    const next = clock.nextTimerAt();
    if (next === null) throw new Error('runUntil: nothing left to run and the condition is false');
    if (next > deadline) {
      throw new Error(
        `runUntil: the condition is still false after ${options.maxMs ?? 3_600_000} ms`,
      );
    }
    clock.advanceTo(next);
  }
}
