import type { WorkflowSpec } from '@ketrew/edsl';
import type { EngineNode, HistoryEntry } from '../core/engine-node.js';
import type { NodeStateKind, SimpleStatus } from '../core/node-state.js';

/** A submitted workflow, as stored. */
export interface WorkflowRecord {
  readonly id: string;
  readonly rootId: string;
  /** Epoch milliseconds. */
  readonly submittedAt: number;
  /** The spec as validated at submission (canonical form). */
  readonly spec: WorkflowSpec;
}

/** One tick's worth of changes, written atomically. */
export interface TransitionBatch {
  /** New versions of nodes (whole records; replace the stored ones by id). */
  readonly nodes: readonly EngineNode[];
  /** History entries to append. */
  readonly history: readonly HistoryEntry[];
}

/** Which nodes a query selects. Every field is optional; set fields are ANDed. */
export interface NodeFilter {
  readonly status?: readonly SimpleStatus[] | undefined;
  readonly states?: readonly NodeStateKind[] | undefined;
  /** The node has every one of these tags. */
  readonly tags?: readonly string[] | undefined;
  /** Case-insensitive substring of the name. */
  readonly nameContains?: string | undefined;
  readonly idPrefix?: string | undefined;
  readonly ids?: readonly string[] | undefined;
  readonly workflowId?: string | undefined;
  /** Epoch ms, inclusive bounds. */
  readonly createdAfter?: number | undefined;
  readonly createdBefore?: number | undefined;
  readonly updatedAfter?: number | undefined;
  readonly updatedBefore?: number | undefined;
  /** Only the nodes the user activated: the roots of submissions (`spec.active`). */
  readonly activatedByUser?: boolean | undefined;
}

export interface Page {
  /** 1..1000. */
  readonly limit: number;
  /** Opaque cursor from a previous page's `next`; absent = first page. */
  readonly after?: string | undefined;
}

export interface NodePage {
  /** Ordered by creation time, then id (ascending). */
  readonly nodes: readonly EngineNode[];
  /** Cursor of the next page, `null` on the last one. */
  readonly next: string | null;
  /** How many nodes the filter selects in all. */
  readonly total: number;
}

/** One entry of the change feed. `cursor` increases strictly with every change. */
export interface Change {
  readonly cursor: number;
  readonly nodeId: string;
  readonly state: NodeStateKind;
  /** Epoch milliseconds. */
  readonly time: number;
}

/** A request from an API process to the engine leader, through the store. */
export type UserCommand =
  | { readonly kind: 'kill'; readonly ids: readonly string[]; readonly recursive: boolean }
  | { readonly kind: 'restart'; readonly ids: readonly string[]; readonly subtree: boolean };

export interface QueuedCommand {
  readonly id: number;
  readonly command: UserCommand;
  /** Epoch milliseconds. */
  readonly queuedAt: number;
}

/** One line of an export: enough to rebuild a store exactly. */
export type ExportRecord =
  | { readonly type: 'workflow'; readonly workflow: WorkflowRecord }
  | { readonly type: 'node'; readonly node: EngineNode }
  | { readonly type: 'history'; readonly entry: HistoryEntry };

/**
 * Where everything the engine knows is kept (DESIGN.md §6; prose contract in
 * docs/store-contract.md). Modelled on kysely's Driver: a small
 * interface with written contracts, a reference `MemoryStore`, and one contract suite
 * (`describeStoreContract` in @ketrew/test-kit) that every implementation passes.
 *
 * Contract:
 * - `migrate()` must be called first and is idempotent; `close()` is idempotent; any other call
 *   after `close()` throws `ClosedError`.
 * - Every write is atomic: on error nothing of it is visible, and a `StoreError` naming the
 *   database is thrown (`retryable` for lost connections and busy databases).
 * - Reads may run concurrently with writes and see either all or none of a write.
 * - Returned objects are copies: mutating them never changes the store.
 */
export interface Store {
  /** Create or upgrade the schema. */
  migrate(): Promise<void>;

  /**
   * Insert a submitted workflow and its nodes, with their first history entries, atomically,
   * adding one change per node to the feed. Throws (and writes nothing) if a node or workflow id
   * already exists.
   */
  insertWorkflow(
    workflow: WorkflowRecord,
    nodes: readonly EngineNode[],
    history: readonly HistoryEntry[],
  ): Promise<void>;

  /**
   * Apply one tick: replace the lifecycle fields of nodes (`state`, `attempt`, `successiveErrors`,
   * `equivalentTo`, `updatedAt`; identity fields `id`, `workflowId`, `spec`, `createdAt` stay as
   * inserted), append history, append one change per node. Atomic: a node id that was never
   * inserted is a `StoreError` and nothing of the batch is applied.
   */
  applyTransitions(batch: TransitionBatch): Promise<void>;

  /** Every node whose state is not `finished`. */
  loadUnfinished(): Promise<readonly EngineNode[]>;

  /** Nodes by id (missing ids are skipped). */
  getNodes(ids: readonly string[]): Promise<readonly EngineNode[]>;

  /** A node's history, oldest first (all attempts, or one). */
  getHistory(
    id: string,
    options?: { readonly attempt?: number | undefined },
  ): Promise<readonly HistoryEntry[]>;

  /** Nodes whose `dependsOn`, `onSuccessActivate` or `onFailureActivate` names `id`. */
  getReverseEdges(id: string): Promise<{
    readonly dependedOnBy: readonly string[];
    readonly activatedOnSuccessOf: readonly string[];
    readonly activatedOnFailureOf: readonly string[];
  }>;

  /** A page of nodes matching the filter, with the total count. */
  queryNodes(filter: NodeFilter, page: Page): Promise<NodePage>;

  /** How many nodes of each simple status match the filter. */
  countByStatus(filter: NodeFilter): Promise<Readonly<Record<SimpleStatus, number>>>;

  /**
   * Passive, active or building (not yet started) nodes whose `equivalence` is
   * `same-active-condition`, which are not themselves merged (`equivalentTo` null), and whose
   * condition has one of these canonical keys (see `conditionKey`).
   */
  findEquivalent(conditionKeys: readonly string[]): Promise<readonly EngineNode[]>;

  getWorkflow(id: string): Promise<WorkflowRecord | null>;

  /** Changes with a cursor strictly greater than `since`, oldest first, at most `limit`. */
  changesSince(since: number, limit: number): Promise<readonly Change[]>;

  /** Queue a kill or restart for the engine leader. */
  enqueueCommand(command: UserCommand, queuedAt: number): Promise<number>;

  /** Remove and return queued commands, oldest first. Each is returned to exactly one caller. */
  takeCommands(limit: number): Promise<readonly QueuedCommand[]>;

  /** Everything, for backup or sync: workflows, then nodes, then history. */
  exportAll(): AsyncIterable<ExportRecord>;

  /**
   * Insert records from an export. Idempotent: a record already present (same id, or same node
   * id + attempt + time + state for history) is skipped, so importing twice duplicates nothing.
   */
  importAll(
    records: AsyncIterable<ExportRecord>,
  ): Promise<{ readonly imported: number; readonly skipped: number }>;

  /**
   * Optional: the highest change cursor written so far (0 when none), so a live stream can start
   * at "now" without reading the whole feed. Default: derived from `changesSince`.
   */
  latestChangeCursor?(): Promise<number>;

  /**
   * Optional: delete the changes of the feed whose `time` is before `before` (epoch ms) and say
   * how many went. Cursors are never reused: a reader whose cursor was pruned reads on from the
   * oldest change kept. Stores without it keep their feed forever.
   */
  pruneChanges?(before: number): Promise<number>;

  /**
   * Optional, for stores that several servers share (PostgreSQL): try to become the one process
   * that runs the engine on this database. `true` = this store now holds the lock until
   * `releaseEngineLock()` or `close()`; `false` = another process holds it. Stores without it
   * are single-process (the embedded SQLite default): every server is the leader.
   */
  tryAcquireEngineLock?(): Promise<boolean>;

  /** Optional: give the engine lock back. Harmless when not held. */
  releaseEngineLock?(): Promise<void>;

  close(): Promise<void>;
}
