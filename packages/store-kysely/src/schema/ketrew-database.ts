import type { Generated } from 'kysely';

/**
 * The tables of a Ketrew database, as kysely sees them (the latest migration). JSON columns hold
 * JSON text (`text` in SQLite, `json` in PostgreSQL, which keeps the text as written); epoch
 * milliseconds are 64-bit integers, which `pg` returns as strings: rows are decoded by the codecs
 * in `rows/`, never used raw. See docs/storage.md for the meaning of every column.
 */
export interface KetrewDatabase {
  workflows: WorkflowTable;
  nodes: NodeTable;
  /** Dropped by migration 004 (tags moved to `tag_sets`); only tests building old databases use it. */
  node_tags: NodeTagTable;
  tag_sets: TagSetTable;
  tag_set_members: TagSetMemberTable;
  node_edges: NodeEdgeTable;
  node_history: NodeHistoryTable;
  changes: ChangeTable;
  command_queue: CommandQueueTable;
}

/** A 64-bit integer as a driver returns it. */
export type Int8 = number | string | bigint;

export interface WorkflowTable {
  id: string;
  root_id: string;
  submitted_at: Int8;
  spec: unknown;
}

export interface NodeTable {
  id: string;
  workflow_id: string;
  name: string;
  /** `name.toLowerCase()`, for the case-insensitive name filter. */
  name_lower: string;
  /** The simple status (`activable`, `in-progress`, `successful`, `failed`). */
  status: string;
  state_kind: string;
  state: unknown;
  spec: unknown;
  attempt: number;
  successive_errors: number;
  equivalent_to: string | null;
  /**
   * SHA-256 of the canonical condition key when the node may be merged
   * (`equivalence: 'same-active-condition'` and a condition), else null.
   */
  condition_key: string | null;
  /** 1 when the user activated the node (`spec.active`), else 0. */
  active_by_user: number;
  created_at: Int8;
  updated_at: Int8;
  /**
   * The node's first history entry when it is derived instead of written (migration 004): its
   * attempt and state (JSON); its time is `created_at` and its message null. Null when the
   * first entry is a `node_history` row (imports, nodes stored before 004).
   */
  first_attempt: number | null;
  first_state: unknown;
  /** The node's set of tags (`tag_sets.id`), null when it has none (migration 004). */
  tag_set: number | null;
}

/**
 * A distinct set of tags (migration 004): nodes of a workflow usually share theirs (`ketrew
 * submit --tag` tags every node), so a node names its set instead of having a row per tag.
 */
export interface TagSetTable {
  id: Generated<number>;
  /** SHA-256 of `tags` (unique): the text itself may be longer than an index entry can be. */
  digest: string;
  /** JSON array of the tags, sorted, each once. */
  tags: string;
}

/** One row per tag of a set, for the tag filter. */
export interface TagSetMemberTable {
  tag: string;
  set_id: number;
}

export interface NodeTagTable {
  node_id: string;
  tag: string;
}

/** `kind` of an edge, read from the node that names the other one (`from_id`). */
export type EdgeKind = 'depends-on' | 'on-success' | 'on-failure';

export interface NodeEdgeTable {
  from_id: string;
  to_id: string;
  kind: EdgeKind;
}

export interface NodeHistoryTable {
  seq: Generated<Int8>;
  node_id: string;
  attempt: number;
  time: Int8;
  state_kind: string;
  state: unknown;
  message: string | null;
}

/**
 * One row per change, or per run of changes (migration 004): a row stands for the `span`
 * cursors ending at `cursor`; when `span` > 1, `node_ids` (a JSON array of `span` ids) names
 * the node of each, in cursor order, all with the same `state_kind` and `time`, and `node_id` is
 * the first of them.
 */
export interface ChangeTable {
  cursor: Generated<Int8>;
  node_id: string;
  state_kind: string;
  time: Int8;
  span: Generated<number>;
  node_ids: unknown;
}

export interface CommandQueueTable {
  id: Generated<Int8>;
  command: unknown;
  queued_at: Int8;
}
