import { describe, expect, it } from 'vitest';
import { dependentsClosure } from './dependents-closure.js';
import { nodeIn, spec } from './test-support/node-fixtures.js';

const building = { kind: 'building' } as const;

describe('dependentsClosure', () => {
  const nodes = [
    nodeIn(spec({ id: 'a' }), building),
    nodeIn(spec({ id: 'b', dependsOn: ['a'] }), building),
    nodeIn(spec({ id: 'c', dependsOn: ['b', 'a'] }), building),
    nodeIn(spec({ id: 'd', dependsOn: ['c'] }), building),
    nodeIn(spec({ id: 'x', onFailureActivate: ['a'], onSuccessActivate: ['b'] }), building),
    nodeIn(spec({ id: 'merged' }), building, { equivalentTo: 'b' }),
  ];

  it('the ids first, then everything waiting for them, transitively, once each', () => {
    expect(dependentsClosure(['a'], nodes)).toEqual(['a', 'b', 'c', 'merged', 'd']);
  });

  it('does not follow activation edges nor go upstream', () => {
    expect(dependentsClosure(['c'], nodes)).toEqual(['c', 'd']);
    expect(dependentsClosure(['x'], nodes)).toEqual(['x']);
  });

  it('keeps unknown ids', () => {
    expect(dependentsClosure(['zz'], nodes)).toEqual(['zz']);
  });
});
