import type { Store } from '@ketrew/engine';

/** How often the server that runs the engine prunes the change feed. */
export const PRUNE_INTERVAL_MS = 60 * 60 * 1000;

export interface ChangeFeedPrunerOptions {
  /** Deletes the changes older than `before` (a store's `pruneChanges`). */
  readonly prune: (before: number) => Promise<number>;
  /** Changes older than this are deleted. */
  readonly retentionMs: number;
  readonly now: () => number;
  /** A failed prune; the next one is tried at the next interval. */
  readonly onError: (error: unknown) => void;
  /** Default `PRUNE_INTERVAL_MS` (an hour). */
  readonly intervalMs?: number | undefined;
}

/**
 * Keeps the change feed bounded: once when started, then every interval, deletes the changes
 * older than the retention. Only the server that runs the engine starts one, so servers sharing
 * a database do not all prune. A prune still running when the next is due makes that one skip.
 */
export class ChangeFeedPruner {
  readonly #options: ChangeFeedPrunerOptions;
  #timer: ReturnType<typeof setInterval> | null = null;
  #running = false;

  constructor(options: ChangeFeedPrunerOptions) {
    this.#options = options;
  }

  start(): void {
    if (this.#timer !== null) return;
    const intervalMs = this.#options.intervalMs ?? PRUNE_INTERVAL_MS;
    this.#timer = setInterval(() => void this.pruneOnce(), intervalMs);
    this.#timer.unref();
    void this.pruneOnce();
  }

  stop(): void {
    if (this.#timer !== null) clearInterval(this.#timer);
    this.#timer = null;
  }

  /** Prune now; resolves to how many changes went (0 when a prune was already running). */
  async pruneOnce(): Promise<number> {
    if (this.#running) return 0;
    this.#running = true;
    const { prune, retentionMs, now, onError } = this.#options;
    try {
      return await prune(now() - retentionMs);
    } catch (error) {
      onError(error);
      return 0;
    } finally {
      this.#running = false;
    }
  }
}

/** A pruner for this store, or `null` when the store cannot prune or the retention is off. */
export function changeFeedPrunerFor(
  store: Store,
  retentionMs: number | null,
  options: Pick<ChangeFeedPrunerOptions, 'now' | 'onError'>,
): ChangeFeedPruner | null {
  if (retentionMs === null || store.pruneChanges === undefined) return null;
  const prune = store.pruneChanges.bind(store);
  return new ChangeFeedPruner({ prune, retentionMs, ...options });
}
