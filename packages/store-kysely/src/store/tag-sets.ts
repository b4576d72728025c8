import type { Kysely } from 'kysely';
import type { EngineNode } from '@ketrew/engine';
import type { KetrewDatabase } from '../schema/ketrew-database.js';
import type { SqlDialect } from '../schema/sql-dialect.js';
import { decodeJson } from '../rows/json-column.js';
import { digestOfTagSet, tagSetOf } from '../rows/tag-set.js';
import { inList } from '../queries/node-filter.js';

/**
 * The tag set of each node (`tag_sets.id`, null for none), storing the sets not stored yet.
 * A workflow whose nodes share a few sets costs a few rows, not one per tag and node. Safe
 * under concurrent writers: a set another transaction is inserting is waited for (PostgreSQL)
 * or locked out (SQLite's single writer), never stored twice.
 */
export async function tagSetsOf(
  trx: Kysely<KetrewDatabase>,
  nodes: readonly EngineNode[],
  dialect: SqlDialect,
): Promise<Map<string, number | null>> {
  const setOfNode = new Map<string, string | null>();
  // Nodes usually share their specs' tag arrays' contents, not the arrays: key by text.
  for (const node of nodes) setOfNode.set(node.id, tagSetOf(node.spec.tags));
  const sets = [...new Set(setOfNode.values())].filter((set): set is string => set !== null);
  const ids = await storedSets(trx, sets, dialect);
  const missing = sets.filter((set) => !ids.has(set));
  if (missing.length > 0) {
    await trx
      .insertInto('tag_sets')
      .values(missing.map((tags) => ({ digest: digestOfTagSet(tags), tags })))
      .onConflict((oc) => oc.column('digest').doNothing())
      .execute();
    const added = await storedSets(trx, missing, dialect);
    const members = [...added].flatMap(([tags, setId]) =>
      decodeJson<string[]>(tags).map((tag) => ({ tag, set_id: setId })),
    );
    for (let i = 0; i < members.length; i += 1000) {
      await trx
        .insertInto('tag_set_members')
        .values(members.slice(i, i + 1000))
        .onConflict((oc) => oc.doNothing())
        .execute();
    }
    for (const [tags, id] of added) ids.set(tags, id);
  }
  const result = new Map<string, number | null>();
  for (const [nodeId, set] of setOfNode) {
    const id = set === null ? null : ids.get(set);
    if (id === undefined) throw new Error(`tag set ${set} could not be stored`);
    result.set(nodeId, id);
  }
  return result;
}

async function storedSets(
  trx: Kysely<KetrewDatabase>,
  sets: readonly string[],
  dialect: SqlDialect,
): Promise<Map<string, number>> {
  if (sets.length === 0) return new Map();
  const rows = await trx
    .selectFrom('tag_sets')
    .select(['id', 'tags'])
    .where(inList('tag_sets.digest', sets.map(digestOfTagSet), dialect))
    .execute();
  const wanted = new Set(sets);
  return new Map(rows.filter((row) => wanted.has(row.tags)).map((row) => [row.tags, row.id]));
}
