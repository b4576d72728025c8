import type { Insertable, Selectable } from 'kysely';
import type { NodeSpec, WorkflowSpec } from '@ketrew/edsl';
import type { EngineNode, WorkflowRecord } from '@ketrew/engine';
import type { WorkflowTable } from '../schema/ketrew-database.js';
import { decodeInt, decodeJson, encodeJson } from './json-column.js';

/**
 * The row of a workflow. Its spec repeats every node's spec, which the nodes table holds
 * already; when the nodes inserted with it carry those very specs (the same objects, as the
 * engine submits them), the row keeps only their ids, in order (`"nodes": ["a", "b"]`), and
 * `rowToWorkflow` puts the specs back. A 100,000-node workflow then writes its specs once.
 */
export function workflowToRow(
  workflow: WorkflowRecord,
  nodes: readonly EngineNode[] = [],
): Insertable<WorkflowTable> {
  const specs = new Map(nodes.map((node) => [node.id, node.spec]));
  const shared =
    nodes.length > 0 && workflow.spec.nodes.every((spec) => specs.get(spec.id) === spec);
  const spec = shared
    ? { ...workflow.spec, nodes: workflow.spec.nodes.map((n) => n.id) }
    : workflow.spec;
  return {
    id: workflow.id,
    root_id: workflow.rootId,
    submitted_at: workflow.submittedAt,
    spec: encodeJson(spec),
  };
}

/** A workflow row's spec as stored: node specs, or their ids (see `workflowToRow`). */
export type StoredWorkflowSpec = Omit<WorkflowSpec, 'nodes'> & { nodes: (NodeSpec | string)[] };

export function storedWorkflowSpec(row: Selectable<WorkflowTable>): StoredWorkflowSpec {
  return decodeJson<StoredWorkflowSpec>(row.spec);
}

/** The workflow of a row; `nodeSpecs` holds the specs the row left out, by id. */
export function rowToWorkflow(
  row: Selectable<WorkflowTable>,
  stored: StoredWorkflowSpec = storedWorkflowSpec(row),
  nodeSpecs: ReadonlyMap<string, NodeSpec> = new Map(),
): WorkflowRecord {
  const nodes = stored.nodes.map((node) => {
    if (typeof node !== 'string') return node;
    const spec = nodeSpecs.get(node);
    if (spec === undefined) throw new Error(`workflow ${row.id}: node ${node} is not stored`);
    return spec;
  });
  return {
    id: row.id,
    rootId: row.root_id,
    submittedAt: decodeInt(row.submitted_at),
    spec: { ...stored, nodes },
  };
}
