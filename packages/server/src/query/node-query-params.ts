import type { Context } from 'hono';
import type { z } from 'zod';
import { listParameter } from '../api/parse-input.js';
import type { NodeQuerySchema } from '../api/request-schemas.js';
import { ServerError } from '../errors.js';
import type { FilterExpression } from '../filter/filter-expression.js';
import { toFilterExpression } from '../filter/filter-meaning.js';
import { parseFilter } from '../filter/filter-parser.js';
import { FilterError } from '../filter/filter-syntax.js';
import { isNodeStateKind, isSimpleStatus } from '../filter/node-states.js';

/**
 * The filter a GET /nodes query selects: every parameter given, and the `filter` expression,
 * ANDed. Throws 400 `invalid-request` for a bad parameter, `invalid-filter` (with `position`) for
 * a bad expression.
 */
export function nodeQueryExpression(
  c: Context,
  query: z.output<typeof NodeQuerySchema>,
  now: number,
): FilterExpression {
  const items: FilterExpression[] = [];
  const statuses = listParameter(c, 'status', true);
  if (statuses.length > 0) {
    const bad = statuses.find((s) => !isSimpleStatus(s));
    if (bad !== undefined) throw invalidParameter('status', `unknown simple status "${bad}"`);
    items.push({ kind: 'status', statuses: statuses.filter(isSimpleStatus) });
  }
  const states = listParameter(c, 'state', true);
  if (states.length > 0) {
    const bad = states.find((s) => !isNodeStateKind(s));
    if (bad !== undefined) throw invalidParameter('state', `unknown state "${bad}"`);
    items.push({ kind: 'state', states: states.filter(isNodeStateKind) });
  }
  const tags = listParameter(c, 'tag', false);
  if (tags.length > 0) items.push({ kind: 'tags', tags });
  if (query.name !== undefined) items.push({ kind: 'name-contains', text: query.name });
  if (query.id !== undefined) items.push({ kind: 'id-prefix', prefix: query.id });
  if (query.workflow !== undefined) items.push({ kind: 'workflow', workflowId: query.workflow });
  if (query.activatedByUser === 'true') items.push({ kind: 'activated-by-user' });
  if (query.activatedByUser === 'false') {
    items.push({ kind: 'not', item: { kind: 'activated-by-user' } });
  }
  for (const field of ['created', 'updated'] as const) {
    const after = timeParameter(query[`${field}After`], `${field}After`);
    const before = timeParameter(query[`${field}Before`], `${field}Before`);
    if (after !== undefined || before !== undefined) {
      items.push({ kind: 'time-range', field, after, before });
    }
  }
  if (query.filter !== undefined) items.push(filterParameter(query.filter, now));
  return items.length === 1 && items[0] !== undefined ? items[0] : { kind: 'and', items };
}

/** Parse and check a `filter=` expression; 400 `invalid-filter` with the position. */
export function filterParameter(text: string, now: number): FilterExpression {
  try {
    return toFilterExpression(parseFilter(text), now);
  } catch (error) {
    if (error instanceof FilterError) {
      throw new ServerError('invalid-filter', error.message, {
        details: { field: 'filter', position: error.position, filter: text },
      });
    }
    throw error;
  }
}

function timeParameter(value: string | undefined, name: string): number | undefined {
  if (value === undefined) return undefined;
  const time = /^-?\d+$/.test(value) ? Number(value) : Date.parse(value);
  if (!Number.isFinite(time)) {
    throw invalidParameter(name, 'must be epoch milliseconds or an ISO 8601 date');
  }
  return time;
}

function invalidParameter(field: string, message: string): ServerError {
  return new ServerError('invalid-request', `query parameter ${field}: ${message}`, {
    details: { field },
  });
}
