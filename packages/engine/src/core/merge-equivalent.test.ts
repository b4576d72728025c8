import { describe, expect, it } from 'vitest';
import type { ConditionSpec } from '@ketrew/edsl';
import { mergeEquivalent } from './merge-equivalent.js';
import { CONDITION, HOST, T0, nodeIn, spec } from './test-support/node-fixtures.js';

const other: ConditionSpec = {
  kind: 'command-returns',
  program: { kind: 'sh', command: 'test -f /x' },
  host: HOST,
  returns: 0,
};
const reordered = JSON.parse(
  JSON.stringify({ volume: (CONDITION as { volume: unknown }).volume, kind: CONDITION.kind }),
) as ConditionSpec;

describe('mergeEquivalent', () => {
  const existing = [
    nodeIn(spec({ id: 'old-running', condition: CONDITION }), {
      kind: 'running',
      jobName: 'j',
      run: {},
      since: 0,
    }),
    nodeIn(
      spec({ id: 'old-b', condition: CONDITION }),
      { kind: 'building' },
      { createdAt: T0 + 1 },
    ),
    nodeIn(spec({ id: 'old-a', condition: CONDITION }), { kind: 'passive' }, { createdAt: T0 + 1 }),
    nodeIn(
      spec({ id: 'newest', condition: CONDITION }),
      { kind: 'active', by: { kind: 'user' } },
      { createdAt: T0 + 9 },
    ),
    nodeIn(
      spec({ id: 'merged-already', condition: other }),
      { kind: 'passive' },
      { equivalentTo: 'x' },
    ),
    nodeIn(spec({ id: 'opt-out', condition: other, equivalence: 'none' }), { kind: 'passive' }),
  ];

  it('merges into the oldest eligible node with the same condition, field order ignored', () => {
    const merged = mergeEquivalent([spec({ id: 'n1', condition: reordered })], existing);
    expect([...merged]).toEqual([['n1', 'old-a']]);
  });

  it('never merges into running, merged or opted-out nodes, nor a node opting out', () => {
    const candidates = existing.filter(
      (node) => node.id === 'old-running' || node.id === 'merged-already' || node.id === 'opt-out',
    );
    expect(
      mergeEquivalent(
        [spec({ id: 'n1', condition: CONDITION }), spec({ id: 'n2', condition: other })],
        candidates,
      ).size,
    ).toBe(0);
    const optingOut = spec({ id: 'n3', condition: CONDITION, equivalence: 'none' });
    expect(mergeEquivalent([optingOut], existing).size).toBe(0);
  });

  it('never merges nodes without a condition, or whose condition can never hold', () => {
    const never = { kind: 'never' } as const;
    const candidates = [
      nodeIn(spec({ id: 'c1' }), { kind: 'passive' }),
      nodeIn(spec({ id: 'c2', condition: never }), { kind: 'passive' }),
      nodeIn(spec({ id: 'c3', condition: { kind: 'and', conditions: [CONDITION, never] } }), {
        kind: 'passive',
      }),
    ];
    const news = [
      spec({ id: 'n1' }),
      spec({ id: 'n2', condition: never }),
      spec({ id: 'n3', condition: { kind: 'and', conditions: [CONDITION, never] } }),
    ];
    expect(mergeEquivalent(news, candidates).size).toBe(0);
  });

  it('never merges new nodes into one another', () => {
    const news = [spec({ id: 'n1', condition: other }), spec({ id: 'n2', condition: other })];
    const alreadyInserted = news.map((nodeSpec) => nodeIn(nodeSpec, { kind: 'passive' }));
    expect(mergeEquivalent(news, alreadyInserted).size).toBe(0);
  });
});
