import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { KetrewDatabase } from '../schema/ketrew-database.js';
import { dialectTypes } from '../schema/sql-dialect.js';
import type { SqlDialect } from '../schema/sql-dialect.js';
import { decodeJson } from '../rows/json-column.js';
import { digestOfTagSet, tagSetOf } from '../rows/tag-set.js';

/**
 * Version 4: a submission writes less (docs/storage.md, "What a submission writes").
 *
 * - `nodes.first_attempt`, `nodes.first_state`: a node's first history entry (time
 *   `created_at`, no message) kept in its row instead of a `node_history` row.
 * - `changes.span`, `changes.node_ids`: one row may stand for a run of changes with the same
 *   state and time (a submission's passive nodes, a tick's nodes reaching one state), `cursor`
 *   being the last of its `span` cursors.
 * - PostgreSQL: the JSON columns nodes write (`nodes.spec`, `nodes.state`,
 *   `node_history.state`) become `text`.
 * - Tags: a node names its set of tags (`nodes.tag_set` → `tag_sets`, whose tags are listed in
 *   `tag_set_members` for the filter) instead of having a `node_tags` row per tag.
 * - `nodes_state_kind` is dropped: filters on states also constrain `status` (a function of
 *   the state), which `nodes_status` serves; `loadUnfinished` reads the table.
 *
 * Existing rows stay valid as they are (`first_state` null: the history rows hold the entry;
 * `span` 1).
 */
export function leanSubmissionMigration(dialect: SqlDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect === 'postgres') {
        // JSON the store writes and parses itself: `text` spares PostgreSQL parsing every spec
        // and state again to check it (~45% of the server's time to insert a node).
        await sql`alter table nodes alter column spec type text using spec::text,
          alter column state type text using state::text`.execute(db);
        await sql`alter table node_history alter column state type text using state::text`.execute(
          db,
        );
      }
      await db.schema.alterTable('nodes').addColumn('first_attempt', 'integer').execute();
      await db.schema.alterTable('nodes').addColumn('first_state', 'text').execute();
      await db.schema
        .alterTable('changes')
        .addColumn('span', 'integer', (c) => c.notNull().defaultTo(1))
        .execute();
      await db.schema.alterTable('changes').addColumn('node_ids', 'text').execute();
      await db.schema.dropIndex('nodes_state_kind').execute();
      await createTagSets(db as Kysely<KetrewDatabase>, dialect);
    },
  };
}

/** Tag sets replace `node_tags`; existing nodes get the set of their tags. */
async function createTagSets(db: Kysely<KetrewDatabase>, dialect: SqlDialect): Promise<void> {
  await db.schema
    .createTable('tag_sets')
    .addColumn('id', 'integer', (c) =>
      dialect === 'sqlite'
        ? c.primaryKey().autoIncrement()
        : c.primaryKey().generatedByDefaultAsIdentity(),
    )
    .addColumn('digest', dialectTypes(dialect).key, (c) => c.notNull().unique())
    .addColumn('tags', 'text', (c) => c.notNull())
    .execute();
  await db.schema
    .createTable('tag_set_members')
    .addColumn('tag', 'text', (c) => c.notNull())
    .addColumn('set_id', 'integer', (c) => c.notNull())
    .addPrimaryKeyConstraint('tag_set_members_pk', ['tag', 'set_id'])
    .$call((t) => (dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t))
    .execute();
  await db.schema.alterTable('nodes').addColumn('tag_set', 'integer').execute();
  await db.schema
    .createIndex('nodes_tag_set')
    .on('nodes')
    .columns(['tag_set', 'created_at', 'id'])
    .execute();

  const rows = await db.selectFrom('node_tags').select(['node_id', 'tag']).execute();
  const tagsOf = new Map<string, string[]>();
  for (const { node_id, tag } of rows) {
    const tags = tagsOf.get(node_id);
    if (tags === undefined) tagsOf.set(node_id, [tag]);
    else tags.push(tag);
  }
  const nodesOf = new Map<string, string[]>();
  for (const [nodeId, tags] of tagsOf) {
    const set = tagSetOf(tags) as string;
    const nodes = nodesOf.get(set);
    if (nodes === undefined) nodesOf.set(set, [nodeId]);
    else nodes.push(nodeId);
  }
  for (const [tags, nodeIds] of nodesOf) {
    const { id } = await db
      .insertInto('tag_sets')
      .values({ digest: digestOfTagSet(tags), tags })
      .returning('id')
      .executeTakeFirstOrThrow();
    await db
      .insertInto('tag_set_members')
      .values(decodeJson<string[]>(tags).map((tag) => ({ tag, set_id: id })))
      .execute();
    for (let i = 0; i < nodeIds.length; i += 500) {
      await db
        .updateTable('nodes')
        .set({ tag_set: id })
        .where('id', 'in', nodeIds.slice(i, i + 500))
        .execute();
    }
  }
  await db.schema.dropTable('node_tags').execute();
}
