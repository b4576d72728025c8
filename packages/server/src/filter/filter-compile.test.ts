import { matchesNodeFilter } from '@ketrew/engine';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { T0, variedNodes } from '../../test/support/node-fixtures.js';
import { compileFilter } from './filter-compile.js';
import type { FilterExpression } from './filter-expression.js';
import { matchesFilter } from './filter-match.js';
import { toFilterExpression } from './filter-meaning.js';
import { parseFilter } from './filter-parser.js';

const nodes = variedNodes();

const atom: fc.Arbitrary<FilterExpression> = fc.oneof(
  fc.record({
    kind: fc.constant('status' as const),
    statuses: fc.subarray(['activable', 'in-progress', 'successful', 'failed'] as const),
  }),
  fc.record({
    kind: fc.constant('state' as const),
    states: fc.subarray(['passive', 'running', 'finished', 'killed', 'building'] as const),
  }),
  fc.constant({ kind: 'activated-by-user' as const }),
  fc.constant({ kind: 'dependency-dead' as const }),
  fc.record({ kind: fc.constant('tags' as const), tags: fc.subarray(['nightly', 'big', 'x y']) }),
  fc.record({
    kind: fc.constant('name-contains' as const),
    text: fc.constantFrom('align', 'ALIGN', 'or', ''),
  }),
  fc.record({
    kind: fc.constant('name-matches' as const),
    pattern: fc.constantFrom(/^align/u, /s$/u, /^[a-z]+$/u),
  }),
  fc.record({
    kind: fc.constant('id-prefix' as const),
    prefix: fc.constantFrom('wf-a', 'wf-b.n1', ''),
  }),
  fc.record({
    kind: fc.constant('workflow' as const),
    workflowId: fc.constantFrom('wf-a', 'wf-b'),
  }),
  fc.record({
    kind: fc.constant('ids' as const),
    ids: fc.subarray(['wf-a.n00', 'wf-b.n01', 'nope']),
  }),
  fc.record(
    {
      kind: fc.constant('time-range' as const),
      field: fc.constantFrom('created' as const, 'updated' as const),
      after: fc.integer({ min: 0, max: 5 }).map((d) => T0 + d * 86_400_000),
      before: fc.integer({ min: 0, max: 5 }).map((d) => T0 + d * 43_200_000),
    },
    { requiredKeys: ['kind', 'field'] },
  ),
);

const expression: fc.Arbitrary<FilterExpression> = fc.letrec<{ e: FilterExpression }>((tie) => ({
  e: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    atom,
    fc.record({ kind: fc.constant('and' as const), items: fc.array(tie('e'), { maxLength: 4 }) }),
    fc.record({ kind: fc.constant('or' as const), items: fc.array(tie('e'), { maxLength: 3 }) }),
    fc.record({ kind: fc.constant('not' as const), item: tie('e') }),
  ),
})).e;

function ids(predicate: (node: (typeof nodes)[number]) => boolean): string[] {
  return nodes.filter(predicate).map((n) => n.id);
}

describe('compileFilter', () => {
  it('selects a superset of the matching nodes, and exactly them when exact', () => {
    fc.assert(
      fc.property(expression, (e) => {
        const { filter, exact } = compileFilter(e);
        const wanted = ids((n) => matchesFilter(n, e));
        const selected = ids((n) => matchesNodeFilter(n, filter));
        expect(selected).toEqual(expect.arrayContaining(wanted));
        if (exact) expect(selected).toEqual(wanted);
      }),
      { numRuns: 1000 },
    );
  });

  it.each([
    '(is-failed)',
    '(and (is-failed) (tags "nightly") (name "align") (id "wf-a") (workflow "wf-a"))',
    '(or (is-failed) (is-successful))',
    '(or (status "running") (status "killed" "finished"))',
    '(not (is-in-progress))',
    '(not (status "passive"))',
    '(and (created-in-the-past (days 2)) (is-activated-by-user))',
    '(and (is-failed) (is-successful))',
    '(and (tags "nightly") (tags "big"))',
    '(or)',
  ])('compiles %s exactly, with no post-filter', (text) => {
    expect(compileFilter(toFilterExpression(parseFilter(text), T0)).exact).toBe(true);
  });

  it.each([
    '(name (re "^align"))',
    '(is-dependency-dead)',
    '(or (is-failed) (tags "x"))',
    '(not (tags "x"))',
    '(and (name "a") (name "b"))',
    '(and (is-failed) (name (re "x")))',
  ])('needs the post-filter for %s', (text) => {
    expect(compileFilter(toFilterExpression(parseFilter(text), T0)).exact).toBe(false);
  });

  it('keeps the exact parts of a conjunction in the store filter', () => {
    const compiled = compileFilter(
      toFilterExpression(parseFilter('(and (is-failed) (tags "a") (name (re "x")))'), T0),
    );
    expect(compiled).toEqual({ filter: { status: ['failed'], tags: ['a'] }, exact: false });
  });
});
