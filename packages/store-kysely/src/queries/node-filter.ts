import { sql } from 'kysely';
import type { Expression, ExpressionBuilder, SqlBool } from 'kysely';
import type { NodeFilter } from '@ketrew/engine';
import type { KetrewDatabase } from '../schema/ketrew-database.js';
import type { SqlDialect } from '../schema/sql-dialect.js';
import { statusesOfStates } from './state-statuses.js';

type NodesBuilder = ExpressionBuilder<KetrewDatabase, 'nodes'>;

/** Above this many values, a list is sent as one JSON/array parameter instead of one each. */
const INLINE_LIST_LIMIT = 500;

const nothing = sql<SqlBool>`1 = 0`;

/** The WHERE condition selecting the nodes of a filter (set fields ANDed; `[]` matches nothing). */
export function nodeFilterCondition(
  eb: NodesBuilder,
  filter: NodeFilter,
  dialect: SqlDialect,
): Expression<SqlBool> {
  const terms: Expression<SqlBool>[] = [];
  if (filter.status !== undefined) terms.push(inList('nodes.status', filter.status, dialect));
  if (filter.states !== undefined) {
    // The status is a function of the state: constraining it too lets `nodes_status` serve.
    terms.push(inList('nodes.status', statusesOfStates(filter.states), dialect));
    terms.push(inList('nodes.state_kind', filter.states, dialect));
  }
  for (const tag of new Set(filter.tags ?? [])) {
    terms.push(
      eb(
        'nodes.tag_set',
        'in',
        eb
          .selectFrom('tag_set_members')
          .select('tag_set_members.set_id')
          .where('tag_set_members.tag', '=', tag),
      ),
    );
  }
  if (filter.nameContains !== undefined && filter.nameContains !== '') {
    const pattern = `%${escapeLike(filter.nameContains.toLowerCase())}%`;
    terms.push(sql<SqlBool>`${sql.ref('nodes.name_lower')} like ${pattern} escape '\\'`);
  }
  if (filter.idPrefix !== undefined && filter.idPrefix !== '') {
    // A range on the primary key (byte-wise order in both dialects) instead of LIKE, which
    // SQLite cannot serve from a case-sensitive index.
    terms.push(eb('nodes.id', '>=', filter.idPrefix));
    terms.push(eb('nodes.id', '<', `${filter.idPrefix}\u{10FFFF}`));
  }
  if (filter.ids !== undefined) terms.push(inList('nodes.id', filter.ids, dialect));
  if (filter.workflowId !== undefined) {
    terms.push(eb('nodes.workflow_id', '=', filter.workflowId));
  }
  if (filter.createdAfter !== undefined) {
    terms.push(eb('nodes.created_at', '>=', filter.createdAfter));
  }
  if (filter.createdBefore !== undefined) {
    terms.push(eb('nodes.created_at', '<=', filter.createdBefore));
  }
  if (filter.updatedAfter !== undefined) {
    terms.push(eb('nodes.updated_at', '>=', filter.updatedAfter));
  }
  if (filter.updatedBefore !== undefined) {
    terms.push(eb('nodes.updated_at', '<=', filter.updatedBefore));
  }
  if (filter.activatedByUser !== undefined) {
    terms.push(eb('nodes.active_by_user', '=', filter.activatedByUser ? 1 : 0));
  }
  return eb.and(terms);
}

/** `column IN (values)` for a text column, with long lists sent as a single parameter. */
export function inList(
  column: string,
  values: readonly string[],
  dialect: SqlDialect,
): Expression<SqlBool> {
  if (values.length === 0) return nothing;
  if (values.length <= INLINE_LIST_LIMIT) {
    return sql<SqlBool>`${sql.ref(column)} in (${sql.join([...new Set(values)])})`;
  }
  return dialect === 'sqlite'
    ? sql<SqlBool>`${sql.ref(column)} in (select value from json_each(${JSON.stringify(values)}))`
    : sql<SqlBool>`${sql.ref(column)} = any(${[...values]}::text[])`;
}

/** Escapes `%`, `_` and the escape character itself for `LIKE ... ESCAPE '\'`. */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
