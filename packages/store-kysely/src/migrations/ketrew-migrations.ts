import type { Migration } from 'kysely';
import type { SqlDialect } from '../schema/sql-dialect.js';
import { initialMigration } from './001-initial.js';
import { changeFeedMigration } from './002-change-feed.js';
import { autovacuumMigration } from './003-autovacuum.js';
import { leanSubmissionMigration } from './004-lean-submission.js';

/**
 * Every schema version, oldest first. Names sort in order; a shipped migration is never edited
 * or removed (docs/storage.md, "Migrations"): a change to the schema is a new migration.
 */
export function ketrewMigrations(dialect: SqlDialect): Record<string, Migration> {
  return {
    '001-initial': initialMigration(dialect),
    '002-change-feed': changeFeedMigration(dialect),
    '003-autovacuum': autovacuumMigration(dialect),
    '004-lean-submission': leanSubmissionMigration(dialect),
  };
}

/** The names of the migrations this version ships, oldest first. */
export const KETREW_MIGRATION_NAMES = [
  '001-initial',
  '002-change-feed',
  '003-autovacuum',
  '004-lean-submission',
] as const;

export type KetrewMigrationName = (typeof KETREW_MIGRATION_NAMES)[number];
