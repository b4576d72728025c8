import type { Insertable, Selectable } from 'kysely';
import type { HistoryEntry, NodeState } from '@ketrew/engine';
import type { NodeHistoryTable } from '../schema/ketrew-database.js';
import { canonicalJson, decodeInt, decodeJson, encodeJson } from './json-column.js';

export function historyToRow(entry: HistoryEntry): Insertable<NodeHistoryTable> {
  return {
    node_id: entry.nodeId,
    attempt: entry.attempt,
    time: entry.time,
    state_kind: entry.state.kind,
    state: encodeJson(entry.state),
    message: entry.message,
  };
}

export function rowToHistory(
  row: Pick<Selectable<NodeHistoryTable>, 'node_id' | 'attempt' | 'time' | 'state' | 'message'>,
): HistoryEntry {
  return {
    nodeId: row.node_id,
    attempt: row.attempt,
    time: decodeInt(row.time),
    state: decodeJson<NodeState>(row.state),
    message: row.message,
  };
}

/** What makes two history entries the same one (import skips entries already present). */
export function historyIdentity(entry: HistoryEntry): string {
  return `${entry.nodeId}\u0000${entry.attempt}\u0000${entry.time}\u0000${canonicalJson(entry.state)}`;
}
