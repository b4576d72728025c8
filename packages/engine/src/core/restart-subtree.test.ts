import { describe, expect, it } from 'vitest';
import { restartSubtree } from './restart-subtree.js';
import type { NodeState } from './node-state.js';
import { nodeIn, spec } from './test-support/node-fixtures.js';

function failedBecauseOf(...ids: string[]): NodeState {
  return {
    kind: 'finished',
    outcome: 'failed',
    reason: { kind: 'dependency-failed', ids },
    from: 'dependencies-failed',
  };
}

describe('restartSubtree', () => {
  const exit1 = { kind: 'non-zero-exit', code: 1 } as const;
  const nodes = [
    nodeIn(spec({ id: 'fetch' }), {
      kind: 'finished',
      outcome: 'failed',
      reason: exit1,
      from: 'failed-running',
    }),
    nodeIn(spec({ id: 'align', dependsOn: ['fetch'] }), failedBecauseOf('fetch')),
    nodeIn(spec({ id: 'report', dependsOn: ['align', 'other'] }), failedBecauseOf('align')),
    nodeIn(spec({ id: 'other' }), {
      kind: 'finished',
      outcome: 'successful',
      from: 'verified-success',
    }),
    // Failed for its own reason: not part of the subtree.
    nodeIn(spec({ id: 'lint', dependsOn: ['fetch'] }), {
      kind: 'finished',
      outcome: 'failed',
      reason: exit1,
      from: 'failed-running',
    }),
    // Not finished: nothing to restart.
    nodeIn(spec({ id: 'waiting', dependsOn: ['fetch'] }), {
      kind: 'dependencies-failed',
      reason: { kind: 'dependency-failed', ids: ['fetch'] },
      nextAttemptAt: 5,
    }),
  ];

  it('the ids plus the nodes that failed because of them, transitively', () => {
    expect(restartSubtree(['fetch'], nodes)).toEqual(['fetch', 'align', 'report']);
  });

  it('from the middle of the chain', () => {
    expect(restartSubtree(['align'], nodes)).toEqual(['align', 'report']);
    expect(restartSubtree(['other'], nodes)).toEqual(['other']);
  });
});
