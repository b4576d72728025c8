import type { Kysely, Migration } from 'kysely';
import type { KetrewDatabase } from '../schema/ketrew-database.js';
import { dialectTypes } from '../schema/sql-dialect.js';
import type { SqlDialect } from '../schema/sql-dialect.js';

/**
 * Version 2: the change feed (`changes`, whose cursor only grows, read by live UIs), back-filled
 * with one change per existing node so a client starting from cursor 0 sees every node.
 */
export function changeFeedMigration(dialect: SqlDialect): Migration {
  const t = dialectTypes(dialect);
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('changes')
        .addColumn('cursor', t.serial, (c) =>
          dialect === 'sqlite' ? c.primaryKey().autoIncrement() : c.primaryKey(),
        )
        .addColumn('node_id', t.key, (c) => c.notNull())
        .addColumn('state_kind', t.key, (c) => c.notNull())
        .addColumn('time', 'bigint', (c) => c.notNull())
        .execute();
      const typed = db as unknown as Kysely<KetrewDatabase>;
      await typed
        .insertInto('changes')
        .columns(['node_id', 'state_kind', 'time'])
        .expression(
          typed
            .selectFrom('nodes')
            .select(['id', 'state_kind', 'updated_at'])
            .orderBy('updated_at')
            .orderBy('id'),
        )
        .execute();
    },
  };
}
