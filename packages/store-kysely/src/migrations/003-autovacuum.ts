import { sql } from 'kysely';
import type { Kysely, Migration } from 'kysely';
import type { SqlDialect } from '../schema/sql-dialect.js';

/** Tables every transition writes to, and how soon (fraction of rows changed) to vacuum them. */
const HOT_TABLES = ['nodes', 'node_history', 'changes'] as const;

/**
 * Version 3 (PostgreSQL only; nothing to do in SQLite): vacuum and analyze the hot tables after
 * 2% and 1% of their rows changed instead of the defaults, 20% and 10%. Every transition
 * rewrites a node row; until a vacuum marks pages all-visible again, counting nodes by status
 * reads the table instead of the index alone (measured at 100,000 nodes: 157 ms instead of 30),
 * and a new 100,000-node workflow has no statistics, which misleads the planner.
 */
export function autovacuumMigration(dialect: SqlDialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      if (dialect !== 'postgres') return;
      for (const table of HOT_TABLES) {
        await sql`alter table ${sql.table(table)} set (
          autovacuum_vacuum_scale_factor = 0.02,
          autovacuum_analyze_scale_factor = 0.01
        )`.execute(db);
      }
    },
  };
}
