import type { EngineNode, HistoryEntry } from './engine-node.js';
import type { NodeCommand } from './commands.js';

/**
 * What `transition` returns. When the event means nothing in the node's state, `node` is the very
 * object passed in and both lists are empty: the runtime can test `result.node === node` to know
 * there is nothing to persist.
 */
export interface TransitionResult {
  /** The node after the event (a new object whenever anything changed). */
  readonly node: EngineNode;
  /** What the runtime must carry out, in order. */
  readonly commands: NodeCommand[];
  /**
   * The history entries to append, oldest first (see docs/state-machine.md, "History"): one per
   * state the node entered, plus one for a message given without a change of state.
   */
  readonly history: HistoryEntry[];
}
