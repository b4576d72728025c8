import type { Insertable, Kysely } from 'kysely';
import type {
  ChangeTable,
  KetrewDatabase,
  NodeEdgeTable,
  NodeHistoryTable,
  NodeTable,
} from '../schema/ketrew-database.js';
import type { SqlDialect } from '../schema/sql-dialect.js';
import { BulkStatement } from './bulk-statement.js';
import { UnnestStatement } from './unnest-statement.js';
import type { UnnestType } from './unnest-statement.js';

type Columns<Row> = readonly (readonly [keyof Row & string, UnnestType])[];

/** JSON columns are `text` (PostgreSQL: since migration 004). */
const NODE_COLUMNS = [
  ['id', 'text'],
  ['workflow_id', 'text'],
  ['name', 'text'],
  ['name_lower', 'text'],
  ['status', 'text'],
  ['state_kind', 'text'],
  ['state', 'text'],
  ['spec', 'text'],
  ['attempt', 'integer'],
  ['successive_errors', 'integer'],
  ['equivalent_to', 'text'],
  ['condition_key', 'text'],
  ['active_by_user', 'integer'],
  ['created_at', 'bigint'],
  ['updated_at', 'bigint'],
  ['first_attempt', 'integer'],
  ['first_state', 'text'],
  ['tag_set', 'integer'],
] as const satisfies Columns<NodeTable>;

const EDGE_COLUMNS = [
  ['from_id', 'text'],
  ['to_id', 'text'],
  ['kind', 'text'],
] as const satisfies Columns<NodeEdgeTable>;

const HISTORY_COLUMNS = [
  ['node_id', 'text'],
  ['attempt', 'integer'],
  ['time', 'bigint'],
  ['state_kind', 'text'],
  ['state', 'text'],
  ['message', 'text'],
] as const satisfies Columns<NodeHistoryTable>;

const CHANGE_COLUMNS = [
  ['cursor', 'bigint'],
  ['node_id', 'text'],
  ['state_kind', 'text'],
  ['time', 'bigint'],
  ['span', 'integer'],
  ['node_ids', 'text'],
] as const satisfies Columns<ChangeTable>;

export type ChangeRow = Insertable<ChangeTable>;

/** Writes many rows into one table. */
export interface RowWriter<Row> {
  run(db: Kysely<KetrewDatabase>, rows: readonly Row[]): Promise<void>;
}

/**
 * A multi-row insert for the dialect: re-bound multi-row statements in SQLite (`BulkStatement`),
 * one parameter per column in PostgreSQL (`UnnestStatement`).
 */
function insertInto<Row extends object>(
  dialect: SqlDialect,
  table: keyof KetrewDatabase,
  columns: Columns<Row>,
  onConflict: 'fail' | 'ignore',
): RowWriter<Row> {
  if (dialect === 'postgres') return new UnnestStatement<Row>(table, columns, onConflict);
  return new BulkStatement<Row>(
    columns.map(([name]) => name),
    (db, rows) => {
      const insert = db.insertInto(table).values(rows as never);
      return onConflict === 'ignore' ? insert.onConflict((oc) => oc.doNothing()) : insert;
    },
  );
}

/**
 * The multi-row inserts of one store, for its dialect. Each store instance makes its own set:
 * SQLite templates are compiled once, for the database they first run on.
 */
export function storeStatements(dialect: SqlDialect) {
  return {
    nodes: insertInto<Insertable<NodeTable>>(dialect, 'nodes', NODE_COLUMNS, 'fail'),
    /** For imports: a node already stored is left as it is. */
    nodesIfAbsent: insertInto<Insertable<NodeTable>>(dialect, 'nodes', NODE_COLUMNS, 'ignore'),
    edges: insertInto<Insertable<NodeEdgeTable>>(dialect, 'node_edges', EDGE_COLUMNS, 'ignore'),
    history: insertInto<Insertable<NodeHistoryTable>>(
      dialect,
      'node_history',
      HISTORY_COLUMNS,
      'fail',
    ),
    changes: insertInto<ChangeRow>(dialect, 'changes', CHANGE_COLUMNS, 'fail'),
  };
}

export type StoreStatements = ReturnType<typeof storeStatements>;
