import type { Insertable, Selectable } from 'kysely';
import type { WorkflowSpec } from '@ketrew/edsl';
import type { WorkflowRecord } from '@ketrew/engine';
import type { WorkflowTable } from '../schema/ketrew-database.js';
import { decodeInt, decodeJson, encodeJson } from './json-column.js';

export function workflowToRow(workflow: WorkflowRecord): Insertable<WorkflowTable> {
  return {
    id: workflow.id,
    root_id: workflow.rootId,
    submitted_at: workflow.submittedAt,
    spec: encodeJson(workflow.spec),
  };
}

export function rowToWorkflow(row: Selectable<WorkflowTable>): WorkflowRecord {
  return {
    id: row.id,
    rootId: row.root_id,
    submittedAt: decodeInt(row.submitted_at),
    spec: decodeJson<WorkflowSpec>(row.spec),
  };
}
