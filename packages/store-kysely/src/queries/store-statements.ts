import type { Insertable } from 'kysely';
import type {
  ChangeTable,
  NodeEdgeTable,
  NodeHistoryTable,
  NodeTable,
  NodeTagTable,
} from '../schema/ketrew-database.js';
import { BulkStatement } from './bulk-statement.js';

const NODE_COLUMNS = [
  'id',
  'workflow_id',
  'name',
  'name_lower',
  'status',
  'state_kind',
  'state',
  'spec',
  'attempt',
  'successive_errors',
  'equivalent_to',
  'condition_key',
  'active_by_user',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof NodeTable)[];

export type ChangeRow = Insertable<ChangeTable>;

/**
 * The multi-row inserts of one store. Each store instance makes its own set: templates are
 * compiled for the dialect of the database they first run on.
 */
export function storeStatements() {
  return {
    nodes: new BulkStatement<Insertable<NodeTable>>(NODE_COLUMNS, (db, rows) =>
      db.insertInto('nodes').values(rows),
    ),
    /** For imports: a node already stored is left as it is. */
    nodesIfAbsent: new BulkStatement<Insertable<NodeTable>>(NODE_COLUMNS, (db, rows) =>
      db
        .insertInto('nodes')
        .values(rows)
        .onConflict((oc) => oc.doNothing()),
    ),
    tags: new BulkStatement<Insertable<NodeTagTable>>(['node_id', 'tag'], (db, rows) =>
      db
        .insertInto('node_tags')
        .values(rows)
        .onConflict((oc) => oc.doNothing()),
    ),
    edges: new BulkStatement<Insertable<NodeEdgeTable>>(['from_id', 'to_id', 'kind'], (db, rows) =>
      db
        .insertInto('node_edges')
        .values(rows)
        .onConflict((oc) => oc.doNothing()),
    ),
    history: new BulkStatement<Insertable<NodeHistoryTable>>(
      ['node_id', 'attempt', 'time', 'state_kind', 'state', 'message'],
      (db, rows) => db.insertInto('node_history').values(rows),
    ),
    changes: new BulkStatement<ChangeRow>(['node_id', 'state_kind', 'time'], (db, rows) =>
      db.insertInto('changes').values(rows),
    ),
  };
}

export type StoreStatements = ReturnType<typeof storeStatements>;
