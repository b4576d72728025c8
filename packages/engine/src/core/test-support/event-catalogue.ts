import type { EngineNode } from '../engine-node.js';
import type { NodeEvent, Phase, WakeUpReason } from '../events.js';

/** Test-only: a finite catalogue of events covering every kind and variant the core tells apart. */

export const CATALOGUE_RUN = { pid: 1 };
export const CATALOGUE_OTHER_RUN = { pid: 1, step: 2 };

const PHASES: readonly Phase[] = ['condition', 'start', 'poll', 'kill'];
const WAKE_UP_REASONS: readonly WakeUpReason[] = ['retry-phase', 'next-attempt', 'timeout'];

/** Every event of the catalogue at `time`; wake-ups for the node's attempt and a stale one. */
export function eventCatalogue(node: EngineNode, time: number): NodeEvent[] {
  const events: NodeEvent[] = [
    { kind: 'activate', by: { kind: 'user' }, time },
    { kind: 'condition-evaluated', value: true, time },
    { kind: 'condition-evaluated', value: false, time },
    { kind: 'dependencies-succeeded', time },
    { kind: 'dependencies-failed', ids: ['d'], time },
    { kind: 'started', run: CATALOGUE_RUN, time },
    { kind: 'found', run: CATALOGUE_RUN, time },
    { kind: 'polled', status: { kind: 'running' }, time },
    { kind: 'polled', status: { kind: 'running', run: CATALOGUE_OTHER_RUN }, time },
    { kind: 'polled', status: { kind: 'succeeded' }, time },
    {
      kind: 'polled',
      status: { kind: 'failed', reason: { kind: 'non-zero-exit', code: 3 } },
      time,
    },
    { kind: 'polled', status: { kind: 'failed', reason: { kind: 'killed' } }, time },
    { kind: 'polled', status: { kind: 'lost', message: 'vanished' }, time },
    { kind: 'kill-succeeded', time },
    { kind: 'kill', time },
    { kind: 'kill', message: 'by the user', time },
    { kind: 'restart', time },
    { kind: 'orphaned', time },
  ];
  for (const phase of PHASES) {
    for (const recoverable of [true, false]) {
      events.push({ kind: 'backend-failed', phase, recoverable, message: 'boom', time });
    }
  }
  for (const reason of WAKE_UP_REASONS) {
    for (const attempt of [node.attempt, node.attempt + 1]) {
      events.push({ kind: 'wake-up', reason, attempt, time });
    }
  }
  return events;
}
