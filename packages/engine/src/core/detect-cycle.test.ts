import { describe, expect, it } from 'vitest';
import { detectCycle } from './detect-cycle.js';
import { nodeIn, spec } from './test-support/node-fixtures.js';

describe('detectCycle', () => {
  it('null for a DAG (diamond), and edges to unknown ids are ignored', () => {
    const specs = [
      spec({ id: 'a', dependsOn: ['b', 'c'] }),
      spec({ id: 'b', dependsOn: ['d'] }),
      spec({ id: 'c', dependsOn: ['d', 'elsewhere'] }),
      spec({ id: 'd', onSuccessActivate: ['a'] }),
    ];
    expect(detectCycle(specs)).toBeNull();
  });

  it('returns the ids of a cycle in waiting order', () => {
    const specs = [
      spec({ id: 'root', dependsOn: ['a'] }),
      spec({ id: 'a', dependsOn: ['b'] }),
      spec({ id: 'b', dependsOn: ['c'] }),
      spec({ id: 'c', dependsOn: ['a'] }),
    ];
    expect(detectCycle(specs)).toEqual(['a', 'b', 'c']);
    expect(detectCycle([spec({ id: 'self', dependsOn: ['self'] })])).toEqual(['self']);
  });

  it('sees cycles through equivalentTo', () => {
    const nodes = [
      nodeIn(spec({ id: 'a', dependsOn: ['b'] }), { kind: 'passive' }),
      nodeIn(spec({ id: 'b' }), { kind: 'passive' }, { equivalentTo: 'a' }),
    ];
    expect(detectCycle(nodes)).toEqual(['a', 'b']);
  });

  it('handles a chain of 50,000 nodes without overflowing the stack', () => {
    const base = spec({ id: 'base' });
    const specs = Array.from({ length: 50_000 }, (_, i) => ({
      ...base,
      id: `n${i}`,
      dependsOn: i + 1 < 50_000 ? [`n${i + 1}`] : [],
    }));
    expect(detectCycle(specs)).toBeNull();
    expect(detectCycle([...specs, { ...base, id: 'n49999', dependsOn: ['n0'] }])).toHaveLength(
      50_000,
    );
  });
});
