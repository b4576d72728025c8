import type { EngineNode, HistoryEntry } from './engine-node.js';

/**
 * The history entry recording a node's current state, e.g. the first entry of a node just
 * created. Entries of transitions come with the transition's result; use this one for the rest.
 * The entry is frozen (its state is the node's, frozen by the core).
 *
 * @example historyEntryOf(createEngineNode(spec, 'wf-1', 1_700_000_000_000), 1_700_000_000_000)
 */
export function historyEntryOf(
  node: EngineNode,
  time: number,
  message: string | null = null,
): HistoryEntry {
  return Object.freeze({
    nodeId: node.id,
    attempt: node.attempt,
    time,
    state: node.state,
    message,
  });
}
