import type { NodeSpec } from '@ketrew/edsl';
import type { NodeState } from './node-state.js';

/**
 * A node as the engine keeps it: the immutable spec it was submitted with, and its mutable
 * lifecycle. Immutable data: transitions return a new object.
 */
export interface EngineNode {
  readonly id: string;
  readonly workflowId: string;
  readonly spec: NodeSpec;
  readonly state: NodeState;
  /** 1-based; incremented by a retry or a restart. */
  readonly attempt: number;
  /** Recoverable errors in a row in the current phase; reset by any progress. */
  readonly successiveErrors: number;
  /**
   * Set when this node was merged into an equivalent node at submission: it runs nothing
   * itself, waits for that node, and ends with its outcome.
   */
  readonly equivalentTo: string | null;
  /** Epoch milliseconds. */
  readonly createdAt: number;
  readonly updatedAt: number;
}

/** One entry of a node's append-only history. */
export interface HistoryEntry {
  readonly nodeId: string;
  readonly attempt: number;
  /** Epoch milliseconds. */
  readonly time: number;
  readonly state: NodeState;
  /** Human-readable detail, e.g. the error of a recoverable failure being retried. */
  readonly message: string | null;
}
