import type { ExportRecord, Store } from '../ports/store.js';
import { PortLifecycle } from './port-lifecycle.js';

const GUARDED = Symbol.for('ketrew.guarded-store');

/**
 * Wrap a store so that it keeps the lifecycle part of the `Store` contract whatever the plugin
 * does: `migrate()` runs once (concurrent and later calls share it), any other call before a
 * successful `migrate()` throws an `invalid-state` error, `close()` runs once after the calls in
 * flight settle, and every call after `close()` throws `ClosedError`. The optional methods the
 * store has (`latestChangeCursor`, `pruneChanges`, the engine lock) are kept, under the same
 * rules. Guarding twice is a no-op.
 *
 * @example
 * const store = guardStore(new SqliteStore({ file }));
 * await store.migrate();
 */
export function guardStore(store: Store): Store {
  if (GUARDED in store) return store;
  const life = new PortLifecycle('store', { needsInit: true });
  const guarded: { -readonly [K in keyof Store]: Store[K] } & { readonly [GUARDED]: true } = {
    [GUARDED]: true,
    migrate: () => life.init(() => store.migrate()),
    insertWorkflow: (workflow, nodes, history) =>
      life.use(() => store.insertWorkflow(workflow, nodes, history)),
    applyTransitions: (batch) => life.use(() => store.applyTransitions(batch)),
    loadUnfinished: () => life.use(() => store.loadUnfinished()),
    getNodes: (ids) => life.use(() => store.getNodes(ids)),
    getHistory: (id, options) => life.use(() => store.getHistory(id, options)),
    getReverseEdges: (id) => life.use(() => store.getReverseEdges(id)),
    queryNodes: (filter, page) => life.use(() => store.queryNodes(filter, page)),
    countByStatus: (filter) => life.use(() => store.countByStatus(filter)),
    findEquivalent: (keys) => life.use(() => store.findEquivalent(keys)),
    getWorkflow: (id) => life.use(() => store.getWorkflow(id)),
    changesSince: (since, limit) => life.use(() => store.changesSince(since, limit)),
    enqueueCommand: (command, queuedAt) => life.use(() => store.enqueueCommand(command, queuedAt)),
    takeCommands: (limit) => life.use(() => store.takeCommands(limit)),
    exportAll: () => guardIterable(life, () => store.exportAll()),
    importAll: (records) => life.use(() => store.importAll(records)),
    close: () => life.close(() => store.close()),
  };
  // The optional capabilities are kept: a guarded PostgreSQL store still has its engine lock.
  const latestChangeCursor = store.latestChangeCursor?.bind(store);
  if (latestChangeCursor !== undefined)
    guarded.latestChangeCursor = () => life.use(latestChangeCursor);
  const pruneChanges = store.pruneChanges?.bind(store);
  if (pruneChanges !== undefined)
    guarded.pruneChanges = (before) => life.use(() => pruneChanges(before));
  const tryAcquireEngineLock = store.tryAcquireEngineLock?.bind(store);
  if (tryAcquireEngineLock !== undefined)
    guarded.tryAcquireEngineLock = () => life.use(tryAcquireEngineLock);
  // Giving the lock back stays harmless whenever it is called, even after close (which gave it).
  const releaseEngineLock = store.releaseEngineLock?.bind(store);
  if (releaseEngineLock !== undefined) guarded.releaseEngineLock = releaseEngineLock;
  return guarded;
}

async function* guardIterable(
  life: PortLifecycle,
  open: () => AsyncIterable<ExportRecord>,
): AsyncGenerator<ExportRecord> {
  life.assertReady();
  for await (const record of open()) {
    life.assertReady();
    yield record;
  }
}
