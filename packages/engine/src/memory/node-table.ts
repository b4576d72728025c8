import { conditionKey } from '../core/condition-key.js';
import type { EngineNode, HistoryEntry } from '../core/engine-node.js';
import type { NodeStateKind } from '../core/node-state.js';
import type { Change, NodeFilter } from '../ports/store.js';
import { EquivalenceIndex } from './equivalence-index.js';
import { comparePagePositions } from './page-cursor.js';
import { ReverseEdgeIndex, type ReverseEdges } from './reverse-edge-index.js';

/** A stored node: its current version (frozen), its condition key and its history. */
export interface NodeEntry {
  readonly node: EngineNode;
  readonly conditionKey: string | null;
  readonly history: readonly HistoryEntry[];
}

interface MutableEntry {
  node: EngineNode;
  readonly conditionKey: string | null;
  readonly history: HistoryEntry[];
}

/**
 * The nodes of a memory store with the indexes that keep the engine's hot path free of scans:
 * by id, the unfinished set, condition key → equivalence candidates, reverse edges, the
 * creation order, and the change feed. Callers validate; this table only records.
 */
export class NodeTable {
  readonly #entries = new Map<string, MutableEntry>();
  readonly #unfinished = new Set<string>();
  readonly #equivalence = new EquivalenceIndex();
  readonly #reverseEdges = new ReverseEdgeIndex();
  /** Every entry, in `queryNodes` order once `#orderDirty` is false. */
  readonly #order: MutableEntry[] = [];
  #orderDirty = false;
  // The change feed in three columns (a change object per write would be most of the store's
  // garbage); `Change` objects are made only when read.
  readonly #changeIds: string[] = [];
  readonly #changeStates: NodeStateKind[] = [];
  readonly #changeTimes: number[] = [];

  has(id: string): boolean {
    return this.#entries.has(id);
  }

  get(id: string): NodeEntry | undefined {
    return this.#entries.get(id);
  }

  /** Add a new node (a frozen copy); records a change. */
  add(node: EngineNode): void {
    const key = conditionKey(node.spec.condition);
    const entry: MutableEntry = { node, conditionKey: key, history: [] };
    this.#entries.set(node.id, entry);
    if (node.state.kind !== 'finished') this.#unfinished.add(node.id);
    this.#equivalence.update(undefined, node, key);
    this.#reverseEdges.add(node.id, node.spec);
    const last = this.#order[this.#order.length - 1];
    if (last !== undefined && comparePagePositions(last.node, node) > 0) this.#orderDirty = true;
    this.#order.push(entry);
    this.#recordChange(node);
  }

  /** Replace a stored node by a new version (a frozen copy); records a change. */
  replace(node: EngineNode): void {
    const entry = this.#entries.get(node.id);
    if (entry === undefined) throw new Error(`node ${node.id} is not in the table`);
    this.#equivalence.update(entry.node, node, entry.conditionKey);
    entry.node = node;
    if (node.state.kind === 'finished') this.#unfinished.delete(node.id);
    else this.#unfinished.add(node.id);
    this.#recordChange(node);
  }

  appendHistory(entry: HistoryEntry): void {
    this.#entries.get(entry.nodeId)?.history.push(entry);
  }

  unfinished(): EngineNode[] {
    const nodes: EngineNode[] = [];
    for (const id of this.#unfinished) nodes.push((this.#entries.get(id) as MutableEntry).node);
    return nodes;
  }

  /** The entries a filter may select (a superset), in `queryNodes` order. */
  candidates(filter: NodeFilter): readonly NodeEntry[] {
    if (filter.ids !== undefined) {
      const entries = new Set<NodeEntry>();
      for (const id of filter.ids) {
        const entry = this.#entries.get(id);
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

  /** Equivalence candidates with one of these condition keys, in creation order. */
  equivalent(keys: readonly string[]): EngineNode[] {
    const nodes = new Map<string, EngineNode>();
    for (const key of keys) {
      for (const id of this.#equivalence.ids(key)) {
        nodes.set(id, (this.#entries.get(id) as MutableEntry).node);
      }
    }
    return [...nodes.values()].sort(comparePagePositions);
  }

  reverseEdges(id: string): ReverseEdges {
    return this.#reverseEdges.get(id);
  }

  /** Cursors are 1-based positions in the feed, so a page is a slice. */
  changesSince(since: number, limit: number): Change[] {
    const start = Math.max(0, Math.floor(since));
    const end = Math.min(this.#changeIds.length, start + limit);
    const changes: Change[] = [];
    for (let i = start; i < end; i += 1) {
      changes.push(
        Object.freeze({
          cursor: i + 1,
          nodeId: this.#changeIds[i] as string,
          state: this.#changeStates[i] as NodeStateKind,
          time: this.#changeTimes[i] as number,
        }),
      );
    }
    return changes;
  }

  #recordChange(node: EngineNode): void {
    this.#changeIds.push(node.id);
    this.#changeStates.push(node.state.kind);
    this.#changeTimes.push(node.updatedAt);
  }
}
