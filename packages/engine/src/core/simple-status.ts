import type { NodeState, SimpleStatus } from './node-state.js';

/** The original's simple status of a state; a finished node keeps its outcome. */
export function simpleStatusOf(state: NodeState): SimpleStatus {
  switch (state.kind) {
    case 'passive':
      return 'activable';
    case 'active':
    case 'building':
    case 'starting':
    case 'running':
    case 'ran-successfully':
    case 'did-nothing':
    case 'killing':
      return 'in-progress';
    case 'already-done':
    case 'verified-success':
      return 'successful';
    case 'dependencies-failed':
    case 'failed-to-start':
    case 'failed-running':
    case 'did-not-ensure-condition':
    case 'failed-to-eval-condition':
    case 'killed':
    case 'failed-to-kill':
      return 'failed';
    case 'finished':
      return state.outcome === 'successful' ? 'successful' : 'failed';
    default:
      return unreachable(state);
  }
}

function unreachable(value: never): never {
  throw new Error(`unhandled state ${JSON.stringify(value)}`);
}
