import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { ClosedError } from '@ketrew/engine';
import type {
  Change,
  EngineNode,
  ExportRecord,
  HistoryEntry,
  NodeFilter,
  NodePage,
  Page,
  QueuedCommand,
  SimpleStatus,
  Store,
  TransitionBatch,
  UserCommand,
  WorkflowRecord,
} from '@ketrew/engine';
import { migrateDatabase } from '../migrations/migrate-database.js';
import type { KetrewMigrationName } from '../migrations/ketrew-migrations.js';
import type { KetrewDatabase } from '../schema/ketrew-database.js';
import type { SqlDialect } from '../schema/sql-dialect.js';
import { decodeInt, decodeJson, encodeJson } from '../rows/json-column.js';
import { latestCursor, pruneChanges, readChanges } from './change-feed.js';
import type { RunCache } from './change-feed.js';
import { readHistory } from './read-history.js';
import { rowToNode } from '../rows/node-row.js';
import { inList } from '../queries/node-filter.js';
import { storeStatements } from '../queries/store-statements.js';
import { UNFINISHED_STATES } from '../queries/unfinished-states.js';
import type { StoreStatements } from '../queries/store-statements.js';
import { exportRecords } from './export-records.js';
import { loadWorkflows } from './load-workflows.js';
import { importRecords } from './import-records.js';
import {
  MAX_PAGE_LIMIT,
  checkLimit,
  countNodesByStatus,
  findEquivalentNodes,
  queryNodePage,
} from './node-queries.js';
import { decodePageCursor } from '../queries/page-cursor.js';
import { inTransaction } from './store-runner.js';
import type { StoreRunner } from './store-runner.js';
import { applyTransitionBatch, insertWorkflowRecords } from './write-transitions.js';

/** A PostgreSQL insert of at least this many nodes refreshes the planner's statistics. */
const ANALYZE_AFTER_NODES = 10_000;

export interface KyselyStoreOptions {
  readonly db: Kysely<KetrewDatabase>;
  readonly dialect: SqlDialect;
  /** Names the database in every error message, e.g. `SQLite database /srv/ketrew.db`. */
  readonly databaseLabel: string;
  /** Runs each call: classifies errors, retries transient ones (see `StoreRunner`). */
  readonly run: StoreRunner;
  /** Releases the connection(s); called once, by the first `close()`. */
  readonly close: () => Promise<void>;
}

/**
 * The `Store` port over a kysely database holding Ketrew's schema, for any dialect the schema
 * supports. The SQLite and PostgreSQL stores are this class plus their connection handling,
 * pragmas, error classification and retries. See docs/storage.md.
 */
export class KyselyStore implements Store {
  readonly #options: KyselyStoreOptions;
  readonly #statements: StoreStatements;
  readonly #runs: RunCache = new Map();
  #closed = false;
  #closing: Promise<void> | undefined;
  #analyzing: Promise<void> | undefined;

  constructor(options: KyselyStoreOptions) {
    this.#options = options;
    this.#statements = storeStatements(options.dialect);
  }

  /** The kysely instance, for the store packages' own queries (tests, diagnostics). */
  get db(): Kysely<KetrewDatabase> {
    return this.#options.db;
  }

  get databaseLabel(): string {
    return this.#options.databaseLabel;
  }

  migrate(): Promise<void> {
    return this.migrateTo(undefined);
  }

  /** Migrates up to a given version; only tests building old databases need `to`. */
  migrateTo(to: KetrewMigrationName | undefined): Promise<void> {
    const { dialect, databaseLabel } = this.#options;
    return this.#run('migrate', (db) => migrateDatabase(db, { dialect, databaseLabel, to }));
  }

  insertWorkflow(
    workflow: WorkflowRecord,
    nodes: readonly EngineNode[],
    history: readonly HistoryEntry[],
  ): Promise<void> {
    return this.#run('insertWorkflow', (db) =>
      insertWorkflowRecords(this.#context(db), workflow, nodes, history),
    ).then(() => {
      if (this.#options.dialect === 'postgres' && nodes.length >= ANALYZE_AFTER_NODES) {
        this.#analyzing ??= this.#analyze().finally(() => {
          this.#analyzing = undefined;
        });
      }
    });
  }

  /**
   * Refreshes PostgreSQL's statistics after a large insert, in the background: until autovacuum
   * gets to it (up to a minute), the planner would take the new rows for a handful.
   */
  async #analyze(): Promise<void> {
    try {
      await sql`analyze nodes, tag_sets, tag_set_members, node_edges, node_history`.execute(
        this.#options.db,
      );
    } catch {
      // Only statistics: autovacuum will refresh them anyway.
    }
  }

  applyTransitions(batch: TransitionBatch): Promise<void> {
    if (batch.nodes.length === 0 && batch.history.length === 0) return this.#ready();
    return this.#run('applyTransitions', (db) => applyTransitionBatch(this.#context(db), batch));
  }

  loadUnfinished(): Promise<readonly EngineNode[]> {
    return this.#run('loadUnfinished', async (db) => {
      const rows = await db
        .selectFrom('nodes')
        .selectAll()
        .where(inList('nodes.state_kind', UNFINISHED_STATES, this.#options.dialect))
        .orderBy('id')
        .execute();
      return rows.map(rowToNode);
    });
  }

  getNodes(ids: readonly string[]): Promise<readonly EngineNode[]> {
    if (ids.length === 0) return this.#ready().then(() => []);
    return this.#run('getNodes', async (db) => {
      const rows = await db
        .selectFrom('nodes')
        .selectAll()
        .where(inList('nodes.id', ids, this.#options.dialect))
        .execute();
      const byId = new Map(rows.map((row) => [row.id, rowToNode(row)]));
      return [...new Set(ids)].flatMap((id) => byId.get(id) ?? []);
    });
  }

  getHistory(
    id: string,
    options?: { readonly attempt?: number | undefined },
  ): Promise<readonly HistoryEntry[]> {
    return this.#run('getHistory', (db) =>
      readHistory(db, [id], this.#options.dialect, options?.attempt),
    );
  }

  getReverseEdges(id: string) {
    return this.#run('getReverseEdges', async (db) => {
      const rows = await db
        .selectFrom('node_edges')
        .select(['from_id', 'kind'])
        .where('to_id', '=', id)
        .orderBy('from_id')
        .execute();
      const of = (kind: string) => rows.filter((r) => r.kind === kind).map((r) => r.from_id);
      return {
        dependedOnBy: of('depends-on'),
        activatedOnSuccessOf: of('on-success'),
        activatedOnFailureOf: of('on-failure'),
      };
    });
  }

  queryNodes(filter: NodeFilter, page: Page): Promise<NodePage> {
    return this.#checked(() => {
      checkLimit('page.limit', page.limit, MAX_PAGE_LIMIT);
      if (page.after !== undefined) decodePageCursor(page.after);
    }).then(() =>
      this.#run('queryNodes', (db) =>
        this.#consistentRead(db, (trx) => queryNodePage(trx, filter, page, this.#options.dialect)),
      ),
    );
  }

  countByStatus(filter: NodeFilter): Promise<Readonly<Record<SimpleStatus, number>>> {
    return this.#run('countByStatus', (db) =>
      countNodesByStatus(db, filter, this.#options.dialect),
    );
  }

  findEquivalent(conditionKeys: readonly string[]): Promise<readonly EngineNode[]> {
    if (conditionKeys.length === 0) return this.#ready().then(() => []);
    return this.#run('findEquivalent', (db) =>
      findEquivalentNodes(db, conditionKeys, this.#options.dialect),
    );
  }

  getWorkflow(id: string): Promise<WorkflowRecord | null> {
    return this.#run('getWorkflow', async (db) => {
      const row = await db
        .selectFrom('workflows')
        .selectAll()
        .where('id', '=', id)
        .executeTakeFirst();
      return row === undefined ? null : ((await loadWorkflows(db, [row]))[0] ?? null);
    });
  }

  changesSince(since: number, limit: number): Promise<readonly Change[]> {
    return this.#checked(() => checkLimit('limit', limit)).then(() =>
      this.#changesSince(since, limit),
    );
  }

  #changesSince(since: number, limit: number): Promise<readonly Change[]> {
    return this.#run('changesSince', (db) => readChanges(db, since, limit, this.#runs));
  }

  latestChangeCursor(): Promise<number> {
    return this.#run('latestChangeCursor', (db) => latestCursor(db));
  }

  /**
   * Deletes the changes of the feed older than `before` (epoch ms) and returns how many went.
   * Not part of the `Store` port: a server calls it for its retention setting. Cursors are never
   * reused; a follower behind the pruned changes reads on from the oldest one kept.
   */
  pruneChanges(before: number): Promise<number> {
    return this.#run('pruneChanges', (db) => pruneChanges(db, before));
  }

  enqueueCommand(command: UserCommand, queuedAt: number): Promise<number> {
    return this.#run('enqueueCommand', async (db) => {
      const row = await db
        .insertInto('command_queue')
        .values({ command: encodeJson(command), queued_at: queuedAt })
        .returning('id')
        .executeTakeFirstOrThrow();
      return decodeInt(row.id);
    });
  }

  takeCommands(limit: number): Promise<readonly QueuedCommand[]> {
    return this.#checked(() => checkLimit('limit', limit)).then(() => this.#takeCommands(limit));
  }

  #takeCommands(count: number): Promise<readonly QueuedCommand[]> {
    return this.#run('takeCommands', (db) =>
      inTransaction(db, async (trx) => {
        let oldest = trx.selectFrom('command_queue').select('id').orderBy('id').limit(count);
        // Two engines (or a restarted one) never take the same command twice.
        if (this.#options.dialect === 'postgres') oldest = oldest.forUpdate().skipLocked();
        const rows = await trx
          .deleteFrom('command_queue')
          .where('id', 'in', oldest)
          .returning(['id', 'command', 'queued_at'])
          .execute();
        return rows
          .map((row) => ({
            id: decodeInt(row.id),
            command: decodeJson<UserCommand>(row.command),
            queuedAt: decodeInt(row.queued_at),
          }))
          .sort((a, b) => a.id - b.id);
      }),
    );
  }

  exportAll(): AsyncIterable<ExportRecord> {
    return exportRecords((operation, read) => this.#run(operation, read));
  }

  importAll(
    records: AsyncIterable<ExportRecord>,
  ): Promise<{ readonly imported: number; readonly skipped: number }> {
    return this.#ready().then(() =>
      importRecords(records, (operation, write) =>
        this.#run(operation, (db) => write(this.#context(db))),
      ),
    );
  }

  close(): Promise<void> {
    this.#closed = true;
    this.#closing ??= (this.#analyzing ?? Promise.resolve()).then(() => this.#options.close());
    return this.#closing;
  }

  #context(db: Kysely<KetrewDatabase>) {
    const { dialect, databaseLabel } = this.#options;
    return { db, dialect, databaseLabel, statements: this.#statements };
  }

  #ready(): Promise<void> {
    return this.#checked(() => {});
  }

  /** Resolves once the store is open and `check` (argument checks) has passed. */
  #checked(check: () => void): Promise<void> {
    if (this.#closed) return Promise.reject(this.#closedError());
    try {
      check();
      return Promise.resolve();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  #closedError(): ClosedError {
    return new ClosedError(this.#options.databaseLabel);
  }

  async #run<T>(operation: string, work: (db: Kysely<KetrewDatabase>) => Promise<T>): Promise<T> {
    if (this.#closed) throw this.#closedError();
    return this.#options.run(operation, () => work(this.#options.db));
  }

  /** Several reads that must agree (a page and its total) see one snapshot. */
  #consistentRead<T>(
    db: Kysely<KetrewDatabase>,
    body: (trx: Kysely<KetrewDatabase>) => Promise<T>,
  ): Promise<T> {
    let builder = db.transaction().setAccessMode('read only');
    if (this.#options.dialect === 'postgres')
      builder = builder.setIsolationLevel('repeatable read');
    return builder.execute(body);
  }
}
