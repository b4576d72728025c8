export type * from './schema/ketrew-database.js';
export type { SqlDialect } from './schema/sql-dialect.js';
export {
  ketrewMigrations,
  KETREW_MIGRATION_NAMES,
  type KetrewMigrationName,
} from './migrations/ketrew-migrations.js';
export {
  migrateDatabase,
  appliedMigrations,
  MIGRATION_TABLE,
  type MigrateOptions,
} from './migrations/migrate-database.js';
export { KyselyStore, type KyselyStoreOptions } from './store/kysely-store.js';
export { CommitFailedError, inTransaction, type StoreRunner } from './store/store-runner.js';
export { ADVISORY_LOCK_CLASS, CHANGE_FEED_LOCK } from './store/change-feed.js';
export { MAX_PAGE_LIMIT } from './store/node-queries.js';
export { BulkStatement } from './queries/bulk-statement.js';
export {
  nodeToRow,
  rowToNode,
  tagRows,
  edgeRows,
  equivalenceKeyOf,
  digestOfConditionKey,
} from './rows/node-row.js';
export { historyToRow, rowToHistory } from './rows/history-row.js';
export { workflowToRow, rowToWorkflow } from './rows/workflow-row.js';
