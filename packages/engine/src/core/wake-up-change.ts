import type { NodeCommand } from './commands.js';
import type { EngineNode } from './engine-node.js';
import type { NodeEvent } from './events.js';
import { isRetryableFailedState } from './node-state.js';
import type { NodeChange } from './node-change.js';
import { enterActive } from './activation-change.js';

type WakeUp = Extract<NodeEvent, { readonly kind: 'wake-up' }>;

/**
 * A scheduled wake-up. Only one for the node's current attempt, in the state that scheduled it,
 * does anything; any other is stale.
 * - `timeout` in `running`: kill the job, to fail with reason `timeout`.
 * - `next-attempt` in a failed state with `nextAttemptAt`: start attempt + 1.
 * - `retry-phase` after a recoverable error: issue the failed phase's command again.
 */
export function onWakeUp(node: EngineNode, event: WakeUp): NodeChange | null {
  if (event.attempt !== node.attempt) return null;
  const state = node.state;
  switch (event.reason) {
    case 'timeout': {
      const seconds = node.spec.timeout;
      if (state.kind !== 'running' || seconds === null) return null;
      const reason = { kind: 'timeout', seconds } as const;
      return {
        states: [{ kind: 'killing', jobName: state.jobName, run: state.run, reason }],
        commands: [{ kind: 'kill', jobName: state.jobName, run: state.run }],
        message: `timed out after ${seconds} s`,
      };
    }
    case 'next-attempt': {
      if (!isRetryableFailedState(state) || state.nextAttemptAt === undefined) return null;
      const by = { kind: 'retry', previousAttempt: node.attempt } as const;
      return { ...enterActive(node, by), attempt: node.attempt + 1 };
    }
    case 'retry-phase': {
      if (node.successiveErrors === 0) return null;
      const command = phaseRetryCommand(node);
      return command === null ? null : { states: [], commands: [command] };
    }
    default:
      return unreachable(event.reason);
  }
}

function phaseRetryCommand(node: EngineNode): NodeCommand | null {
  const state = node.state;
  const condition = node.spec.condition;
  switch (state.kind) {
    case 'active':
    case 'ran-successfully':
    case 'did-nothing':
      return condition === null ? null : { kind: 'evaluate-condition', condition };
    case 'starting':
      // A recoverable error may have hidden a successful submission: look for the job first.
      return { kind: 'start', jobName: state.jobName, findFirst: true };
    case 'killing':
      return { kind: 'kill', jobName: state.jobName, run: state.run };
    default:
      return null;
  }
}

function unreachable(value: never): never {
  throw new Error(`unhandled wake-up reason ${JSON.stringify(value)}`);
}
