import { sql } from 'kysely';
import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely, Migration } from 'kysely';
import { dialectTypes } from '../schema/sql-dialect.js';
import type { SqlDialect } from '../schema/sql-dialect.js';

/**
 * Version 1 of the schema: workflows, nodes with their searchable columns, tags and edges in
 * their own tables, the append-only history and the command queue, with the indexes the engine
 * and the UIs need.
 */
export function initialMigration(dialect: SqlDialect): Migration {
  const t = dialectTypes(dialect);
  const serial = (c: ColumnDefinitionBuilder) =>
    dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey();
  // Foreign keys in SQLite only: there a check costs one native index probe, while in PostgreSQL
  // each is a per-row trigger running a query, which made inserting a 100,000-node workflow
  // about 40% slower. The store checks references itself, in set-based queries, in both dialects.
  const references = (target: string) => (c: ColumnDefinitionBuilder) =>
    dialect === 'sqlite' ? c.notNull().references(target).onDelete('cascade') : c.notNull();
  // Small rows looked up by their key: in SQLite, store them in the key's b-tree (one b-tree
  // to write per row instead of two).
  const clusteredOnKey = (t: CreateTableBuilder<string, string>) =>
    dialect === 'sqlite' ? t.modifyEnd(sql`without rowid`) : t;
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('workflows')
        .addColumn('id', t.key, (c) => c.primaryKey())
        .addColumn('root_id', t.key, (c) => c.notNull())
        .addColumn('submitted_at', 'bigint', (c) => c.notNull())
        .addColumn('spec', t.json, (c) => c.notNull())
        .execute();

      await db.schema
        .createTable('nodes')
        .addColumn('id', t.key, (c) => c.primaryKey())
        .addColumn('workflow_id', t.key, references('workflows.id'))
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('name_lower', 'text', (c) => c.notNull())
        .addColumn('status', t.key, (c) => c.notNull())
        .addColumn('state_kind', t.key, (c) => c.notNull())
        .addColumn('state', t.json, (c) => c.notNull())
        .addColumn('spec', t.json, (c) => c.notNull())
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('successive_errors', 'integer', (c) => c.notNull())
        .addColumn('equivalent_to', t.key)
        .addColumn('condition_key', t.key)
        .addColumn('active_by_user', 'integer', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute();
      // Keyset pages are ordered by (created_at, id); each common filter gets an index that
      // yields its rows already in that order, so a page reads `limit` rows, not all matches.
      const nodeIndexes: [string, string[]][] = [
        ['nodes_created', ['created_at', 'id']],
        ['nodes_workflow', ['workflow_id', 'created_at', 'id']],
        ['nodes_status', ['status', 'created_at', 'id']],
        ['nodes_state_kind', ['state_kind', 'created_at', 'id']],
        ['nodes_updated', ['updated_at']],
      ];
      for (const [name, columns] of nodeIndexes) {
        await db.schema.createIndex(name).on('nodes').columns(columns).execute();
      }
      await db.schema
        .createIndex('nodes_condition_key')
        .on('nodes')
        .column('condition_key')
        .where(sql.ref('condition_key'), 'is not', null)
        .execute();

      await db.schema
        .createTable('node_tags')
        .addColumn('node_id', t.key, references('nodes.id'))
        .addColumn('tag', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('node_tags_pk', ['tag', 'node_id'])
        .$call(clusteredOnKey)
        .execute();
      await db.schema.createIndex('node_tags_node').on('node_tags').column('node_id').execute();

      await db.schema
        .createTable('node_edges')
        .addColumn('from_id', t.key, references('nodes.id'))
        .addColumn('to_id', t.key, (c) => c.notNull())
        .addColumn('kind', t.key, (c) => c.notNull())
        .addPrimaryKeyConstraint('node_edges_pk', ['from_id', 'kind', 'to_id'])
        .$call(clusteredOnKey)
        .execute();
      await db.schema
        .createIndex('node_edges_to')
        .on('node_edges')
        .columns(['to_id', 'kind'])
        .execute();

      await db.schema
        .createTable('node_history')
        .addColumn('seq', t.serial, serial)
        .addColumn('node_id', t.key, references('nodes.id'))
        .addColumn('attempt', 'integer', (c) => c.notNull())
        .addColumn('time', 'bigint', (c) => c.notNull())
        .addColumn('state_kind', t.key, (c) => c.notNull())
        .addColumn('state', t.json, (c) => c.notNull())
        .addColumn('message', 'text')
        .execute();
      await db.schema
        .createIndex('node_history_node')
        .on('node_history')
        .columns(['node_id', 'seq'])
        .execute();

      await db.schema
        .createTable('command_queue')
        .addColumn('id', t.serial, serial)
        .addColumn('command', t.json, (c) => c.notNull())
        .addColumn('queued_at', 'bigint', (c) => c.notNull())
        .execute();
    },
  };
}
