import type { Kysely } from 'kysely';
import { StoreError } from '@ketrew/engine';
import type { KetrewDatabase } from '../schema/ketrew-database.js';
import type { SqlDialect } from '../schema/sql-dialect.js';
import { inList } from '../queries/node-filter.js';

/** The ids among `ids` that `table` does not hold, in one query. */
export async function missingIds(
  db: Kysely<KetrewDatabase>,
  table: 'nodes' | 'workflows',
  ids: Iterable<string>,
  dialect: SqlDialect,
): Promise<string[]> {
  const wanted = [...new Set(ids)];
  if (wanted.length === 0) return [];
  const rows = await db
    .selectFrom(table)
    .select('id')
    .where(inList(`${table}.id`, wanted, dialect))
    .execute();
  const stored = new Set(rows.map((row) => row.id));
  return wanted.filter((id) => !stored.has(id));
}

/**
 * Fails (inside the caller's transaction, so nothing is written) when records name workflows or
 * nodes the database does not hold: the references PostgreSQL has no foreign keys for.
 */
export async function checkReferences(
  db: Kysely<KetrewDatabase>,
  table: 'nodes' | 'workflows',
  ids: Iterable<string>,
  context: { readonly dialect: SqlDialect; readonly databaseLabel: string; readonly what: string },
): Promise<void> {
  const missing = await missingIds(db, table, ids, context.dialect);
  if (missing.length === 0) return;
  const shown =
    missing.slice(0, 5).join(', ') + (missing.length > 5 ? ` and ${missing.length - 5} more` : '');
  throw new StoreError(
    `${context.databaseLabel}: ${context.what} unknown ${table === 'nodes' ? 'node' : 'workflow'}(s) ${shown}`,
    { retryable: false, details: { missing } },
  );
}
