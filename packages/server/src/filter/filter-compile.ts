import type { NodeFilter } from '@ketrew/engine';
import type { FilterExpression } from './filter-expression.js';
import { SIMPLE_STATUSES, NODE_STATE_KINDS } from './node-states.js';

type MutableFilter = { -readonly [K in keyof NodeFilter]: NodeFilter[K] };

/**
 * How a filter expression runs against a Store: `filter` is handed to `queryNodes`; when `exact`
 * is false it selects a superset, and every node it returns must be checked with
 * `matchesFilter`. Conjunctions of atoms the Store understands (status, state, tags, name
 * substring, id prefix, workflow, time bounds, activated by user), unions of statuses or of
 * states, and negations of those compile exactly; regular expressions, `is-dependency-dead`
 * and other `or`/`not` forms need the post-filter.
 */
export function compileFilter(expression: FilterExpression): {
  readonly filter: NodeFilter;
  readonly exact: boolean;
} {
  switch (expression.kind) {
    case 'and':
      return compileAnd(expression.items);
    case 'or':
      return compileOr(expression.items);
    case 'not': {
      const inner = compileFilter(expression.item);
      const keys = Object.keys(inner.filter);
      if (inner.exact && keys.length === 1 && inner.filter.status !== undefined) {
        const excluded = inner.filter.status;
        return {
          filter: { status: SIMPLE_STATUSES.filter((s) => !excluded.includes(s)) },
          exact: true,
        };
      }
      if (inner.exact && keys.length === 1 && inner.filter.states !== undefined) {
        const excluded = inner.filter.states;
        return {
          filter: { states: NODE_STATE_KINDS.filter((s) => !excluded.includes(s)) },
          exact: true,
        };
      }
      return { filter: {}, exact: false };
    }
    case 'status':
      return { filter: { status: expression.statuses }, exact: true };
    case 'state':
      return { filter: { states: expression.states }, exact: true };
    case 'activated-by-user':
      return { filter: { activatedByUser: true }, exact: true };
    case 'tags':
      return { filter: { tags: expression.tags }, exact: true };
    case 'name-contains':
      return { filter: { nameContains: expression.text }, exact: true };
    case 'id-prefix':
      return { filter: { idPrefix: expression.prefix }, exact: true };
    case 'ids':
      return { filter: { ids: expression.ids }, exact: true };
    case 'workflow':
      return { filter: { workflowId: expression.workflowId }, exact: true };
    case 'time-range': {
      const after = expression.field === 'created' ? 'createdAfter' : 'updatedAfter';
      const before = expression.field === 'created' ? 'createdBefore' : 'updatedBefore';
      const filter: MutableFilter = {};
      if (expression.after !== undefined) filter[after] = expression.after;
      if (expression.before !== undefined) filter[before] = expression.before;
      return { filter, exact: true };
    }
    case 'name-matches':
    case 'dependency-dead':
      return { filter: {}, exact: false };
    default:
      return unreachable(expression);
  }
}

function compileAnd(items: readonly FilterExpression[]): { filter: NodeFilter; exact: boolean } {
  const result: MutableFilter = {};
  let exact = true;
  for (const item of items) {
    const compiled = compileFilter(item);
    exact &&= compiled.exact;
    for (const key of Object.keys(compiled.filter) as (keyof NodeFilter)[]) {
      exact = mergeField(result, compiled.filter, key) && exact;
    }
  }
  return { filter: result, exact };
}

/** AND one field of `from` into `into`; false when the two cannot be combined exactly. */
function mergeField(into: MutableFilter, from: NodeFilter, key: keyof NodeFilter): boolean {
  if (into[key] === undefined) {
    (into as Record<string, unknown>)[key] = from[key];
    return true;
  }
  switch (key) {
    case 'status':
      into.status = into.status?.filter((s) => from.status?.includes(s));
      return true;
    case 'states':
      into.states = into.states?.filter((s) => from.states?.includes(s));
      return true;
    case 'ids':
      into.ids = into.ids?.filter((s) => from.ids?.includes(s));
      return true;
    case 'tags':
      into.tags = [...(into.tags ?? []), ...(from.tags ?? [])];
      return true;
    case 'createdAfter':
    case 'updatedAfter':
      into[key] = Math.max(into[key] ?? -Infinity, from[key] ?? -Infinity);
      return true;
    case 'createdBefore':
    case 'updatedBefore':
      into[key] = Math.min(into[key] ?? Infinity, from[key] ?? Infinity);
      return true;
    case 'activatedByUser':
      return into.activatedByUser === from.activatedByUser;
    case 'nameContains':
    case 'idPrefix':
    case 'workflowId':
      // Keep the first in the store filter; the post-filter checks the others.
      return into[key] === from[key];
    default:
      return unreachable(key);
  }
}

function compileOr(items: readonly FilterExpression[]): { filter: NodeFilter; exact: boolean } {
  const compiled = items.map(compileFilter);
  const onlyKey = (key: keyof NodeFilter): boolean =>
    compiled.length > 0 &&
    compiled.every(
      (c) => c.exact && Object.keys(c.filter).length === 1 && c.filter[key] !== undefined,
    );
  if (onlyKey('status')) {
    return {
      filter: { status: [...new Set(compiled.flatMap((c) => c.filter.status ?? []))] },
      exact: true,
    };
  }
  if (onlyKey('states')) {
    return {
      filter: { states: [...new Set(compiled.flatMap((c) => c.filter.states ?? []))] },
      exact: true,
    };
  }
  if (compiled.length === 0) return { filter: { ids: [] }, exact: true };
  return { filter: {}, exact: false };
}

function unreachable(value: never): never {
  throw new Error(`unhandled filter ${JSON.stringify(value)}`);
}
