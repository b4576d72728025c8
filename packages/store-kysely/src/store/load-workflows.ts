import type { Kysely, Selectable } from 'kysely';
import type { NodeSpec } from '@ketrew/edsl';
import type { WorkflowRecord } from '@ketrew/engine';
import type { KetrewDatabase, WorkflowTable } from '../schema/ketrew-database.js';
import { decodeJson } from '../rows/json-column.js';
import { rowToWorkflow, storedWorkflowSpec } from '../rows/workflow-row.js';

/** Workflows of rows, with the node specs a row left out read back from the nodes table. */
export async function loadWorkflows(
  db: Kysely<KetrewDatabase>,
  rows: readonly Selectable<WorkflowTable>[],
): Promise<WorkflowRecord[]> {
  const workflows: WorkflowRecord[] = [];
  for (const row of rows) {
    const stored = storedWorkflowSpec(row);
    if (stored.nodes.every((node) => typeof node !== 'string')) {
      workflows.push(rowToWorkflow(row, stored));
      continue;
    }
    const specs = await db
      .selectFrom('nodes')
      .select(['id', 'spec'])
      .where('workflow_id', '=', row.id)
      .execute();
    const byId = new Map(specs.map((s) => [s.id, decodeJson<NodeSpec>(s.spec)]));
    workflows.push(rowToWorkflow(row, stored, byId));
  }
  return workflows;
}
