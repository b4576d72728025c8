import type { Kysely } from 'kysely';
import type { EngineNode, NodeFilter, NodePage, Page, SimpleStatus } from '@ketrew/engine';
import type { KetrewDatabase } from '../schema/ketrew-database.js';
import type { SqlDialect } from '../schema/sql-dialect.js';
import { canonicalJson, decodeInt } from '../rows/json-column.js';
import { digestOfConditionKey, rowToNode } from '../rows/node-row.js';
import { inList, nodeFilterCondition } from '../queries/node-filter.js';
import { decodePageCursor, encodePageCursor } from '../queries/page-cursor.js';

export const MAX_PAGE_LIMIT = 1000;

/** Rejects a limit the way MemoryStore does (a `RangeError`: a caller's mistake, not the store's). */
export function checkLimit(what: string, limit: number, max = Number.MAX_SAFE_INTEGER): void {
  if (!Number.isInteger(limit) || limit < 1 || limit > max) {
    throw new RangeError(`${what} must be an integer from 1 to ${max}, got ${limit}`);
  }
}

/** One keyset page ordered by (created_at, id), and the total the filter selects. */
export async function queryNodePage(
  db: Kysely<KetrewDatabase>,
  filter: NodeFilter,
  page: Page,
  dialect: SqlDialect,
): Promise<NodePage> {
  const after = page.after === undefined ? undefined : decodePageCursor(page.after);
  let query = db
    .selectFrom('nodes')
    .selectAll()
    .where((eb) => nodeFilterCondition(eb, filter, dialect));
  if (after !== undefined) {
    query = query.where((eb) =>
      eb(eb.refTuple('created_at', 'id'), '>', eb.tuple(after.createdAt, after.id)),
    );
  }
  const rows = await query
    .orderBy('created_at')
    .orderBy('id')
    .limit(page.limit + 1)
    .execute();
  const { total } = await db
    .selectFrom('nodes')
    .select((eb) => eb.fn.countAll().as('total'))
    .where((eb) => nodeFilterCondition(eb, filter, dialect))
    .executeTakeFirstOrThrow();
  const nodes = rows.slice(0, page.limit).map(rowToNode);
  const last = nodes.at(-1);
  return {
    nodes,
    next:
      rows.length > page.limit && last !== undefined
        ? encodePageCursor({ createdAt: last.createdAt, id: last.id })
        : null,
    total: decodeInt(total as number | string | bigint),
  };
}

export async function countNodesByStatus(
  db: Kysely<KetrewDatabase>,
  filter: NodeFilter,
  dialect: SqlDialect,
): Promise<Record<SimpleStatus, number>> {
  const rows = await db
    .selectFrom('nodes')
    .select((eb) => ['status', eb.fn.countAll().as('count')])
    .where((eb) => nodeFilterCondition(eb, filter, dialect))
    .groupBy('status')
    .execute();
  const counts: Record<SimpleStatus, number> = {
    activable: 0,
    'in-progress': 0,
    successful: 0,
    failed: 0,
  };
  for (const row of rows) {
    counts[row.status as SimpleStatus] = decodeInt(row.count as number | string | bigint);
  }
  return counts;
}

/**
 * Nodes not yet started (passive, active, building) that may be merged (equivalence
 * `same-active-condition`, not themselves merged into another) with one of these condition keys.
 */
export async function findEquivalentNodes(
  db: Kysely<KetrewDatabase>,
  conditionKeys: readonly string[],
  dialect: SqlDialect,
): Promise<EngineNode[]> {
  const wanted = new Set(conditionKeys);
  const rows = await db
    .selectFrom('nodes')
    .selectAll()
    .where(inList('nodes.condition_key', [...wanted].map(digestOfConditionKey), dialect))
    .where('state_kind', 'in', ['passive', 'active', 'building'])
    .where('equivalent_to', 'is', null)
    .orderBy('created_at')
    .orderBy('id')
    .execute();
  // The index holds digests: compare the full keys, so a collision can never merge nodes.
  return rows
    .map(rowToNode)
    .filter(
      (node) =>
        node.spec.equivalence === 'same-active-condition' &&
        node.spec.condition !== null &&
        wanted.has(canonicalJson(node.spec.condition)),
    );
}
