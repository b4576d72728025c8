import type { NodeStateKind, SimpleStatus } from '@ketrew/engine';

/**
 * The simple statuses a node in each state may have (`simpleStatusOf`; a finished node keeps
 * its outcome). A filter on states also constrains `status` with it, so the `nodes_status`
 * index serves both filters. Must agree with `simpleStatusOf` (a test checks it).
 */
export const STATUSES_OF_STATE = {
  passive: ['activable'],
  active: ['in-progress'],
  building: ['in-progress'],
  starting: ['in-progress'],
  running: ['in-progress'],
  'ran-successfully': ['in-progress'],
  'did-nothing': ['in-progress'],
  killing: ['in-progress'],
  'already-done': ['successful'],
  'verified-success': ['successful'],
  'dependencies-failed': ['failed'],
  'failed-to-start': ['failed'],
  'failed-running': ['failed'],
  'did-not-ensure-condition': ['failed'],
  'failed-to-eval-condition': ['failed'],
  killed: ['failed'],
  'failed-to-kill': ['failed'],
  finished: ['successful', 'failed'],
} as const satisfies Record<NodeStateKind, readonly SimpleStatus[]>;

/** The statuses nodes in any of these states may have, each once. */
export function statusesOfStates(states: readonly NodeStateKind[]): SimpleStatus[] {
  return [...new Set(states.flatMap((state) => STATUSES_OF_STATE[state]))];
}
