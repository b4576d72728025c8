import type { EngineNode } from './engine-node.js';
import type { FailureReason } from './failure-reason.js';
import { isRetryableFailedState } from './node-state.js';
import type { NodeChange } from './node-change.js';
import { failOrRetry, finishFailed } from './ending-change.js';

/**
 * A user's kill. Passive: killed without firing on-failure edges. Not yet started (or only
 * checking its condition): killed at once, with on-failure edges. Starting or running: the job is
 * killed through its backend first (`killing`). Waiting for a retry: the retry is cancelled.
 * A user's kill is never retried.
 */
export function onKill(node: EngineNode, message: string | undefined): NodeChange | null {
  const state = node.state;
  const reason: FailureReason =
    message === undefined ? { kind: 'killed' } : { kind: 'killed', message };
  const killed = { kind: 'killed', reason, fromPassive: false } as const;
  switch (state.kind) {
    case 'passive':
      return finishFailed(node, { ...killed, fromPassive: true }, { fireEdges: false, message });
    case 'active':
    case 'building':
    case 'ran-successfully':
    case 'did-nothing':
      return finishFailed(node, killed, { fireEdges: true, message });
    case 'starting':
      return {
        states: [{ kind: 'killing', jobName: state.jobName, run: null, reason }],
        commands: [{ kind: 'kill', jobName: state.jobName, run: null }],
        message,
      };
    case 'running':
      return {
        states: [{ kind: 'killing', jobName: state.jobName, run: state.run, reason }],
        commands: [{ kind: 'kill', jobName: state.jobName, run: state.run }],
        message,
      };
    default:
      if (isRetryableFailedState(state) && state.nextAttemptAt !== undefined) {
        return finishFailed(node, killed, { fireEdges: true, message });
      }
      return null;
  }
}

/** A passive node no active node can reach any more: killed without firing on-failure edges. */
export function onOrphaned(node: EngineNode): NodeChange | null {
  if (node.state.kind !== 'passive') return null;
  const reason = { kind: 'killed', message: 'orphaned: no active node can reach it' } as const;
  return finishFailed(node, { kind: 'killed', reason, fromPassive: true }, { fireEdges: false });
}

/**
 * The job of a `killing` node is gone (killed, or it ended by itself meanwhile): the node fails
 * with the reason it was killed for. A `timeout` may be retried; a user's kill never is.
 */
export function endKilling(
  node: EngineNode,
  reason: FailureReason,
  time: number,
  message?: string,
): NodeChange {
  const killed = { kind: 'killed', reason, fromPassive: false } as const;
  if (reason.kind === 'killed') return finishFailed(node, killed, { fireEdges: true, message });
  return failOrRetry(node, killed, time, { message });
}
