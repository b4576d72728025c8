import { describe, expect, it } from 'vitest';
import { simpleStatusOf } from '@ketrew/engine';
import type { NodeState } from '@ketrew/engine';
import { STATUSES_OF_STATE, statusesOfStates } from './state-statuses.js';

describe('STATUSES_OF_STATE', () => {
  it('agrees with simpleStatusOf for every state', () => {
    for (const [kind, statuses] of Object.entries(STATUSES_OF_STATE)) {
      if (kind === 'finished') {
        const of = (outcome: string) =>
          simpleStatusOf({ kind, outcome, from: 'verified-success' } as unknown as NodeState);
        expect([...statuses].sort()).toEqual([of('successful'), of('failed')].sort());
      } else {
        expect(statuses).toEqual([simpleStatusOf({ kind } as unknown as NodeState)]);
      }
    }
  });

  it('lists each status once', () => {
    expect(statusesOfStates(['running', 'building', 'finished'])).toEqual([
      'in-progress',
      'successful',
      'failed',
    ]);
  });
});
