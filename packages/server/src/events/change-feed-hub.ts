import type { Store } from '@ketrew/engine';

const TIP_SCAN_PAGE = 10_000;

/**
 * Watches the store's change feed for every live event stream of one server. It keeps the
 * feed's tip (the latest cursor seen), polls the store every `pollIntervalMs` while someone is
 * waiting, and wakes at once on `poke()` (the local engine changed something). Polling the store
 * rather than listening to the engine keeps API-only servers, whose engine runs elsewhere, live.
 */
export class ChangeFeedHub {
  readonly #store: Store;
  readonly #pollIntervalMs: number;
  #tip: number | null = null;
  #tipLoading: Promise<number> | null = null;
  #waiters = new Set<{ readonly after: number; readonly resolve: () => void }>();
  #timer: ReturnType<typeof setTimeout> | null = null;
  #polling = false;
  #pokedWhilePolling = false;
  #closed = false;

  constructor(store: Store, options: { readonly pollIntervalMs: number }) {
    this.#store = store;
    this.#pollIntervalMs = options.pollIntervalMs;
  }

  /** The latest cursor of the feed (0 when it is empty). */
  async tip(): Promise<number> {
    if (this.#tip !== null) return this.#tip;
    this.#tipLoading ??= this.#scanToTip(0).then((tip) => {
      this.#tip = Math.max(this.#tip ?? 0, tip);
      return this.#tip;
    });
    return this.#tipLoading;
  }

  /**
   * Resolves once the feed has a change with a cursor greater than `after`, or when `signal`
   * aborts or the hub closes (whichever comes first).
   */
  async waitForChangeAfter(after: number, signal: AbortSignal): Promise<void> {
    const tip = await this.tip();
    if (tip > after || signal.aborted || this.#closed) return;
    await new Promise<void>((resolve) => {
      const waiter = {
        after,
        resolve: () => {
          this.#waiters.delete(waiter);
          signal.removeEventListener('abort', waiter.resolve);
          resolve();
        },
      };
      this.#waiters.add(waiter);
      signal.addEventListener('abort', waiter.resolve, { once: true });
      this.#schedule(this.#pollIntervalMs);
    });
  }

  /** Something changed: poll now instead of at the next interval. */
  poke(): void {
    if (this.#polling) this.#pokedWhilePolling = true;
    else if (this.#waiters.size > 0) this.#schedule(0);
  }

  /** Wake every waiter and stop polling. */
  close(): void {
    this.#closed = true;
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timer = null;
    for (const waiter of [...this.#waiters]) waiter.resolve();
  }

  #schedule(delay: number): void {
    if (this.#closed || this.#polling) return;
    if (this.#timer !== null) {
      if (delay > 0) return;
      clearTimeout(this.#timer);
    }
    this.#timer = setTimeout(() => {
      this.#timer = null;
      void this.#poll();
    }, delay);
  }

  async #poll(): Promise<void> {
    this.#polling = true;
    this.#pokedWhilePolling = false;
    try {
      const tip = await this.#scanToTip(await this.tip());
      this.#tip = Math.max(this.#tip ?? 0, tip);
      for (const waiter of [...this.#waiters]) {
        if (this.#tip > waiter.after) waiter.resolve();
      }
    } catch {
      // A failed poll (database briefly unreachable) is retried at the next interval.
    } finally {
      this.#polling = false;
    }
    if (this.#waiters.size > 0) this.#schedule(this.#pokedWhilePolling ? 0 : this.#pollIntervalMs);
  }

  async #scanToTip(from: number): Promise<number> {
    let tip = from;
    for (;;) {
      const changes = await this.#store.changesSince(tip, TIP_SCAN_PAGE);
      const last = changes.at(-1);
      if (last === undefined) return tip;
      tip = last.cursor;
      if (changes.length < TIP_SCAN_PAGE) return tip;
    }
  }
}
