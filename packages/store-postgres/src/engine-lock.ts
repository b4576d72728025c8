import type { Pool, PoolClient } from 'pg';
import { StoreError } from '@ketrew/engine';
import { ADVISORY_LOCK_CLASS } from '@ketrew/store-kysely';

/** Second key of the engine lock (`pg_advisory_lock(ADVISORY_LOCK_CLASS, 2)`). */
export const ENGINE_LOCK = 2;

/** The process holding the engine lock of a database, as PostgreSQL sees it. */
export interface EngineLockHolder {
  /** PostgreSQL backend pid of the holder's lock connection. */
  readonly pid: number;
  /** The holder's `application_name` (Ketrew sets `ketrew@<hostname>:<pid>`). */
  readonly applicationName: string;
  /** Address the holder connects from; null over a Unix socket. */
  readonly clientAddress: string | null;
  /** When the holder's lock connection was opened (epoch ms). */
  readonly since: number | null;
  /** A sentence for logs and for the user, naming all of the above and the database. */
  readonly message: string;
}

/**
 * The engine lock: a session-level advisory lock held on one dedicated connection for as long as
 * this process drives the engine. PostgreSQL releases it when that connection ends — `close`, a
 * crash, a `kill -9`, a network failure — so a dead engine never blocks the next one.
 */
export class EngineLock {
  readonly #pool: Pool;
  readonly #label: string;
  readonly #heartbeatMs: number;
  readonly #onLost: (error: StoreError) => void;
  #client: PoolClient | undefined;
  #heartbeat: ReturnType<typeof setInterval> | undefined;

  constructor(
    pool: Pool,
    label: string,
    options: { readonly heartbeatMs: number; readonly onLost: (error: StoreError) => void },
  ) {
    this.#pool = pool;
    this.#label = label;
    this.#heartbeatMs = options.heartbeatMs;
    this.#onLost = options.onLost;
  }

  get held(): boolean {
    return this.#client !== undefined;
  }

  async tryAcquire(): Promise<boolean> {
    if (this.#client !== undefined) return true;
    const client = await this.#pool.connect();
    const lost = (error: Error) => this.#lose(client, error);
    client.on('error', lost);
    try {
      const { rows } = await client.query<{ acquired: boolean }>(
        'select pg_try_advisory_lock($1, $2) as acquired',
        [ADVISORY_LOCK_CLASS, ENGINE_LOCK],
      );
      if (rows[0]?.acquired !== true) {
        client.off('error', lost);
        client.release();
        return false;
      }
    } catch (error) {
      client.off('error', lost);
      client.release(true);
      throw error;
    }
    this.#client = client;
    this.#heartbeat = setInterval(() => {
      client.query('select 1').catch((error: unknown) => this.#lose(client, error));
    }, this.#heartbeatMs);
    this.#heartbeat.unref();
    return true;
  }

  /** Releases the lock (ending its connection, which releases it for sure). Idempotent. */
  async release(): Promise<void> {
    const client = this.#client;
    if (client === undefined) return;
    this.#forget();
    try {
      await client.query('select pg_advisory_unlock($1, $2)', [ADVISORY_LOCK_CLASS, ENGINE_LOCK]);
    } catch {
      // The connection is gone: so is the lock.
    }
    client.release(true);
  }

  /** Who holds the lock now (this process included), or null when nobody does. */
  async holder(): Promise<EngineLockHolder | null> {
    const { rows } = await this.#pool.query<{
      pid: number;
      application_name: string | null;
      client_addr: string | null;
      backend_start: Date | null;
    }>(
      `select a.pid, a.application_name, host(a.client_addr) as client_addr, a.backend_start
         from pg_locks l join pg_stat_activity a on a.pid = l.pid
        where l.locktype = 'advisory' and l.granted and l.classid = $1 and l.objid = $2
          and l.objsubid = 2 and l.database = (select oid from pg_database where datname = current_database())`,
      [ADVISORY_LOCK_CLASS, ENGINE_LOCK],
    );
    const row = rows[0];
    if (row === undefined) return null;
    const applicationName = row.application_name ?? '';
    const since = row.backend_start === null ? null : row.backend_start.getTime();
    const from = row.client_addr === null ? 'a local socket' : row.client_addr;
    const mine = this.#client !== undefined ? ' (this process)' : '';
    return {
      pid: row.pid,
      applicationName,
      clientAddress: row.client_addr,
      since,
      message:
        `the engine lock of ${this.#label} is held by "${applicationName || 'an unnamed client'}"${mine}, ` +
        `connected from ${from}` +
        (since === null ? '' : ` since ${new Date(since).toISOString()}`) +
        ` (PostgreSQL backend pid ${row.pid}). Only one Ketrew engine drives a database: this ` +
        'server serves the API, queues kill and restart for that engine, and takes over when the lock is released.',
    };
  }

  #lose(client: PoolClient, error: unknown): void {
    if (this.#client !== client) return;
    this.#forget();
    client.release(true);
    this.#onLost(
      new StoreError(
        `${this.#label}: lost the engine lock (its connection failed: ${error instanceof Error ? error.message : String(error)}); stop driving the engine`,
        { retryable: true, cause: error },
      ),
    );
  }

  #forget(): void {
    if (this.#heartbeat !== undefined) clearInterval(this.#heartbeat);
    this.#heartbeat = undefined;
    this.#client = undefined;
  }
}
