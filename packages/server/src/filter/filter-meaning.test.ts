import { describe, expect, it } from 'vitest';
import type { FilterExpression } from './filter-expression.js';
import { toFilterExpression } from './filter-meaning.js';
import { parseFilter } from './filter-parser.js';
import { FilterError } from './filter-syntax.js';

const NOW = 1_800_000_000_000;
const DAY = 86_400_000;

function meaning(text: string): FilterExpression {
  return toFilterExpression(parseFilter(text), NOW);
}

function errorOf(text: string): FilterError {
  try {
    meaning(text);
  } catch (error) {
    if (error instanceof FilterError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} to be refused`);
}

describe('toFilterExpression', () => {
  it.each<[string, FilterExpression]>([
    ['(is-failed)', { kind: 'status', statuses: ['failed'] }],
    ['(is-successful)', { kind: 'status', statuses: ['successful'] }],
    ['(is-in-progress)', { kind: 'status', statuses: ['in-progress'] }],
    ['(is-activable)', { kind: 'status', statuses: ['activable'] }],
    ['(is-running)', { kind: 'state', states: ['running'] }],
    ['(is-activated-by-user)', { kind: 'activated-by-user' }],
    ['(is-dependency-dead)', { kind: 'dependency-dead' }],
    ['(tags "a" "b")', { kind: 'tags', tags: ['a', 'b'] }],
    ['(name "Align")', { kind: 'name-contains', text: 'Align' }],
    ['(id "wf-1.")', { kind: 'id-prefix', prefix: 'wf-1.' }],
    ['(workflow "w")', { kind: 'workflow', workflowId: 'w' }],
    ['(status "failed-running" "killed")', { kind: 'state', states: ['failed-running', 'killed'] }],
    ['(status "failed" "successful")', { kind: 'status', statuses: ['failed', 'successful'] }],
    [
      '(created-in-the-past (weeks 4))',
      { kind: 'time-range', field: 'created', after: NOW - 28 * DAY },
    ],
    [
      '(created-in-the-past (days 1.5))',
      { kind: 'time-range', field: 'created', after: NOW - 1.5 * DAY },
    ],
    [
      '(updated-in-the-past (hours 2))',
      { kind: 'time-range', field: 'updated', after: NOW - 7_200_000 },
    ],
    [
      '(created-in-the-past (minutes 3))',
      { kind: 'time-range', field: 'created', after: NOW - 180_000 },
    ],
    ['(created-in-the-past (seconds 0))', { kind: 'time-range', field: 'created', after: NOW }],
    [
      '(and (not (is-failed)) (or (tags "x") (is-successful)))',
      {
        kind: 'and',
        items: [
          { kind: 'not', item: { kind: 'status', statuses: ['failed'] } },
          {
            kind: 'or',
            items: [
              { kind: 'tags', tags: ['x'] },
              { kind: 'status', statuses: ['successful'] },
            ],
          },
        ],
      },
    ],
    ['(and)', { kind: 'and', items: [] }],
    ['(or)', { kind: 'or', items: [] }],
  ])('%s', (text, expected) => {
    expect(meaning(text)).toEqual(expected);
  });

  it('compiles (name (re …)) to a unicode regular expression', () => {
    const expression = meaning('(name (re "^al.gn$"))');
    expect(expression.kind).toBe('name-matches');
    if (expression.kind !== 'name-matches') return;
    expect(expression.pattern.test('align')).toBe(true);
    expect(expression.pattern.test('realign')).toBe(false);
    expect(expression.pattern.flags).toContain('u');
  });

  it.each([
    ['(is-broken)', 1, 'unknown form "(is-broken …)"'],
    ['(and (is-failed) (nope))', 18, 'unknown form "(nope …)"'],
    ['"x"', 0, 'expected a form'],
    ['(and "x")', 5, 'expected a form like (is-failed), found a string'],
    ['(is-failed "x")', 11, '(is-failed) takes no argument'],
    ['(not)', 0, 'takes one argument, found none'],
    ['(not (is-failed) (is-successful))', 17, 'found more'],
    ['(tags)', 0, 'takes at least 1 string'],
    ['(tags "a" 3)', 10, 'takes strings, found a number'],
    ['(name 3)', 6, 'takes a string or (re "regexp")'],
    ['(name (re "[unclosed"))', 10, 'invalid regular expression'],
    ['(name (re 3))', 10, 'takes a string, found a number'],
    ['(id)', 0, 'takes one argument'],
    ['(status "bogus")', 8, 'unknown state "bogus"'],
    ['(status "failed" "running")', 17, 'not both'],
    ['(created-in-the-past 4)', 21, 'takes a duration'],
    ['(created-in-the-past (fortnights 1))', 21, 'takes a duration'],
    ['(created-in-the-past (weeks "4"))', 28, 'takes a non-negative number'],
    ['(created-in-the-past (weeks -1))', 28, 'takes a non-negative number'],
  ])('refuses %s at position %i', (text, position, message) => {
    const error = errorOf(text);
    expect(error.message).toContain(message);
    expect(error.position).toBe(position);
  });
});
