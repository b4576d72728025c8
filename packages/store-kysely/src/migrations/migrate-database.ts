import { Migrator, sql } from 'kysely';
import type { Kysely } from 'kysely';
import { StoreError } from '@ketrew/engine';
import type { SqlDialect } from '../schema/sql-dialect.js';
import { KETREW_MIGRATION_NAMES, ketrewMigrations } from './ketrew-migrations.js';
import type { KetrewMigrationName } from './ketrew-migrations.js';

export interface MigrateOptions {
  readonly dialect: SqlDialect;
  /** Names the database in error messages, e.g. `SQLite database /var/ketrew/db.sqlite`. */
  readonly databaseLabel: string;
  /** Stop at this migration (tests build old databases with it); default: the latest. */
  readonly to?: KetrewMigrationName | undefined;
}

/** The table where kysely's migrator records the applied migrations. */
export const MIGRATION_TABLE = 'ketrew_migration';

/**
 * Brings a database to the latest schema (or to `options.to`), in place, keeping its data.
 * Idempotent; concurrent callers are serialised by the migrator's lock. A database made by a
 * newer version (a migration this version does not know) is refused with a `StoreError`;
 * any other failure is thrown as the driver raised it, for the store to classify and retry.
 */
export async function migrateDatabase<DB>(db: Kysely<DB>, options: MigrateOptions): Promise<void> {
  const known = new Set<string>(KETREW_MIGRATION_NAMES);
  const newer = (await appliedMigrations(db)).filter((name) => !known.has(name));
  if (newer.length > 0) {
    throw new StoreError(
      `${options.databaseLabel} was made by a newer version of Ketrew (unknown migration ${newer.join(', ')}): upgrade Ketrew to use it`,
      { retryable: false, details: { newerMigrations: newer } },
    );
  }
  const migrator = new Migrator({
    db,
    provider: { getMigrations: () => Promise.resolve(ketrewMigrations(options.dialect)) },
    migrationTableName: MIGRATION_TABLE,
    migrationLockTableName: `${MIGRATION_TABLE}_lock`,
  });
  const { error } =
    options.to === undefined
      ? await migrator.migrateToLatest()
      : await migrator.migrateTo(options.to);
  if (error !== undefined) throw error;
}

/** Names of the migrations recorded as applied, oldest first; empty for a new database. */
export async function appliedMigrations<DB>(db: Kysely<DB>): Promise<string[]> {
  const tables = await db.introspection.getTables();
  if (!tables.some((t) => t.name === MIGRATION_TABLE)) return [];
  const { rows } = await sql<{
    name: string;
  }>`select name from ${sql.table(MIGRATION_TABLE)} order by name`.execute(db);
  return rows.map((r) => r.name);
}
