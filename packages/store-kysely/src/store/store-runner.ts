import type { Kysely } from 'kysely';
import type { KetrewDatabase } from '../schema/ketrew-database.js';

/**
 * Runs one store call. It receives a function performing the whole call (a transaction for
 * writes) and may call it again after a transient failure; it turns whatever the function throws
 * into a `StoreError` naming the database (a `StoreError` thrown by the store itself passes
 * through unchanged).
 */
export type StoreRunner = <T>(operation: string, attempt: () => Promise<T>) => Promise<T>;

/**
 * Thrown by a write whose body succeeded but whose COMMIT failed: if the connection was lost,
 * the database may or may not have applied it, so runners must not retry it blindly.
 */
export class CommitFailedError extends Error {
  constructor(cause: unknown) {
    super(`commit failed: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    this.name = 'CommitFailedError';
  }
}

/** Runs `body` in a transaction, marking a failure of the COMMIT itself (see CommitFailedError). */
export async function inTransaction<T>(
  db: Kysely<KetrewDatabase>,
  body: (trx: Kysely<KetrewDatabase>) => Promise<T>,
): Promise<T> {
  let committing = false;
  try {
    return await db.transaction().execute(async (trx) => {
      const result = await body(trx);
      committing = true;
      return result;
    });
  } catch (error) {
    throw committing ? new CommitFailedError(error) : error;
  }
}
