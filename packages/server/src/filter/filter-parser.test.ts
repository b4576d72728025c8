import { describe, expect, it } from 'vitest';
import { parseFilter } from './filter-parser.js';
import { FilterError, type SExpression } from './filter-syntax.js';

/** The expression without positions, for readable expectations. */
function shape(expression: SExpression): unknown {
  switch (expression.kind) {
    case 'list':
      return [expression.head, ...expression.args.map(shape)];
    case 'string':
      return { s: expression.value };
    case 'number':
      return expression.value;
  }
}

function errorOf(text: string): FilterError {
  try {
    parseFilter(text);
  } catch (error) {
    if (error instanceof FilterError) return error;
    throw error;
  }
  throw new Error(`expected ${JSON.stringify(text)} not to parse`);
}

describe('parseFilter', () => {
  it.each([
    ['(is-failed)', ['is-failed']],
    ['  ( is-failed )  ', ['is-failed']],
    ['(and (is-failed) (tags "a" "b"))', ['and', ['is-failed'], ['tags', { s: 'a' }, { s: 'b' }]]],
    [
      '(and (created-in-the-past (weeks 4)) (is-activated-by-user))',
      ['and', ['created-in-the-past', ['weeks', 4]], ['is-activated-by-user']],
    ],
    ['(name (re "^align"))', ['name', ['re', { s: '^align' }]]],
    ['(x 1.5 -2 .25)', ['x', 1.5, -2, 0.25]],
    ['(tags "with \\"quotes\\" and \\\\ \\n\\t")', ['tags', { s: 'with "quotes" and \\ \n\t' }]],
    ['(tags "")', ['tags', { s: '' }]],
    ['(and)', ['and']],
    ['(or\n  (is-failed)\n  (is-successful))', ['or', ['is-failed'], ['is-successful']]],
    ['(and(is-failed)(tags"x"))', ['and', ['is-failed'], ['tags', { s: 'x' }]]],
    ['(tags "é ünïcode ✓")', ['tags', { s: 'é ünïcode ✓' }]],
  ])('parses %j', (text, expected) => {
    expect(shape(parseFilter(text))).toEqual(expected);
  });

  it('records the offset where each part starts', () => {
    const parsed = parseFilter(' (and (is-failed) "x")');
    expect(parsed).toMatchObject({ position: 1 });
    if (parsed.kind !== 'list') throw new Error('expected a list');
    expect(parsed.args.map((a) => a.position)).toEqual([6, 18]);
  });

  it.each([
    ['', 0, 'unexpected end'],
    ['   ', 3, 'unexpected end'],
    ['(', 1, 'expected a name'],
    ['(is-failed', 10, 'unclosed "(" opened at position 0'],
    ['(and (is-failed)', 16, 'unclosed "(" opened at position 0'],
    ['(is-failed))', 11, 'unexpected text after the filter'],
    ['(is-failed) (is-failed)', 12, 'unexpected text after the filter'],
    [')', 0, 'unexpected ")"'],
    ['(Is-Failed)', 1, 'expected a name after "(", found "I"'],
    ['("x")', 1, 'expected a name'],
    ['(tags "abc)', 11, 'unterminated string opened at position 6'],
    ['(tags "a\\qb")', 8, 'unknown escape "\\q"'],
    ['(weeks 4x)', 7, 'invalid number "4x"'],
    ['(weeks 1.2.3)', 7, 'invalid number'],
    ['(tags x)', 6, 'unexpected character "x"'],
    ['is-failed', 0, 'unexpected character "i"'],
  ])('rejects %j at position %i', (text, position, message) => {
    const error = errorOf(text);
    expect(error.position).toBe(position);
    expect(error.message).toContain(message);
    expect(error.message).toContain(`(at position ${position})`);
  });
});
