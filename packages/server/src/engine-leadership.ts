import type { Store } from '@ketrew/engine';

/**
 * The optional capability of a Store shared by several processes (the PostgreSQL store): an
 * exclusive engine lock, held by at most one process at a time and released when that process
 * ends. Stores without it (memory, SQLite) serve one process, which is always the leader.
 */
export interface EngineLockCapability {
  /** Take the lock if it is free (or already ours); `false` if another process holds it. */
  tryAcquireEngineLock(): Promise<boolean>;
}

/** Whether the store offers `tryAcquireEngineLock`. */
export function hasEngineLock(store: Store): store is Store & EngineLockCapability {
  return typeof (store as Partial<EngineLockCapability>).tryAcquireEngineLock === 'function';
}

/**
 * Decide whether this process runs the engine: `leader` when the store has no engine lock or
 * when we got it, `api-only` when another process holds it. An API-only server serves the whole
 * API, refuses submissions (503) and queues kill/restart in the store for the leader.
 *
 * @example
 * ```ts
 * const role = await decideEngineRole(store);
 * const engine = role === 'leader' ? new Engine({ store, backends }) : null;
 * const server = createServer({ store, engine, backends, auth });
 * ```
 */
export async function decideEngineRole(store: Store): Promise<'leader' | 'api-only'> {
  if (!hasEngineLock(store)) return 'leader';
  return (await store.tryAcquireEngineLock()) ? 'leader' : 'api-only';
}

/**
 * Resolve once this process holds the engine lock (trying every `intervalMs`, default 5 s), so an
 * API-only server can take over when the leader goes away (see `KetrewServer.promote`). Rejects
 * with the signal's reason when `signal` aborts.
 */
export async function waitForEngineLock(
  store: Store,
  options: {
    readonly intervalMs?: number | undefined;
    readonly signal?: AbortSignal | undefined;
  } = {},
): Promise<void> {
  const interval = options.intervalMs ?? 5_000;
  for (;;) {
    options.signal?.throwIfAborted();
    if ((await decideEngineRole(store)) === 'leader') return;
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(resolve, interval);
      options.signal?.addEventListener(
        'abort',
        () => {
          clearTimeout(timer);
          reject(options.signal?.reason);
        },
        { once: true },
      );
    });
  }
}
