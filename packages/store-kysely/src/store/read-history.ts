import type { Kysely } from 'kysely';
import type { HistoryEntry } from '@ketrew/engine';
import type { KetrewDatabase } from '../schema/ketrew-database.js';
import type { SqlDialect } from '../schema/sql-dialect.js';
import { rowToHistory } from '../rows/history-row.js';
import { firstEntryOfRow } from '../rows/node-row.js';
import { inList } from '../queries/node-filter.js';

/**
 * The history of some nodes, each node's oldest first: the first entry its row keeps (see
 * `nodeToRow`), if any, then its `node_history` rows in `seq` order. `attempt` keeps only that
 * attempt's entries.
 */
export async function readHistory(
  db: Kysely<KetrewDatabase>,
  nodeIds: readonly string[],
  dialect: SqlDialect,
  attempt?: number | undefined,
): Promise<HistoryEntry[]> {
  if (nodeIds.length === 0) return [];
  let firsts = db
    .selectFrom('nodes')
    .select(['id', 'created_at', 'first_attempt', 'first_state'])
    .where(inList('nodes.id', nodeIds, dialect))
    .where('first_state', 'is not', null);
  let rows = db
    .selectFrom('node_history')
    .select(['node_id', 'attempt', 'time', 'state', 'message'])
    .where(inList('node_history.node_id', nodeIds, dialect));
  if (attempt !== undefined) {
    firsts = firsts.where('first_attempt', '=', attempt);
    rows = rows.where('attempt', '=', attempt);
  }
  const derived = (await firsts.execute()).flatMap((row) => firstEntryOfRow(row) ?? []);
  const written = (await rows.orderBy('seq').execute()).map(rowToHistory);
  if (derived.length === 0) return written;
  if (nodeIds.length === 1) return [...derived, ...written];
  const byNode = new Map<string, HistoryEntry[]>();
  for (const entry of [...derived, ...written]) {
    const entries = byNode.get(entry.nodeId);
    if (entries === undefined) byNode.set(entry.nodeId, [entry]);
    else entries.push(entry);
  }
  return [...byNode.values()].flat();
}
