import type { EngineNode, HistoryEntry } from '../core/engine-node.js';
import { conditionKey } from '../core/condition-key.js';
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
import { canonicalJson } from './canonical-json.js';
import { EquivalenceIndex } from './equivalence-index.js';
import { frozenCopy } from './frozen-copy.js';
import { matchesNodeFilter } from './node-filter-match.js';
import { comparePagePositions, decodePageCursor, encodePageCursor } from './page-cursor.js';
import { ReverseEdgeIndex, type ReverseEdges } from './reverse-edge-index.js';
import { copySubmission } from './submission-copy.js';

export interface MemoryStoreOptions {
  /** Names the store in error messages. Default `'memory'`. */
  readonly name?: string | undefined;
}

interface NodeEntry {
  node: EngineNode;
  readonly conditionKey: string | null;
  readonly history: HistoryEntry[];
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
  readonly #nodes = new Map<string, NodeEntry>();
  readonly #unfinished = new Set<string>();
  readonly #equivalence = new EquivalenceIndex();
  readonly #reverseEdges = new ReverseEdgeIndex();
  /** Every node entry in `queryNodes` order, once `#orderDirty` is false. */
  #order: NodeEntry[] = [];
  #orderDirty = false;
  readonly #changes: Change[] = [];
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
    for (const node of copies.nodes) this.#addNode(node);
    for (const entry of copies.history) this.#nodes.get(entry.nodeId)?.history.push(entry);
  }

  async applyTransitions(batch: TransitionBatch): Promise<void> {
    this.#ready();
    const unknown = new Set<string>();
    for (const node of batch.nodes) if (!this.#nodes.has(node.id)) unknown.add(node.id);
    for (const entry of batch.history)
      if (!this.#nodes.has(entry.nodeId)) unknown.add(entry.nodeId);
    if (unknown.size > 0) {
      const ids = [...unknown];
      throw this.#error(`unknown node(s) ${ids.join(', ')}`, { nodeIds: ids });
    }
    // Copy everything first, before anything changes. One memo: a history entry usually holds
    // the very state object of its node.
    const memo = new Map<object, unknown>();
    const updates = new Map<string, EngineNode>();
    for (const node of batch.nodes) {
      const stored = (this.#nodes.get(node.id) as NodeEntry).node;
      const updated: EngineNode = {
        id: stored.id,
        workflowId: stored.workflowId,
        spec: stored.spec,
        state: frozenCopy(node.state, memo),
        attempt: node.attempt,
        successiveErrors: node.successiveErrors,
        equivalentTo: node.equivalentTo,
        createdAt: stored.createdAt,
        updatedAt: node.updatedAt,
      };
      updates.set(node.id, Object.freeze(updated));
    }
    const historyCopies = frozenCopy(batch.history, memo);
    for (const node of updates.values()) {
      const entry = this.#nodes.get(node.id) as NodeEntry;
      this.#equivalence.update(entry.node, node, entry.conditionKey);
      entry.node = node;
      if (node.state.kind === 'finished') this.#unfinished.delete(node.id);
      else this.#unfinished.add(node.id);
      this.#recordChange(node);
    }
    for (const entry of historyCopies) this.#nodes.get(entry.nodeId)?.history.push(entry);
  }

  async loadUnfinished(): Promise<readonly EngineNode[]> {
    this.#ready();
    const nodes: EngineNode[] = [];
    for (const id of this.#unfinished) nodes.push((this.#nodes.get(id) as NodeEntry).node);
    return nodes;
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
    return this.#reverseEdges.get(id);
  }

  async queryNodes(filter: NodeFilter, page: Page): Promise<NodePage> {
    this.#ready();
    checkLimit('page.limit', page.limit, 1000);
    const after = page.after === undefined ? undefined : decodePageCursor(page.after);
    const selected: EngineNode[] = [];
    let total = 0;
    let matchedAfter = 0;
    for (const entry of this.#candidates(filter)) {
      if (!matchesNodeFilter(entry.node, filter)) continue;
      total += 1;
      if (after !== undefined && comparePagePositions(entry.node, after) <= 0) continue;
      matchedAfter += 1;
      if (selected.length < page.limit) selected.push(entry.node);
    }
    const last = selected[selected.length - 1];
    return {
      nodes: selected,
      next: matchedAfter > page.limit && last !== undefined ? encodePageCursor(last) : null,
      total,
    };
  }

  async countByStatus(filter: NodeFilter): Promise<Readonly<Record<SimpleStatus, number>>> {
    this.#ready();
    const counts: Record<SimpleStatus, number> = {
      activable: 0,
      'in-progress': 0,
      successful: 0,
      failed: 0,
    };
    for (const entry of this.#candidates(filter)) {
      if (matchesNodeFilter(entry.node, filter)) counts[simpleStatusOf(entry.node.state)] += 1;
    }
    return counts;
  }

  async findEquivalent(conditionKeys: readonly string[]): Promise<readonly EngineNode[]> {
    this.#ready();
    const entries = new Map<string, NodeEntry>();
    for (const key of conditionKeys) {
      for (const id of this.#equivalence.ids(key))
        entries.set(id, this.#nodes.get(id) as NodeEntry);
    }
    const nodes = [...entries.values()].map((entry) => entry.node);
    return nodes.sort(comparePagePositions);
  }

  async getWorkflow(id: string): Promise<WorkflowRecord | null> {
    this.#ready();
    const workflow = this.#workflows.get(id);
    return workflow ?? null;
  }

  async changesSince(since: number, limit: number): Promise<readonly Change[]> {
    this.#ready();
    checkLimit('limit', limit);
    // Cursors here are 1-based positions in #changes.
    const start = Math.max(0, Math.floor(since));
    return this.#changes.slice(start, start + limit);
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

  #addNode(node: EngineNode): void {
    const key = conditionKey(node.spec.condition);
    const entry: NodeEntry = { node, conditionKey: key, history: [] };
    this.#nodes.set(node.id, entry);
    if (node.state.kind !== 'finished') this.#unfinished.add(node.id);
    this.#equivalence.update(undefined, node, key);
    this.#reverseEdges.add(node.id, node.spec);
    const last = this.#order[this.#order.length - 1];
    if (last !== undefined && comparePagePositions(last.node, node) > 0) this.#orderDirty = true;
    this.#order.push(entry);
    this.#recordChange(node);
  }

  #recordChange(node: EngineNode): void {
    this.#changes.push(
      Object.freeze({
        cursor: this.#changes.length + 1,
        nodeId: node.id,
        state: node.state.kind,
        time: node.updatedAt,
      }),
    );
  }

  /** The entries a filter may select, in `queryNodes` order. */
  #candidates(filter: NodeFilter): readonly NodeEntry[] {
    if (filter.ids !== undefined) {
      const entries = new Set<NodeEntry>();
      for (const id of filter.ids) {
        const entry = this.#nodes.get(id);
        if (entry !== undefined) entries.add(entry);
      }
      return [...entries].sort((a, b) => comparePagePositions(a.node, b.node));
    }
    if (this.#orderDirty) {
      this.#order.sort((a, b) => comparePagePositions(a.node, b.node));
      this.#orderDirty = false;
    }
    return this.#order;
  }

  #snapshot(): ExportRecord[] {
    this.#ready();
    const records: ExportRecord[] = [];
    for (const workflow of this.#workflows.values()) records.push({ type: 'workflow', workflow });
    const entries = this.#candidates({});
    for (const entry of entries) records.push({ type: 'node', node: entry.node });
    for (const entry of entries) {
      for (const history of entry.history) records.push({ type: 'history', entry: history });
    }
    return records;
  }

  /** Import one record (already a copy); false if it was present. Throws before writing. */
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
        this.#addNode(record.node);
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
        entry.history.push(record.entry);
        return true;
      }
      default:
        throw this.#error(
          `cannot import a record of type ${JSON.stringify(unknownType(record))}`,
          {},
        );
    }
  }
}

/** What makes two history entries the same for `importAll`: node, attempt, time and state. */
function historyKey(entry: HistoryEntry): string {
  return `${entry.nodeId}\u0000${entry.attempt}\u0000${entry.time}\u0000${canonicalJson(entry.state)}`;
}

function unknownType(record: never): unknown {
  return (record as { type?: unknown }).type;
}

function checkLimit(what: string, limit: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new RangeError(`${what} must be an integer from 1 to ${max}, got ${limit}`);
  }
}
