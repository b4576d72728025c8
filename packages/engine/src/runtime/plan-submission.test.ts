import { describe, expect, it } from 'vitest';
import { DEFAULT_CORE_CONFIG } from '../core/core-config.js';
import { createEngineNode } from '../core/create-engine-node.js';
import { FakeBackend } from '../testing/fake-backend.js';
import { planSubmission } from './plan-submission.js';
import { fakeNode, fileExists, noopNode, workflowOf } from './test-workflows.js';
import { validateSubmission } from './validate-submission.js';

const T = 1_700_000_000_000;
const backends = new Map([['fake', new FakeBackend()]]);

describe('planSubmission', () => {
  it('inserts the first cascade of activations applied: each needed node once, building', () => {
    const spec = validateSubmission(
      workflowOf('root', [
        noopNode('root', { dependsOn: ['b', 'c'] }),
        fakeNode('b'),
        fakeNode('c', { dependsOn: ['d'] }),
        fakeNode('d'),
        fakeNode('unneeded'),
        fakeNode('checked', { condition: fileExists('/x/y'), active: true }),
      ]),
      backends,
    );
    const plan = planSubmission(spec, {
      workflowId: 'w',
      time: T,
      candidates: [],
      core: DEFAULT_CORE_CONFIG,
    });
    const states = Object.fromEntries(plan.nodes.map((n) => [n.id, n.state]));
    expect(states).toEqual({
      root: { kind: 'building' },
      b: { kind: 'building' },
      c: { kind: 'building' },
      d: { kind: 'building' },
      unneeded: { kind: 'passive' },
      checked: { kind: 'active', by: { kind: 'user' } },
    });
    const history = (id: string): unknown[] =>
      plan.history.filter((e) => e.nodeId === id).map((e) => e.state);
    expect(history('d')).toEqual([
      { kind: 'passive' },
      { kind: 'active', by: { kind: 'dependency-of', id: 'c' } },
      { kind: 'building' },
    ]);
    expect(history('unneeded')).toEqual([{ kind: 'passive' }]);
    // Only what reaches outside the submission is left to carry out.
    expect(plan.commands.map(({ node, command }) => [node.id, command])).toEqual([
      ['checked', { kind: 'evaluate-condition', condition: fileExists('/x/y') }],
    ]);
  });

  it('leaves the activation of an existing node it was merged into as a command', () => {
    const condition = fileExists('/data/out');
    const spec = validateSubmission(
      workflowOf('root', [
        noopNode('root', { dependsOn: ['new'] }),
        fakeNode('new', { condition }),
      ]),
      backends,
    );
    const existingSpec = validateSubmission(
      workflowOf('old', [fakeNode('old', { condition })]),
      backends,
    ).nodes[0];
    if (existingSpec === undefined) throw new Error('expected a node');
    const existing = createEngineNode({ ...existingSpec, active: false }, 'w0', T - 1);
    const plan = planSubmission(spec, {
      workflowId: 'w',
      time: T,
      candidates: [existing],
      core: DEFAULT_CORE_CONFIG,
    });
    expect(plan.merged.get('new')).toBe('old');
    expect(plan.nodes.find((n) => n.id === 'new')?.state).toEqual({ kind: 'building' });
    expect(plan.commands.map(({ node, command }) => [node.id, command])).toEqual([
      ['new', { kind: 'activate', ids: ['old'], by: { kind: 'dependency-of', id: 'new' } }],
    ]);
  });
});
