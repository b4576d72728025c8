import type { Store } from '../ports/store.js';

/**
 * Copy everything `from` holds into `to` (both migrated), through `exportAll`/`importAll`:
 * the library half of `ketrew sync --from URI --to URI` between two databases. Idempotent:
 * what `to` already holds is skipped, so syncing twice duplicates nothing. Neither store is
 * closed.
 *
 * @example await copyStore(sqliteStore, postgresStore) // { imported: 3000, skipped: 0 }
 */
export async function copyStore(
  from: Store,
  to: Store,
): Promise<{ readonly imported: number; readonly skipped: number }> {
  return to.importAll(from.exportAll());
}
