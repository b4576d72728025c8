import path from 'node:path';
import Database from 'better-sqlite3';
import { Kysely } from 'kysely';
import { StoreError } from '@ketrew/engine';
import { KyselyStore } from '@ketrew/store-kysely';
import type { KetrewDatabase } from '@ketrew/store-kysely';
import { betterSqliteDialect } from './sqlite-dialect.js';
import { sqliteStoreError } from './sqlite-errors.js';

/** Files this process has open through a store (see the check in `createSqliteStore`). */
const openFiles = new Set<string>();

export interface SqliteStoreOptions {
  /** The database file (created if missing; its directory must exist), or `:memory:`. */
  readonly path: string;
  /**
   * How long a write waits for another process's lock before failing with a retryable
   * `StoreError`, in milliseconds. Default 5,000.
   */
  readonly busyTimeoutMs?: number | undefined;
  /** SQLite page cache, in KiB. Default 32,768 (32 MiB). */
  readonly cacheSizeKiB?: number | undefined;
}

/** The embedded store: one SQLite file. Create it with `createSqliteStore`. */
export class SqliteStore extends KyselyStore {
  /** The absolute path of the database file (or `:memory:`). */
  readonly path: string;

  /** Use `createSqliteStore`, which opens and checks the database. */
  constructor(path: string, database: Database.Database, label: string) {
    super({
      db: new Kysely<KetrewDatabase>({ dialect: betterSqliteDialect(database) }),
      dialect: 'sqlite',
      databaseLabel: label,
      run: async (operation, attempt) => {
        try {
          return await attempt();
        } catch (error) {
          throw sqliteStoreError(error, operation, label);
        }
      },
      close: async () => {
        openFiles.delete(path);
        await this.db.destroy();
      },
    });
    this.path = path;
  }
}

/**
 * Opens (creating if needed) the SQLite database at `options.path`: the embedded default store.
 *
 * Settings: WAL journal (readers never block the writer and a crash loses nothing committed),
 * `synchronous=NORMAL` (durable at checkpoints; safe from corruption with WAL), foreign keys on,
 * `busy_timeout` (default 5 s) so a concurrent writer waits instead of failing. Every write call
 * is one `BEGIN IMMEDIATE` transaction. Call `migrate()` before anything else.
 *
 * Throws a `StoreError` naming the file when it cannot be opened: missing or unwritable
 * directory, a file that is not an SQLite database, a corrupt file.
 *
 * @example
 * const store = createSqliteStore({ path: `${ketrewRoot}/ketrew.sqlite` });
 * await store.migrate();
 */
export function createSqliteStore(options: SqliteStoreOptions): SqliteStore {
  const file = options.path === ':memory:' ? options.path : path.resolve(options.path);
  const label = `SQLite database ${file}`;
  if (openFiles.has(file)) {
    // better-sqlite3 waits for locks synchronously: a second connection in the same process
    // would block the event loop while the first one holds the lock, until busy_timeout.
    throw new StoreError(
      `cannot open ${label}: it is already open in this process; share that store instead`,
      { retryable: false, details: { path: file } },
    );
  }
  let database: Database.Database | undefined;
  try {
    database = new Database(file, { timeout: options.busyTimeoutMs ?? 5000 });
    // The first statement reads the file header: a file that is not a database fails here.
    database.pragma('journal_mode = WAL');
    database.pragma('synchronous = NORMAL');
    database.pragma('foreign_keys = ON');
    database.pragma(`cache_size = ${-Math.floor(options.cacheSizeKiB ?? 32_768)}`);
    database.pragma('temp_store = MEMORY');
    database.prepare('select count(*) from sqlite_schema').get();
  } catch (error) {
    database?.close();
    const opening = sqliteStoreError(error, 'open', label);
    throw new StoreError(
      opening.message.replace(`${label}: open failed:`, `cannot open ${label}:`),
      {
        retryable: false,
        cause: error,
        details: { ...opening.details, path: file },
      },
    );
  }
  if (file !== ':memory:') openFiles.add(file);
  return new SqliteStore(file, database, label);
}
