import { hostname } from 'node:os';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import type { Pool } from 'pg';
import { ClosedError, StoreError } from '@ketrew/engine';
import { KyselyStore } from '@ketrew/store-kysely';
import type { KetrewDatabase } from '@ketrew/store-kysely';
import { EngineLock } from './engine-lock.js';
import type { EngineLockHolder } from './engine-lock.js';
import { classifyPostgresError, postgresStoreError } from './postgres-errors.js';
import { describeTarget, postgresTarget } from './postgres-target.js';
import type { PostgresTarget } from './postgres-target.js';
import { withRetry } from './retry-policy.js';
import type { RetryPolicy } from './retry-policy.js';

export interface PostgresStoreOptions {
  /** `postgresql://user:password@host:5432/database`; or give `pool`. */
  readonly connectionString?: string | undefined;
  /** A `pg` pool to use instead of making one; the store never ends it. */
  readonly pool?: Pool | undefined;
  /** Connections of the pool the store makes. Default 10. */
  readonly poolSize?: number | undefined;
  /** `application_name` of the store's connections. Default `ketrew@<hostname>:<pid>`. */
  readonly applicationName?: string | undefined;
  /** Retries after a lost connection, a restarting server, a deadlock (see `RetryPolicy`). */
  readonly retry?: RetryPolicy | undefined;
  /** Called if the engine lock is lost (its connection died): stop driving the engine. */
  readonly onEngineLockLost?: ((error: StoreError) => void) | undefined;
  /** How often the engine lock's connection is checked, in ms. Default 10,000. */
  readonly engineLockHeartbeatMs?: number | undefined;
}

/** The PostgreSQL store. Create it with `createPostgresStore`. */
export class PostgresStore extends KyselyStore {
  /** Host, port and database, as error messages name them. */
  readonly target: PostgresTarget;
  readonly #lock: EngineLock;
  readonly #retry: RetryPolicy;
  #closed = false;

  /** Use `createPostgresStore`. */
  constructor(
    pool: Pool,
    ownsPool: boolean,
    target: PostgresTarget,
    options: PostgresStoreOptions,
  ) {
    const label = describeTarget(target);
    const retry = options.retry ?? {};
    const ignoreIdleErrors = () => {};
    // A connection killed by the server (restart, pg_terminate_backend, DROP DATABASE … FORCE)
    // emits 'error' on the pool when idle, and on the client itself when checked out between
    // queries: without a listener either would crash the process. The failed query still
    // rejects, and the next call reconnects.
    pool.on('error', ignoreIdleErrors);
    const guarded = new WeakSet<object>();
    const connect = async () => {
      const client = await pool.connect();
      if (!guarded.has(client)) {
        client.on('error', ignoreIdleErrors);
        guarded.add(client);
      }
      return client;
    };
    super({
      // kysely ends the pool it is given when destroyed: give it one it cannot end.
      db: new Kysely<KetrewDatabase>({
        dialect: new PostgresDialect({
          pool: { connect, end: async () => {} },
        }),
      }),
      dialect: 'postgres',
      databaseLabel: label,
      run: (operation, attempt) =>
        withRetry(
          retry,
          attempt,
          (error) => {
            const kind = classifyPostgresError(error);
            return kind === 'connection' || kind === 'transient';
          },
          (error, attempts) => postgresStoreError(error, operation, label, attempts),
        ),
      close: async () => {
        await this.#lock.release();
        await this.db.destroy();
        // The listener stays: connections still closing may report their end as an error.
        if (ownsPool) await pool.end();
      },
    });
    this.target = target;
    this.#retry = retry;
    this.#lock = new EngineLock(pool, label, {
      heartbeatMs: options.engineLockHeartbeatMs ?? 10_000,
      onLost: options.onEngineLockLost ?? (() => {}),
    });
  }

  /**
   * Takes the engine lock if it is free (or already ours): `true` means this process may drive
   * the engine of this database; `false` means another process does — call `engineLockHolder()`
   * to say which. The lock lives on a dedicated connection (one of the pool's) until
   * `releaseEngineLock()`, `close()`, or that connection's death (then `onEngineLockLost` runs).
   */
  tryAcquireEngineLock(): Promise<boolean> {
    return this.#locking('tryAcquireEngineLock', () => this.#lock.tryAcquire());
  }

  /** Releases the engine lock; another process may take it. Idempotent. */
  releaseEngineLock(): Promise<void> {
    return this.#lock.release();
  }

  /** Whether this store holds the engine lock. */
  get holdsEngineLock(): boolean {
    return this.#lock.held;
  }

  /** Who holds the engine lock (with a message for the user), or null when it is free. */
  engineLockHolder(): Promise<EngineLockHolder | null> {
    return this.#locking('engineLockHolder', () => this.#lock.holder());
  }

  override close(): Promise<void> {
    this.#closed = true;
    return super.close();
  }

  async #locking<T>(operation: string, work: () => Promise<T>): Promise<T> {
    if (this.#closed) throw new ClosedError(this.databaseLabel);
    return withRetry(
      this.#retry,
      work,
      (error) => classifyPostgresError(error) === 'connection',
      (error, attempts) => postgresStoreError(error, operation, this.databaseLabel, attempts),
    );
  }
}

/**
 * Opens a PostgreSQL store: for teams sharing one server, or several API servers on one
 * database (one of them drives the engine: see `tryAcquireEngineLock`). Connects lazily: the
 * first call (`migrate()`) fails with a `StoreError` naming host, port and database if
 * PostgreSQL cannot be reached after the retries.
 *
 * Lost connections, a restarting server (57P01, 57P03), serialization failures and deadlocks
 * are retried with a bounded exponential backoff (default: 8 tries over about 7 s). A write
 * whose COMMIT lost its connection is never retried blindly: it fails with a `StoreError` saying
 * it may have been applied.
 *
 * @example
 * const store = createPostgresStore({ connectionString: 'postgresql://ketrew@db/ketrew' });
 * await store.migrate();
 * const leader = await store.tryAcquireEngineLock();
 */
export function createPostgresStore(options: PostgresStoreOptions): PostgresStore {
  if ((options.connectionString === undefined) === (options.pool === undefined)) {
    throw new StoreError('createPostgresStore needs either `connectionString` or `pool`', {
      retryable: false,
    });
  }
  if (options.pool !== undefined) {
    const { host, port, database, user, connectionString } = options.pool.options;
    const target = postgresTarget({ host, port, database, user, connectionString });
    return new PostgresStore(options.pool, false, target, options);
  }
  const connectionString = options.connectionString as string;
  const pool = new pg.Pool({
    connectionString,
    max: options.poolSize ?? 10,
    application_name: options.applicationName ?? `ketrew@${hostname()}:${process.pid}`,
    keepAlive: true,
    connectionTimeoutMillis: 10_000,
  });
  return new PostgresStore(pool, true, postgresTarget({ connectionString }), options);
}
