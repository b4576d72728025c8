import type { SimpleStatus } from '@ketrew/engine';
import type { FilterExpression } from './filter-expression.js';
import { FilterError, type SExpression } from './filter-syntax.js';
import {
  isNodeStateKind,
  isSimpleStatus,
  NODE_STATE_KINDS,
  SIMPLE_STATUSES,
} from './node-states.js';

type List = Extract<SExpression, { kind: 'list' }>;

const UNIT_MS = {
  weeks: 7 * 24 * 3_600_000,
  days: 24 * 3_600_000,
  hours: 3_600_000,
  minutes: 60_000,
  seconds: 1_000,
} as const;

const STATUS_PREDICATES: Readonly<Record<string, SimpleStatus>> = {
  'is-failed': 'failed',
  'is-successful': 'successful',
  'is-in-progress': 'in-progress',
  'is-activable': 'activable',
};

/** The predicates the language knows (listed in errors and docs/api.md). */
export const FILTER_PREDICATES = [
  'and',
  'or',
  'not',
  ...Object.keys(STATUS_PREDICATES),
  'is-running',
  'is-activated-by-user',
  'is-dependency-dead',
  'tags',
  'name',
  'id',
  'workflow',
  'status',
  'created-in-the-past',
  'updated-in-the-past',
] as const;

/**
 * Give a parsed filter its meaning: check every form's arguments and resolve relative times
 * against `now` (epoch ms). Throws `FilterError` at the offending part.
 */
export function toFilterExpression(expression: SExpression, now: number): FilterExpression {
  if (expression.kind !== 'list') {
    throw new FilterError(
      `expected a form like (is-failed), found a ${expression.kind}`,
      expression.position,
    );
  }
  const list = expression;
  const status = STATUS_PREDICATES[list.head];
  if (status !== undefined) {
    noArgs(list);
    return { kind: 'status', statuses: [status] };
  }
  switch (list.head) {
    case 'and':
    case 'or':
      return { kind: list.head, items: list.args.map((arg) => toFilterExpression(arg, now)) };
    case 'not': {
      return { kind: 'not', item: toFilterExpression(single(list), now) };
    }
    case 'is-running':
      noArgs(list);
      return { kind: 'state', states: ['running'] };
    case 'is-activated-by-user':
      noArgs(list);
      return { kind: 'activated-by-user' };
    case 'is-dependency-dead':
      noArgs(list);
      return { kind: 'dependency-dead' };
    case 'tags':
      return { kind: 'tags', tags: strings(list, 1) };
    case 'id':
      return { kind: 'id-prefix', prefix: oneString(list) };
    case 'workflow':
      return { kind: 'workflow', workflowId: oneString(list) };
    case 'name':
      return nameForm(list);
    case 'status':
      return statusForm(list);
    case 'created-in-the-past':
    case 'updated-in-the-past':
      return {
        kind: 'time-range',
        field: list.head === 'created-in-the-past' ? 'created' : 'updated',
        after: now - duration(list),
      };
    default:
      throw new FilterError(
        `unknown form "(${list.head} …)"; known: ${FILTER_PREDICATES.join(', ')}`,
        list.position + 1,
      );
  }
}

function nameForm(list: List): FilterExpression {
  const arg = single(list);
  if (arg.kind === 'string') return { kind: 'name-contains', text: arg.value };
  if (arg.kind === 'list' && arg.head === 're') {
    const source = oneString(arg);
    try {
      return { kind: 'name-matches', pattern: new RegExp(source, 'u') };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new FilterError(
        `invalid regular expression: ${reason}`,
        arg.args[0]?.position ?? arg.position,
      );
    }
  }
  throw new FilterError('(name …) takes a string or (re "regexp")', arg.position);
}

function statusForm(list: List): FilterExpression {
  const values = strings(list, 1);
  if (values.every(isSimpleStatus)) return { kind: 'status', statuses: values };
  if (values.every(isNodeStateKind)) return { kind: 'state', states: values };
  const args = list.args as readonly Extract<SExpression, { kind: 'string' }>[];
  const unknown = args.find((arg) => !isSimpleStatus(arg.value) && !isNodeStateKind(arg.value));
  if (unknown !== undefined) {
    throw new FilterError(
      `unknown state "${unknown.value}"; states: ${NODE_STATE_KINDS.join(', ')}; simple statuses: ${SIMPLE_STATUSES.join(', ')}`,
      unknown.position,
    );
  }
  const firstIsStatus = isSimpleStatus(args[0]?.value ?? '');
  const odd = args.find((arg) => isSimpleStatus(arg.value) !== firstIsStatus) ?? list;
  throw new FilterError('(status …) takes states or simple statuses, not both', odd.position);
}

function duration(list: List): number {
  const arg = single(list);
  if (arg.kind !== 'list' || !Object.hasOwn(UNIT_MS, arg.head)) {
    throw new FilterError(
      `(${list.head} …) takes a duration: (weeks N), (days N), (hours N), (minutes N) or (seconds N)`,
      arg.position,
    );
  }
  const amount = single(arg);
  if (amount.kind !== 'number' || amount.value < 0) {
    throw new FilterError(`(${arg.head} N) takes a non-negative number`, amount.position);
  }
  return amount.value * UNIT_MS[arg.head as keyof typeof UNIT_MS];
}

function noArgs(list: List): void {
  const extra = list.args[0];
  if (extra !== undefined) {
    throw new FilterError(`(${list.head}) takes no argument`, extra.position);
  }
}

function single(list: List): SExpression {
  const [first, second] = list.args;
  if (first === undefined) {
    throw new FilterError(`(${list.head} …) takes one argument, found none`, list.position);
  }
  if (second !== undefined) {
    throw new FilterError(`(${list.head} …) takes one argument, found more`, second.position);
  }
  return first;
}

function strings(list: List, atLeast: number): string[] {
  if (list.args.length < atLeast) {
    throw new FilterError(`(${list.head} …) takes at least ${atLeast} string`, list.position);
  }
  return list.args.map((arg) => {
    if (arg.kind !== 'string') {
      throw new FilterError(`(${list.head} …) takes strings, found a ${arg.kind}`, arg.position);
    }
    return arg.value;
  });
}

function oneString(list: List): string {
  const arg = single(list);
  if (arg.kind !== 'string') {
    throw new FilterError(`(${list.head} …) takes a string, found a ${arg.kind}`, arg.position);
  }
  return arg.value;
}
