import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import { StoreError } from '@ketrew/engine';
import type { EngineNode, HistoryEntry, TransitionBatch, WorkflowRecord } from '@ketrew/engine';
import type { KetrewDatabase } from '../schema/ketrew-database.js';
import { historyToRow } from '../rows/history-row.js';
import { changeRowOf, edgeRows, lifecycleRowOf, nodeToRow, tagRows } from '../rows/node-row.js';
import { workflowToRow } from '../rows/workflow-row.js';
import { inList } from '../queries/node-filter.js';
import type { ChangeRow } from '../queries/store-statements.js';
import { updateNodeStates } from '../queries/update-node-states.js';
import type { StoreContext } from './store-context.js';
import { checkReferences, missingIds } from './missing-ids.js';
import { CommitFailedError, inTransaction } from './store-runner.js';

/** PostgreSQL advisory lock keys (two-int form): class `ktrw`, then the resource. */
export const ADVISORY_LOCK_CLASS = 0x6b747277;
export const CHANGE_FEED_LOCK = 1;

/** `insertWorkflow`: everything in one transaction; an id already stored fails it all. */
export async function insertWorkflowRecords(
  ctx: StoreContext,
  workflow: WorkflowRecord,
  nodes: readonly EngineNode[],
  history: readonly HistoryEntry[],
): Promise<void> {
  checkSubmission(ctx.databaseLabel, workflow, nodes, history);
  try {
    await inTransaction(ctx.db, async (trx) => {
      await trx.insertInto('workflows').values(workflowToRow(workflow, nodes)).execute();
      await writeNewNodes(ctx, trx, nodes, 'strict');
      await ctx.statements.history.run(trx, history.map(historyToRow));
      await appendChanges(ctx, trx, nodes.map(changeRowOf));
    });
  } catch (error) {
    if (error instanceof CommitFailedError) throw error;
    const taken = await storedIds(ctx, workflow.id, nodes).catch(() => []);
    if (taken.length === 0) throw error;
    throw new StoreError(
      `${ctx.databaseLabel}: cannot insert workflow ${workflow.id}: already stored: ${describeIds(taken)}`,
      { retryable: false, cause: error, details: { workflowId: workflow.id, stored: taken } },
    );
  }
}

/** `applyTransitions`: lifecycle columns, history and change feed in one transaction. */
export async function applyTransitionBatch(
  ctx: StoreContext,
  batch: TransitionBatch,
): Promise<void> {
  const latest = new Map<string, EngineNode>();
  for (const node of batch.nodes) latest.set(node.id, node);
  // Rows are locked in id order, so two concurrent writers cannot deadlock on them.
  const nodes = [...latest.values()].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  // One change per node, for its last version, in the order the batch first names them.
  const changes = [...latest.values()].map(changeRowOf);
  await inTransaction(ctx.db, async (trx) => {
    const updated = await updateNodeStates(trx, nodes.map(lifecycleRowOf), ctx.dialect);
    if (updated !== nodes.length) {
      const unknown = await missingIds(trx, 'nodes', latest.keys(), ctx.dialect);
      throw new StoreError(
        `${ctx.databaseLabel}: cannot apply transitions: unknown node(s) ${describeIds(unknown)}`,
        { retryable: false, details: { unknown } },
      );
    }
    const others = batch.history.map((e) => e.nodeId).filter((id) => !latest.has(id));
    await checkReferences(trx, 'nodes', others, {
      ...ctx,
      what: 'cannot apply transitions: history names',
    });
    await ctx.statements.history.run(trx, batch.history.map(historyToRow));
    await appendChanges(ctx, trx, changes);
  });
}

/** Inserts nodes with their tags and edges (`if-absent`: nodes already stored are kept). */
export async function writeNewNodes(
  ctx: StoreContext,
  trx: Kysely<KetrewDatabase>,
  nodes: readonly EngineNode[],
  mode: 'strict' | 'if-absent',
): Promise<void> {
  const statement = mode === 'strict' ? ctx.statements.nodes : ctx.statements.nodesIfAbsent;
  await statement.run(trx, nodes.map(nodeToRow));
  await ctx.statements.tags.run(trx, nodes.flatMap(tagRows));
  await ctx.statements.edges.run(trx, nodes.flatMap(edgeRows));
}

/**
 * Appends to the change feed. In PostgreSQL, cursors come from a sequence, and two
 * transactions could commit in the opposite order of their cursors: a reader would then see
 * cursor 11, move past it, and never see 10. A transaction-scoped lock taken just before the
 * insert, and held to the commit, makes cursor order commit order.
 */
export async function appendChanges(
  ctx: StoreContext,
  trx: Kysely<KetrewDatabase>,
  rows: readonly ChangeRow[],
): Promise<void> {
  if (rows.length === 0) return;
  if (ctx.dialect === 'postgres') {
    await sql`select pg_advisory_xact_lock(${sql.lit(ADVISORY_LOCK_CLASS)}, ${sql.lit(CHANGE_FEED_LOCK)})`.execute(
      trx,
    );
  }
  await ctx.statements.changes.run(trx, rows);
}

async function storedIds(
  ctx: StoreContext,
  workflowId: string,
  nodes: readonly EngineNode[],
): Promise<string[]> {
  const workflow = await ctx.db
    .selectFrom('workflows')
    .select('id')
    .where('id', '=', workflowId)
    .executeTakeFirst();
  const stored =
    nodes.length === 0
      ? []
      : await ctx.db
          .selectFrom('nodes')
          .select('id')
          .where(
            inList(
              'nodes.id',
              nodes.map((n) => n.id),
              ctx.dialect,
            ),
          )
          .orderBy('id')
          .execute();
  return [
    ...(workflow === undefined ? [] : [`workflow ${workflowId}`]),
    ...stored.map((r) => `node ${r.id}`),
  ];
}

/** What insertWorkflow refuses before touching the database: a batch that is not one workflow. */
function checkSubmission(
  label: string,
  workflow: WorkflowRecord,
  nodes: readonly EngineNode[],
  history: readonly HistoryEntry[],
): void {
  const refuse = (reason: string, details: Record<string, unknown>) =>
    new StoreError(`${label}: cannot insert workflow ${workflow.id}: ${reason}`, {
      retryable: false,
      details: { workflowId: workflow.id, ...details },
    });
  const duplicate = firstDuplicate(nodes.map((n) => n.id));
  if (duplicate !== undefined) {
    throw refuse(`node id ${duplicate} appears twice`, { nodeId: duplicate });
  }
  const stranger = nodes.find((n) => n.workflowId !== workflow.id);
  if (stranger !== undefined) {
    throw refuse(`node ${stranger.id} belongs to workflow ${stranger.workflowId}`, {
      nodeId: stranger.id,
    });
  }
  const ids = new Set(nodes.map((n) => n.id));
  const stray = history.find((entry) => !ids.has(entry.nodeId));
  if (stray !== undefined) {
    throw refuse(`history names node ${stray.nodeId}, which is not in the workflow`, {
      nodeId: stray.nodeId,
    });
  }
}

function firstDuplicate(ids: readonly string[]): string | undefined {
  const seen = new Set<string>();
  for (const id of ids) {
    if (seen.has(id)) return id;
    seen.add(id);
  }
  return undefined;
}

function describeIds(ids: readonly string[]): string {
  const shown = ids.slice(0, 5).join(', ');
  return ids.length > 5 ? `${shown} and ${ids.length - 5} more` : shown;
}
