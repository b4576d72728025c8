import type { NodeStateKind, SimpleStatus } from '@ketrew/engine';

const STATE_TABLE = {
  passive: true,
  active: true,
  'already-done': true,
  building: true,
  starting: true,
  running: true,
  'ran-successfully': true,
  'did-nothing': true,
  'verified-success': true,
  'dependencies-failed': true,
  'failed-to-start': true,
  'failed-running': true,
  'did-not-ensure-condition': true,
  'failed-to-eval-condition': true,
  killing: true,
  killed: true,
  'failed-to-kill': true,
  finished: true,
} as const satisfies Record<NodeStateKind, true>;

/** Every state name of the node lifecycle (DESIGN.md §4). */
export const NODE_STATE_KINDS = Object.keys(STATE_TABLE) as readonly NodeStateKind[];

export const SIMPLE_STATUSES = [
  'activable',
  'in-progress',
  'successful',
  'failed',
] as const satisfies readonly SimpleStatus[];

export function isNodeStateKind(value: string): value is NodeStateKind {
  return Object.hasOwn(STATE_TABLE, value);
}

export function isSimpleStatus(value: string): value is SimpleStatus {
  return (SIMPLE_STATUSES as readonly string[]).includes(value);
}
