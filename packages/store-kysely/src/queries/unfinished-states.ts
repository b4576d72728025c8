import type { NodeStateKind } from '@ketrew/engine';

type UnfinishedStateKind = Exclude<NodeStateKind, 'finished'>;

/**
 * Every state but `finished`. Listing them (instead of `<> 'finished'`) lets the databases
 * serve `loadUnfinished` from the state index; the check below fails to compile if the engine
 * gains a state this list lacks.
 */
export const UNFINISHED_STATES = [
  'passive',
  'active',
  'already-done',
  'building',
  'starting',
  'running',
  'ran-successfully',
  'did-nothing',
  'verified-success',
  'dependencies-failed',
  'failed-to-start',
  'failed-running',
  'did-not-ensure-condition',
  'failed-to-eval-condition',
  'killing',
  'killed',
  'failed-to-kill',
] as const satisfies readonly UnfinishedStateKind[];

type Missing = Exclude<UnfinishedStateKind, (typeof UNFINISHED_STATES)[number]>;
const complete: [Missing] extends [never] ? true : Missing = true;
void complete;
