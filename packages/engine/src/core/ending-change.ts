import { activateCommands } from './activation-change.js';
import type { NodeCommand } from './commands.js';
import type { EngineNode } from './engine-node.js';
import type { NodeState, RetryableFailedState } from './node-state.js';
import type { NodeChange } from './node-change.js';
import { retryDelayMs } from './backoff.js';

type Unfinished = Exclude<NodeState, { readonly kind: 'finished' }>;
type Failed = RetryableFailedState | Extract<NodeState, { readonly kind: 'failed-to-kill' }>;

/**
 * Ends the node successfully after passing through `through` (whose last state, e.g.
 * `verified-success`, is the `from` of `finished`): releases dependents, fires on-success edges.
 */
export function succeed(node: EngineNode, through: readonly Unfinished[]): NodeChange {
  const from = through.at(-1)?.kind ?? 'verified-success';
  return {
    states: [...through, { kind: 'finished', outcome: 'successful', from }],
    commands: [
      { kind: 'release-dependents', outcome: 'successful' },
      ...activateCommands(node.spec.onSuccessActivate, { kind: 'success-of', id: node.id }),
    ],
  };
}

/**
 * Ends the node failed from the failed state `failure`: releases dependents and, unless
 * `fireEdges` is false (killed from passive, orphaned), fires on-failure edges.
 */
export function finishFailed(
  node: EngineNode,
  failure: Failed,
  options: {
    readonly fireEdges: boolean;
    readonly through?: readonly NodeState[];
    readonly before?: readonly NodeCommand[];
    readonly message?: string | undefined;
  },
): NodeChange {
  const edges = options.fireEdges
    ? activateCommands(node.spec.onFailureActivate, { kind: 'failure-of', id: node.id })
    : [];
  return {
    states: [
      ...(options.through ?? []),
      failure,
      { kind: 'finished', outcome: 'failed', reason: failure.reason, from: failure.kind },
    ],
    commands: [
      ...(options.before ?? []),
      { kind: 'release-dependents', outcome: 'failed' },
      ...edges,
    ],
    message: options.message,
  };
}

/**
 * A failure the node's retry policy may absorb: if `attempt < retry.attempts` and the reason's
 * kind is in `retry.on`, the node stays in `failure` with `nextAttemptAt` and a `wake-up`
 * (`next-attempt`) is scheduled; otherwise it finishes failed with on-failure edges.
 */
export function failOrRetry(
  node: EngineNode,
  failure: RetryableFailedState,
  time: number,
  options: { readonly through?: readonly NodeState[]; readonly message?: string | undefined } = {},
): NodeChange {
  const policy = node.spec.retry;
  if (
    policy !== null &&
    node.attempt < policy.attempts &&
    policy.on.includes(failure.reason.kind)
  ) {
    const at = time + retryDelayMs(policy, node.attempt);
    return {
      states: [...(options.through ?? []), { ...failure, nextAttemptAt: at }],
      commands: [{ kind: 'wake-up', at, reason: 'next-attempt', attempt: node.attempt }],
      message: options.message,
    };
  }
  return finishFailed(node, failure, { fireEdges: true, ...options });
}
