import type { EngineNode, HistoryEntry } from '../core/engine-node.js';
import type { SimpleStatus } from '../core/node-state.js';
import { simpleStatusOf } from '../core/simple-status.js';
import { ClosedError, StoreError } from '../errors.js';
import type {
  Change,
  ExportRecord,
  NodeFilter,
  NodePage,
  Page,
  QueuedCommand,
  Store,
  TransitionBatch,
  UserCommand,
  WorkflowRecord,
} from '../ports/store.js';
import { checkLimit } from './check-limit.js';
import { frozenCopy, keptOrCopied } from './frozen-copy.js';
import { matchesNodeFilter } from './node-filter-match.js';
import { comparePagePositions, decodePageCursor, encodePageCursor } from './page-cursor.js';
import { historyKey } from './history-key.js';
import { NodeTable, type NodeEntry } from './node-table.js';
import type { ReverseEdges } from './reverse-edge-index.js';
import { copySubmission } from './submission-copy.js';

export interface MemoryStoreOptions {
  /** Names the store in error messages. Default `'memory'`. */
  readonly name?: string | undefined;
}

/**
 * The reference `Store`: everything in memory, every clause of the contract kept
 * (docs/store-contract.md). Used by unit tests and by the engine's benchmarks; it is what the
 * SQLite and PostgreSQL stores are compared with by `describeStoreContract`.
 *
 * Values are copied in as frozen JSON (exactly what a database keeps: `undefined` fields vanish)
 * and handed out frozen, without a second copy: callers can never change the store through an
 * object they passed or received (a write to a returned object throws a TypeError in strict
 * code). Arrays returned are always fresh. Writes validate the whole call before changing
 * anything. `applyTransitions` and `loadUnfinished` use indexes, never a scan
 * of all nodes; `queryNodes` and `countByStatus` scan.
 *
 * @example
 * const store = new MemoryStore();
 * await store.migrate();
 * await store.insertWorkflow(workflow, nodes, history);
 */
export class MemoryStore implements Store {
  readonly #name: string;
  #migrated = false;
  #closed = false;
  readonly #workflows = new Map<string, WorkflowRecord>();
  readonly #nodes = new NodeTable();
  #commands: QueuedCommand[] = [];
  #nextCommandId = 1;

  constructor(options: MemoryStoreOptions = {}) {
    this.#name = options.name ?? 'memory';
  }

  /** A migrated store, ready to use. */
  static async create(options: MemoryStoreOptions = {}): Promise<MemoryStore> {
    const store = new MemoryStore(options);
    await store.migrate();
    return store;
  }

  async migrate(): Promise<void> {
    if (this.#closed) throw new ClosedError(`${this.#name} store`);
    this.#migrated = true;
  }

  async insertWorkflow(
    workflow: WorkflowRecord,
    nodes: readonly EngineNode[],
    history: readonly HistoryEntry[],
  ): Promise<void> {
    this.#ready();
    if (this.#workflows.has(workflow.id)) {
      throw this.#error(`workflow ${workflow.id} already exists`, { workflowId: workflow.id });
    }
    const batchIds = new Set<string>();
    for (const node of nodes) {
      if (this.#nodes.has(node.id)) {
        throw this.#error(`node ${node.id} already exists`, { nodeId: node.id });
      }
      if (batchIds.has(node.id)) {
        throw this.#error(`node ${node.id} appears twice`, { nodeId: node.id });
      }
      if (node.workflowId !== workflow.id) {
        throw this.#error(`node ${node.id} belongs to workflow ${node.workflowId}`, {
          nodeId: node.id,
        });
      }
      batchIds.add(node.id);
    }
    for (const entry of history) {
      if (!batchIds.has(entry.nodeId)) {
        throw this.#error(`history entry for node ${entry.nodeId}, not in this workflow`, {
          nodeId: entry.nodeId,
        });
      }
    }
    const copies = copySubmission(workflow, nodes, history);
    this.#workflows.set(copies.workflow.id, copies.workflow);
    for (const node of copies.nodes) this.#nodes.add(node);
    for (const entry of copies.history) this.#nodes.appendHistory(entry);
  }

  async applyTransitions(batch: TransitionBatch): Promise<void> {
    this.#ready();
    const stored: NodeEntry[] = [];
    let unknown: Set<string> | null = null;
    for (const node of batch.nodes) {
      const entry = this.#nodes.get(node.id);
      if (entry === undefined) (unknown ??= new Set()).add(node.id);
      else stored.push(entry);
    }
    for (const entry of batch.history) {
      if (!this.#nodes.has(entry.nodeId)) (unknown ??= new Set()).add(entry.nodeId);
    }
    if (unknown !== null) {
      const ids = [...unknown];
      throw this.#error(`unknown node(s) ${ids.join(', ')}`, { nodeIds: ids });
    }
    // Copy everything before changing anything; what is deep-frozen JSON already (the core's
    // states and history entries) is kept as it is. One memo: a history entry usually holds the
    // very state object of its node.
    const memo = new Map<object, unknown>();
    const updates = new Map<string, EngineNode>();
    for (let i = 0; i < batch.nodes.length; i += 1) {
      const node = batch.nodes[i] as EngineNode;
      const { node: previous } = stored[i] as NodeEntry;
      const updated: EngineNode = Object.freeze({
        id: previous.id,
        workflowId: previous.workflowId,
        spec: previous.spec,
        state: keptOrCopied(node.state, memo),
        attempt: node.attempt,
        successiveErrors: node.successiveErrors,
        equivalentTo: node.equivalentTo,
        createdAt: previous.createdAt,
        updatedAt: node.updatedAt,
      });
      updates.set(node.id, updated);
    }
    const history: HistoryEntry[] = new Array<HistoryEntry>(batch.history.length);
    for (let i = 0; i < batch.history.length; i += 1) {
      history[i] = keptOrCopied(batch.history[i] as HistoryEntry, memo);
    }
    for (const node of updates.values()) this.#nodes.replace(node);
    for (const entry of history) this.#nodes.appendHistory(entry);
  }

  async loadUnfinished(): Promise<readonly EngineNode[]> {
    this.#ready();
    return this.#nodes.unfinished();
  }

  async getNodes(ids: readonly string[]): Promise<readonly EngineNode[]> {
    this.#ready();
    const nodes = new Map<string, EngineNode>();
    for (const id of ids) {
      const entry = this.#nodes.get(id);
      if (entry !== undefined) nodes.set(id, entry.node);
    }
    return [...nodes.values()];
  }

  async getHistory(
    id: string,
    options: { readonly attempt?: number | undefined } = {},
  ): Promise<readonly HistoryEntry[]> {
    this.#ready();
    const history = this.#nodes.get(id)?.history ?? [];
    const attempt = options.attempt;
    return attempt === undefined
      ? history.slice()
      : history.filter((entry) => entry.attempt === attempt);
  }

  async getReverseEdges(id: string): Promise<ReverseEdges> {
    this.#ready();
    return this.#nodes.reverseEdges(id);
  }

  async queryNodes(filter: NodeFilter, page: Page): Promise<NodePage> {
    this.#ready();
    checkLimit('page.limit', page.limit, 1000);
    const after = page.after === undefined ? undefined : decodePageCursor(page.after);
    const selected: EngineNode[] = [];
    let total = 0;
    let matchedAfter = 0;
    for (const entry of this.#nodes.candidates(filter)) {
      if (!matchesNodeFilter(entry.node, filter)) continue;
      total += 1;
      if (after !== undefined && comparePagePositions(entry.node, after) <= 0) continue;
      matchedAfter += 1;
      if (selected.length < page.limit) selected.push(entry.node);
    }
    const last = selected[selected.length - 1];
    const next = matchedAfter > page.limit && last !== undefined ? encodePageCursor(last) : null;
    return { nodes: selected, next, total };
  }

  async countByStatus(filter: NodeFilter): Promise<Readonly<Record<SimpleStatus, number>>> {
    this.#ready();
    const counts: Record<SimpleStatus, number> = {
      activable: 0,
      'in-progress': 0,
      successful: 0,
      failed: 0,
    };
    for (const entry of this.#nodes.candidates(filter)) {
      if (matchesNodeFilter(entry.node, filter)) counts[simpleStatusOf(entry.node.state)] += 1;
    }
    return counts;
  }

  async findEquivalent(conditionKeys: readonly string[]): Promise<readonly EngineNode[]> {
    this.#ready();
    return this.#nodes.equivalent(conditionKeys);
  }

  async getWorkflow(id: string): Promise<WorkflowRecord | null> {
    this.#ready();
    return this.#workflows.get(id) ?? null;
  }

  async changesSince(since: number, limit: number): Promise<readonly Change[]> {
    this.#ready();
    checkLimit('limit', limit);
    return this.#nodes.changesSince(since, limit);
  }

  async enqueueCommand(command: UserCommand, queuedAt: number): Promise<number> {
    this.#ready();
    const queued = frozenCopy({ id: this.#nextCommandId, command, queuedAt });
    this.#nextCommandId += 1;
    this.#commands.push(queued);
    return queued.id;
  }

  async takeCommands(limit: number): Promise<readonly QueuedCommand[]> {
    this.#ready();
    checkLimit('limit', limit);
    const taken = this.#commands.slice(0, limit);
    this.#commands = this.#commands.slice(limit);
    return taken;
  }

  exportAll(): AsyncIterable<ExportRecord> {
    // The snapshot is taken when iteration starts, so a reader sees all or none of a write.
    const snapshot = (): ExportRecord[] => this.#snapshot();
    return {
      async *[Symbol.asyncIterator]() {
        yield* snapshot();
      },
    };
  }

  async importAll(
    records: AsyncIterable<ExportRecord>,
  ): Promise<{ readonly imported: number; readonly skipped: number }> {
    this.#ready();
    let imported = 0;
    let skipped = 0;
    for await (const record of records) {
      this.#ready();
      if (this.#importRecord(frozenCopy(record))) imported += 1;
      else skipped += 1;
    }
    return { imported, skipped };
  }

  async close(): Promise<void> {
    this.#closed = true;
  }

  #ready(): void {
    if (this.#closed) throw new ClosedError(`${this.#name} store`);
    if (!this.#migrated) {
      throw new StoreError(`${this.#name} store: call migrate() before using the store`, {
        retryable: false,
      });
    }
  }

  #error(message: string, details: Record<string, unknown>): StoreError {
    return new StoreError(`${this.#name} store: ${message}; nothing was written`, {
      retryable: false,
      details,
    });
  }

  #snapshot(): ExportRecord[] {
    this.#ready();
    const records: ExportRecord[] = [];
    for (const workflow of this.#workflows.values()) records.push({ type: 'workflow', workflow });
    const entries = this.#nodes.candidates({});
    for (const entry of entries) records.push({ type: 'node', node: entry.node });
    for (const entry of entries) {
      for (const history of entry.history) records.push({ type: 'history', entry: history });
    }
    return records;
  }

  /** Import one record (a frozen copy); false if it was already present. */
  #importRecord(record: ExportRecord): boolean {
    switch (record.type) {
      case 'workflow':
        if (this.#workflows.has(record.workflow.id)) return false;
        this.#workflows.set(record.workflow.id, record.workflow);
        return true;
      case 'node':
        if (this.#nodes.has(record.node.id)) return false;
        if (!this.#workflows.has(record.node.workflowId)) {
          throw this.#error(
            `cannot import node ${record.node.id}: workflow ${record.node.workflowId} is unknown`,
            { nodeId: record.node.id },
          );
        }
        this.#nodes.add(record.node);
        return true;
      case 'history': {
        const entry = this.#nodes.get(record.entry.nodeId);
        if (entry === undefined) {
          throw this.#error(`cannot import history: node ${record.entry.nodeId} is unknown`, {
            nodeId: record.entry.nodeId,
          });
        }
        const key = historyKey(record.entry);
        if (entry.history.some((existing) => historyKey(existing) === key)) return false;
        this.#nodes.appendHistory(record.entry);
        return true;
      }
      default:
        throw this.#error(`cannot import a record of type ${JSON.stringify(typeOf(record))}`, {});
    }
  }
}

function typeOf(record: never): unknown {
  return (record as { type?: unknown }).type;
}
