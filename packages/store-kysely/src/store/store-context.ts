import type { Kysely } from 'kysely';
import type { KetrewDatabase } from '../schema/ketrew-database.js';
import type { SqlDialect } from '../schema/sql-dialect.js';
import type { StoreStatements } from '../queries/store-statements.js';

/** What the store's write functions need: the database, its dialect and prepared statements. */
export interface StoreContext {
  readonly db: Kysely<KetrewDatabase>;
  readonly dialect: SqlDialect;
  readonly databaseLabel: string;
  readonly statements: StoreStatements;
}
