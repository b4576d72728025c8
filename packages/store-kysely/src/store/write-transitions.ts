import type { Kysely } from 'kysely';
import { StoreError } from '@ketrew/engine';
import type { EngineNode, HistoryEntry, TransitionBatch, WorkflowRecord } from '@ketrew/engine';
import type { KetrewDatabase } from '../schema/ketrew-database.js';
import { historyToRow } from '../rows/history-row.js';
import { changeRowOf, edgeRows, isDerivable, lifecycleRowOf, nodeToRow } from '../rows/node-row.js';
import { workflowToRow } from '../rows/workflow-row.js';
import { inList } from '../queries/node-filter.js';
import { updateNodeStates } from '../queries/update-node-states.js';
import type { StoreContext } from './store-context.js';
import { appendChanges } from './change-feed.js';
import { tagSetsOf } from './tag-sets.js';
import { checkReferences, missingIds } from './missing-ids.js';
import { CommitFailedError, inTransaction } from './store-runner.js';

/** `insertWorkflow`: everything in one transaction; an id already stored fails it all. */
export async function insertWorkflowRecords(
  ctx: StoreContext,
  workflow: WorkflowRecord,
  nodes: readonly EngineNode[],
  history: readonly HistoryEntry[],
): Promise<void> {
  checkSubmission(ctx.databaseLabel, workflow, nodes, history);
  try {
    const { firstEntries, rest } = splitFirstEntries(nodes, history);
    await inTransaction(ctx.db, async (trx) => {
      await trx.insertInto('workflows').values(workflowToRow(workflow, nodes)).execute();
      await writeNewNodes(ctx, trx, nodes, 'strict', firstEntries);
      await ctx.statements.history.run(trx, rest.map(historyToRow));
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

/**
 * The first history entry of each new node that its row can keep (`isDerivable`): those are
 * not written as `node_history` rows; `rest` is what is.
 */
function splitFirstEntries(
  nodes: readonly EngineNode[],
  history: readonly HistoryEntry[],
): { firstEntries: Map<string, HistoryEntry>; rest: HistoryEntry[] } {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const seen = new Set<string>();
  const firstEntries = new Map<string, HistoryEntry>();
  const rest: HistoryEntry[] = [];
  for (const entry of history) {
    const node = byId.get(entry.nodeId);
    const first = !seen.has(entry.nodeId);
    seen.add(entry.nodeId);
    if (first && node !== undefined && isDerivable(entry, node)) {
      firstEntries.set(entry.nodeId, entry);
    } else {
      rest.push(entry);
    }
  }
  return { firstEntries, rest };
}

/** Inserts nodes with their tag sets and edges (`if-absent`: nodes already stored are kept). */
export async function writeNewNodes(
  ctx: StoreContext,
  trx: Kysely<KetrewDatabase>,
  nodes: readonly EngineNode[],
  mode: 'strict' | 'if-absent',
  firstEntries: ReadonlyMap<string, HistoryEntry> = new Map(),
): Promise<void> {
  const statement = mode === 'strict' ? ctx.statements.nodes : ctx.statements.nodesIfAbsent;
  const tagSets = await tagSetsOf(trx, nodes, ctx.dialect);
  // Rows are built and written a slice at a time: their ~1 KB of JSON each then dies young
  // instead of surviving into the old generation (measured at 100,000 nodes: the garbage
  // collector took more CPU than the rows' JSON).
  for (let offset = 0; offset < nodes.length; offset += ROWS_PER_SLICE) {
    const slice = nodes.slice(offset, offset + ROWS_PER_SLICE);
    await statement.run(
      trx,
      slice.map((node) => nodeToRow(node, firstEntries.get(node.id), tagSets.get(node.id) ?? null)),
    );
    await ctx.statements.edges.run(trx, slice.flatMap(edgeRows));
  }
}

/** Nodes whose rows are built and written at once (see `writeNewNodes`). */
const ROWS_PER_SLICE = 4096;

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
