import type { NodeCommand } from './commands.js';
import type { EngineNode, HistoryEntry } from './engine-node.js';
import type { NodeState } from './node-state.js';
import type { TransitionResult } from './transition-result.js';
import { deepFreeze } from './deep-freeze.js';

/**
 * What one event does to a node, before it is applied (internal to the core). `null` from a
 * handler means "nothing": the event is a no-op in that state.
 */
export interface NodeChange {
  /** The states entered, in order; the last is the new state. Empty: the state is unchanged. */
  readonly states: readonly NodeState[];
  readonly commands: readonly NodeCommand[];
  /** Goes with the first history entry, or makes an entry of its own if there is none. */
  readonly message?: string | undefined;
  /** New attempt number (default: unchanged). */
  readonly attempt?: number | undefined;
  /** New count of recoverable errors (default: 0 if a state is entered, else unchanged). */
  readonly successiveErrors?: number | undefined;
}

/**
 * Applies a change at `time`: the new node, its commands and its history entries. The node, the
 * states entered and the history entries are deep-frozen (see `deepFreeze`).
 */
export function applyChange(node: EngineNode, change: NodeChange, time: number): TransitionResult {
  const state = change.states.at(-1) ?? node.state;
  const attempt = change.attempt ?? node.attempt;
  const successiveErrors =
    change.successiveErrors ?? (change.states.length > 0 ? 0 : node.successiveErrors);
  const changed =
    change.states.length > 0 ||
    attempt !== node.attempt ||
    successiveErrors !== node.successiveErrors ||
    change.message !== undefined;
  if (!changed) return { node, commands: [...change.commands], history: [] };

  // Fields written out rather than spread: this is the hottest allocation of the engine, and an
  // object literal of known shape is several times faster than a spread of a frozen object.
  if (change.states.length === 0) deepFreeze(state);
  for (const entered of change.states) deepFreeze(entered);
  const next: EngineNode = Object.freeze({
    id: node.id,
    workflowId: node.workflowId,
    spec: node.spec,
    state,
    attempt,
    successiveErrors,
    equivalentTo: node.equivalentTo,
    createdAt: node.createdAt,
    updatedAt: time,
  });
  const history: HistoryEntry[] = [];
  let previousKind = node.state.kind;
  for (const entered of change.states) {
    if (entered.kind === previousKind) continue;
    const message = history.length === 0 ? (change.message ?? null) : null;
    history.push(Object.freeze({ nodeId: node.id, attempt, time, state: entered, message }));
    previousKind = entered.kind;
  }
  if (history.length === 0 && change.message !== undefined) {
    history.push(Object.freeze({ nodeId: node.id, attempt, time, state, message: change.message }));
  }
  return { node: next, commands: [...change.commands], history };
}
