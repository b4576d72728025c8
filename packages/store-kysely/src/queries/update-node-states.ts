import { sql } from 'kysely';
import type { Insertable, Kysely } from 'kysely';
import type { KetrewDatabase, NodeTable } from '../schema/ketrew-database.js';
import type { SqlDialect } from '../schema/sql-dialect.js';
import { unreachable } from '../schema/sql-dialect.js';

/** The columns a transition changes; the rest of a node (its spec) is immutable once stored. */
export const LIFECYCLE_COLUMNS = [
  'status',
  'state_kind',
  'state',
  'attempt',
  'successive_errors',
  'equivalent_to',
  'updated_at',
] as const satisfies readonly (keyof NodeTable)[];

type LifecycleRow = Pick<Insertable<NodeTable>, 'id' | (typeof LIFECYCLE_COLUMNS)[number]>;

/**
 * Writes the lifecycle columns of many nodes in one statement: the rows travel as one JSON
 * parameter, unpacked by the database (`json_each` in SQLite, `json_to_recordset` in
 * PostgreSQL), so a tick costs one round trip whatever its size. Returns how many nodes were
 * updated: fewer than `rows.length` means some ids are not stored. Ids must be distinct.
 */
export async function updateNodeStates(
  db: Kysely<KetrewDatabase>,
  rows: readonly LifecycleRow[],
  dialect: SqlDialect,
): Promise<number> {
  if (rows.length === 0) return 0;
  const payload = JSON.stringify(rows.map((row) => ({ ...row, state: String(row.state) })));
  const set = sql.join(
    LIFECYCLE_COLUMNS.map((column) => sql`${sql.id(column)} = ${sql.ref(`v.${column}`)}`),
  );
  const source = unpack(payload, dialect);
  const result = await sql`update nodes set ${set} from ${source} where nodes.id = v.id`.execute(
    db,
  );
  return Number(result.numAffectedRows ?? 0n);
}

function unpack(payload: string, dialect: SqlDialect) {
  switch (dialect) {
    case 'sqlite': {
      const fields = sql.join(
        ['id', ...LIFECYCLE_COLUMNS].map(
          (column) => sql`value ->> ${sql.lit(column)} as ${sql.id(column)}`,
        ),
      );
      return sql`(select ${fields} from json_each(${payload})) as v`;
    }
    case 'postgres':
      return sql`json_to_recordset(${payload}::json) as v(id text, status text, state_kind text,
        state text, attempt integer, successive_errors integer, equivalent_to text,
        updated_at bigint)`;
    default:
      return unreachable(dialect);
  }
}
