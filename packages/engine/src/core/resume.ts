import type { NodeCommand } from './commands.js';
import type { EngineNode } from './engine-node.js';
import { activateDependencies } from './activation-change.js';
import { isRetryableFailedState } from './node-state.js';
import { timeoutWakeUp } from './timeout-wake-up.js';

/**
 * The commands that bring a node loaded from the store back to life when the engine starts
 * again (after a crash or a stop), as if the answers it was waiting for had been lost. Pure.
 *
 * Contract: every state a node can be stored in has a way forward, and nothing is done twice:
 * a node in `starting` looks for its job before starting it (`findFirst: true`), a running node
 * is watched again (its `timeout` still counts from `since`), a killing node is killed again
 * (killing a job that already ended succeeds). A `building` node activates its dependencies again;
 * the runtime then recounts them and sends `dependencies-succeeded`/`-failed` if they are done.
 * Passive and finished nodes need nothing.
 *
 * @example for (const node of await store.loadUnfinished()) carryOut(node, resume(node));
 */
export function resume(node: EngineNode): NodeCommand[] {
  const state = node.state;
  const condition = node.spec.condition;
  const evaluate: NodeCommand[] =
    condition === null ? [] : [{ kind: 'evaluate-condition', condition }];
  switch (state.kind) {
    case 'active':
      return condition === null || node.equivalentTo !== null
        ? activateDependencies(node)
        : evaluate;
    case 'building':
      return activateDependencies(node);
    case 'starting':
      return [{ kind: 'start', jobName: state.jobName, findFirst: true }];
    case 'running':
      return [{ kind: 'watch' }, ...timeoutWakeUp(node, state.since)];
    case 'ran-successfully':
    case 'did-nothing':
      return evaluate;
    case 'killing':
      return [{ kind: 'kill', jobName: state.jobName, run: state.run }];
    default:
      if (isRetryableFailedState(state) && state.nextAttemptAt !== undefined) {
        return [
          {
            kind: 'wake-up',
            at: state.nextAttemptAt,
            reason: 'next-attempt',
            attempt: node.attempt,
          },
        ];
      }
      // passive, finished, and the states a transition only passes through.
      return [];
  }
}
