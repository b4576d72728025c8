import { describe, expect, it } from 'vitest';
import { findOrphans } from './find-orphans.js';
import type { NodeState } from './node-state.js';
import { nodeIn, spec } from './test-support/node-fixtures.js';

const passive = { kind: 'passive' } as const;
const succeeded: NodeState = { kind: 'finished', outcome: 'successful', from: 'verified-success' };

describe('findOrphans', () => {
  it('the on-failure branch of a node that succeeded is an orphan, with what only it reaches', () => {
    const nodes = [
      nodeIn(
        spec({ id: 'root', onFailureActivate: ['mail'], onSuccessActivate: ['clean'] }),
        succeeded,
      ),
      nodeIn(spec({ id: 'mail', dependsOn: ['smtp'] }), passive),
      nodeIn(spec({ id: 'smtp' }), passive),
      nodeIn(spec({ id: 'clean' }), { kind: 'running', jobName: 'j', run: {}, since: 0 }),
    ];
    expect(findOrphans(nodes)).toEqual(['mail', 'smtp']);
  });

  it('keeps passive nodes a live node may still activate, through passive ones', () => {
    const nodes = [
      nodeIn(spec({ id: 'live', onFailureActivate: ['p1'] }), { kind: 'building' }),
      nodeIn(spec({ id: 'p1', onSuccessActivate: ['p2'] }), passive),
      nodeIn(spec({ id: 'p2', dependsOn: ['p3'] }), passive),
      nodeIn(spec({ id: 'p3' }), passive),
      nodeIn(spec({ id: 'merged' }), { kind: 'building' }, { equivalentTo: 'p4' }),
      nodeIn(spec({ id: 'p4' }), passive),
      nodeIn(spec({ id: 'lonely' }), passive),
    ];
    expect(findOrphans(nodes)).toEqual(['lonely']);
  });

  it('keeps passive nodes the user is about to activate, and what they reach', () => {
    const nodes = [
      nodeIn(spec({ id: 'root', active: true, dependsOn: ['dep'] }), passive),
      nodeIn(spec({ id: 'dep' }), passive),
    ];
    expect(findOrphans(nodes)).toEqual([]);
  });

  it('does not pass through finished nodes', () => {
    const nodes = [
      nodeIn(spec({ id: 'live', onSuccessActivate: ['done'] }), { kind: 'building' }),
      nodeIn(spec({ id: 'done', onSuccessActivate: ['after'] }), succeeded),
      nodeIn(spec({ id: 'after' }), passive),
    ];
    expect(findOrphans(nodes)).toEqual(['after']);
  });
});
