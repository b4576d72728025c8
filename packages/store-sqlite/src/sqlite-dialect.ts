import { SqliteAdapter, SqliteIntrospector, SqliteQueryCompiler } from 'kysely';
import type {
  CompiledQuery,
  DatabaseConnection,
  Dialect,
  Driver,
  QueryResult,
  TransactionSettings,
} from 'kysely';
import type BetterSqlite3 from 'better-sqlite3';

/** Prepared statements kept per connection; the store's statements are a few dozen. */
const STATEMENT_CACHE_SIZE = 256;

/**
 * A kysely dialect over one better-sqlite3 connection. Unlike kysely's own `SqliteDialect` it
 * keeps prepared statements (a bulk insert re-runs one statement hundreds of times; preparing
 * it each time cost more than running it) and starts write transactions with
 * `BEGIN IMMEDIATE`, taking the write lock up front so that `busy_timeout` applies instead of a
 * deadlock error when another process writes too. Read-only transactions use a plain `BEGIN`.
 */
export function betterSqliteDialect(database: BetterSqlite3.Database): Dialect {
  return {
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => new BetterSqliteDriver(database),
    createIntrospector: (db) => new SqliteIntrospector(db),
    createQueryCompiler: () => new SqliteQueryCompiler(),
  };
}

class BetterSqliteDriver implements Driver {
  readonly #database: BetterSqlite3.Database;
  readonly #connection: BetterSqliteConnection;
  #queue: Promise<void> = Promise.resolve();

  constructor(database: BetterSqlite3.Database) {
    this.#database = database;
    this.#connection = new BetterSqliteConnection(database);
  }

  async init(): Promise<void> {}

  // One connection, used by one caller at a time: a transaction holds it from BEGIN to COMMIT.
  async acquireConnection(): Promise<DatabaseConnection> {
    const previous = this.#queue;
    let release = () => {};
    this.#queue = new Promise((resolve) => {
      release = resolve;
    });
    await previous;
    this.#connection.release = release;
    return this.#connection;
  }

  async beginTransaction(_: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    this.#database.exec(settings.accessMode === 'read only' ? 'begin' : 'begin immediate');
  }

  async commitTransaction(): Promise<void> {
    this.#database.exec('commit');
  }

  async rollbackTransaction(): Promise<void> {
    // Some errors (SQLITE_FULL, SQLITE_IOERR…) already rolled the transaction back.
    if (this.#database.inTransaction) this.#database.exec('rollback');
  }

  async releaseConnection(): Promise<void> {
    this.#connection.release();
  }

  async destroy(): Promise<void> {
    await this.#queue;
    if (this.#database.open) this.#database.close();
  }
}

class BetterSqliteConnection implements DatabaseConnection {
  readonly #database: BetterSqlite3.Database;
  readonly #statements = new Map<string, BetterSqlite3.Statement>();
  release: () => void = () => {};

  constructor(database: BetterSqlite3.Database) {
    this.#database = database;
  }

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const statement = this.#prepare(query.sql);
    const parameters = query.parameters as unknown[];
    if (statement.reader) return { rows: statement.all(parameters) as R[] };
    const { changes, lastInsertRowid } = statement.run(parameters);
    return { rows: [], numAffectedRows: BigInt(changes), insertId: BigInt(lastInsertRowid) };
  }

  async *streamQuery<R>(): AsyncIterableIterator<QueryResult<R>> {
    throw new Error('the Ketrew SQLite store does not stream queries');
  }

  #prepare(text: string): BetterSqlite3.Statement {
    const cached = this.#statements.get(text);
    if (cached !== undefined) {
      // Least recently used first: re-insert to mark it used.
      this.#statements.delete(text);
      this.#statements.set(text, cached);
      return cached;
    }
    const statement = this.#database.prepare(text);
    this.#statements.set(text, statement);
    if (this.#statements.size > STATEMENT_CACHE_SIZE) {
      const oldest = this.#statements.keys().next();
      if (oldest.done !== true) this.#statements.delete(oldest.value);
    }
    return statement;
  }
}
