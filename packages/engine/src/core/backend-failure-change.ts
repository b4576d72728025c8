import type { NodeCommand } from './commands.js';
import type { CoreConfig } from './core-config.js';
import type { EngineNode } from './engine-node.js';
import type { NodeEvent, Phase } from './events.js';
import type { NodeState } from './node-state.js';
import type { NodeChange } from './node-change.js';
import { errorBackoffMs } from './backoff.js';
import { failOrRetry, finishFailed } from './ending-change.js';

type BackendFailed = Extract<NodeEvent, { readonly kind: 'backend-failed' }>;

/** Whether an error of this phase can concern a node in this state. */
export function phaseOf(state: NodeState): Phase | null {
  switch (state.kind) {
    case 'active':
    case 'ran-successfully':
    case 'did-nothing':
      return 'condition';
    case 'starting':
      return 'start';
    case 'running':
      return 'poll';
    case 'killing':
      return 'kill';
    default:
      return null;
  }
}

/**
 * A backend or host error. Recoverable ones are counted in `successiveErrors` and retried after
 * `errorBackoffMs(n)` (a poll error needs no wake-up: the next poll is the retry); the
 * `maximumSuccessiveAttempts`-th in a row, or any fatal one, fails the node; a running node that
 * fails so (a poll error) gets a `kill` of its run first, since its job may still be running.
 */
export function onBackendFailed(
  node: EngineNode,
  event: BackendFailed,
  config: CoreConfig,
): NodeChange | null {
  const state = node.state;
  if (phaseOf(state) !== event.phase) return null;
  const n = node.successiveErrors + 1;
  const limit = config.maximumSuccessiveAttempts;
  const retried = event.recoverable && !config.turnRecoverableIntoFailure;
  if (retried && n < limit) {
    const at = event.time + errorBackoffMs(n, config);
    return {
      states: [],
      commands:
        event.phase === 'poll'
          ? []
          : [{ kind: 'wake-up', at, reason: 'retry-phase', attempt: node.attempt }],
      successiveErrors: n,
      message: `recoverable ${event.phase} error ${n}/${limit}, retrying: ${event.message}`,
    };
  }
  const message = retried
    ? `${event.message} (gave up after ${n} recoverable errors in a row)`
    : event.message;
  const backendError = { kind: 'backend-error', message } as const;
  switch (state.kind) {
    case 'active':
    case 'ran-successfully':
    case 'did-nothing':
      return failOrRetry(
        node,
        { kind: 'failed-to-eval-condition', reason: backendError },
        event.time,
      );
    case 'starting':
      return failOrRetry(
        node,
        { kind: 'failed-to-start', reason: { kind: 'start-failed', message } },
        event.time,
      );
    case 'running': {
      // The engine stops watching the job, which may still be running: kill it first, so that
      // nothing runs unaccounted for (nor beside a retry). The kill's answer finds the node
      // failed and changes nothing.
      const failed = failOrRetry(
        node,
        { kind: 'failed-running', reason: backendError, run: state.run },
        event.time,
      );
      const kill: NodeCommand = { kind: 'kill', jobName: state.jobName, run: state.run };
      return { ...failed, commands: [kill, ...failed.commands] };
    }
    case 'killing':
      // Never retried: the job may still be alive, and a new attempt could run beside it.
      return finishFailed(
        node,
        { kind: 'failed-to-kill', reason: backendError },
        {
          fireEdges: true,
          before: [
            {
              kind: 'notify',
              level: 'warning',
              message: `could not kill ${state.jobName ?? 'the job'} of node ${node.id}; it may still be running: ${message}`,
            },
          ],
        },
      );
    default:
      return null;
  }
}
