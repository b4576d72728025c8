import { createHash } from 'node:crypto';
import type { Insertable, Selectable } from 'kysely';
import type { NodeSpec } from '@ketrew/edsl';
import { simpleStatusOf } from '@ketrew/engine';
import type { EngineNode, HistoryEntry, NodeState } from '@ketrew/engine';
import type {
  EdgeKind,
  NodeEdgeTable,
  NodeTable,
  NodeTagTable,
} from '../schema/ketrew-database.js';
import { canonicalJson, decodeInt, decodeJson, encodeJson } from './json-column.js';

export type NodeRow = Selectable<NodeTable>;

/**
 * The row of a node: its record plus the columns filters and indexes use. `first` is the
 * node's first history entry when the row keeps it (see `isDerivable`), instead of a
 * `node_history` row; `tagSet` the id of its tags' set (`tagSetsOf`). Without them, the row is
 * the one of migrations before 004.
 */
export function nodeToRow(
  node: EngineNode,
  first?: HistoryEntry,
  tagSet?: number | null,
): Insertable<NodeTable> {
  const row: Insertable<NodeTable> = {
    id: node.id,
    workflow_id: node.workflowId,
    name: node.spec.name,
    name_lower: node.spec.name.toLowerCase(),
    status: simpleStatusOf(node.state),
    state_kind: node.state.kind,
    state: encodeJson(node.state),
    spec: encodeJson(node.spec),
    attempt: node.attempt,
    successive_errors: node.successiveErrors,
    equivalent_to: node.equivalentTo,
    condition_key: equivalenceKeyOf(node.spec),
    active_by_user: node.spec.active ? 1 : 0,
    created_at: node.createdAt,
    updated_at: node.updatedAt,
  };
  if (first !== undefined) {
    row.first_attempt = first.attempt;
    row.first_state = encodeJson(first.state);
  }
  if (tagSet !== undefined) row.tag_set = tagSet;
  return row;
}

/**
 * Whether a node's first history entry can be kept in its row: the row holds its attempt and
 * state; its time must be the node's creation time and it has no message.
 */
export function isDerivable(entry: HistoryEntry, node: EngineNode): boolean {
  return entry.time === node.createdAt && entry.message === null;
}

/** The first history entry a node row keeps (migration 004), or undefined. */
export function firstEntryOfRow(
  row: Pick<NodeRow, 'id' | 'created_at' | 'first_attempt' | 'first_state'>,
): HistoryEntry | undefined {
  if (row.first_state === null || row.first_attempt === null) return undefined;
  return {
    nodeId: row.id,
    attempt: row.first_attempt,
    time: decodeInt(row.created_at),
    state: decodeJson<NodeState>(row.first_state),
    message: null,
  };
}

export function rowToNode(row: NodeRow): EngineNode {
  return {
    id: row.id,
    workflowId: row.workflow_id,
    spec: decodeJson<NodeSpec>(row.spec),
    state: decodeJson<NodeState>(row.state),
    attempt: row.attempt,
    successiveErrors: row.successive_errors,
    equivalentTo: row.equivalent_to,
    createdAt: decodeInt(row.created_at),
    updatedAt: decodeInt(row.updated_at),
  };
}

/**
 * The indexed equivalence key: a digest of the canonical condition key (conditions can be
 * longer than an index entry may be), or null when the node is never merged. Readers compare the
 * full key again, so a digest collision can never merge two different conditions.
 */
export function equivalenceKeyOf(spec: NodeSpec): string | null {
  if (spec.equivalence !== 'same-active-condition' || spec.condition === null) return null;
  return digestOfConditionKey(canonicalJson(spec.condition));
}

export function digestOfConditionKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

/** The node's tags, one `node_tags` row each (the schema before migration 004; tests use it). */
export function tagRows(node: EngineNode): Insertable<NodeTagTable>[] {
  return [...new Set(node.spec.tags)].map((tag) => ({ node_id: node.id, tag }));
}

const EDGE_FIELDS = [
  ['dependsOn', 'depends-on'],
  ['onSuccessActivate', 'on-success'],
  ['onFailureActivate', 'on-failure'],
] as const satisfies readonly (readonly [keyof NodeSpec, EdgeKind])[];

/** The node's outgoing edges, one row each (duplicates dropped). */
export function edgeRows(node: EngineNode): Insertable<NodeEdgeTable>[] {
  const rows: Insertable<NodeEdgeTable>[] = [];
  for (const [field, kind] of EDGE_FIELDS) {
    for (const to of new Set(node.spec[field])) rows.push({ from_id: node.id, to_id: to, kind });
  }
  return rows;
}

/** The columns a transition changes (see `updateNodeStates`). */
export function lifecycleRowOf(node: EngineNode) {
  return {
    id: node.id,
    status: simpleStatusOf(node.state),
    state_kind: node.state.kind,
    state: encodeJson(node.state),
    attempt: node.attempt,
    successive_errors: node.successiveErrors,
    equivalent_to: node.equivalentTo,
    updated_at: node.updatedAt,
  };
}

/** The change-feed row announcing a node's current state. */
export function changeRowOf(node: EngineNode) {
  return { node_id: node.id, state_kind: node.state.kind, time: node.updatedAt };
}
