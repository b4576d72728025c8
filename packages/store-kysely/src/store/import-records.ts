import type { Kysely } from 'kysely';
import type { EngineNode, ExportRecord, HistoryEntry, WorkflowRecord } from '@ketrew/engine';
import type { KetrewDatabase } from '../schema/ketrew-database.js';
import { historyIdentity, historyToRow } from '../rows/history-row.js';
import { changeRowOf } from '../rows/node-row.js';
import { workflowToRow } from '../rows/workflow-row.js';
import { inList } from '../queries/node-filter.js';
import type { StoreContext } from './store-context.js';
import { checkReferences } from './missing-ids.js';
import { readHistory } from './read-history.js';
import { inTransaction } from './store-runner.js';
import { appendChanges } from './change-feed.js';
import { writeNewNodes } from './write-transitions.js';

type Write = <T>(operation: string, write: (ctx: StoreContext) => Promise<T>) => Promise<T>;

interface Batch {
  workflows: WorkflowRecord[];
  nodes: EngineNode[];
  history: HistoryEntry[];
}

interface Counts {
  imported: number;
  skipped: number;
}

/** Records are written in transactions of this many (a failed import can simply be re-run). */
const IMPORT_BATCH = 1000;

/**
 * `importAll`: records already stored (same workflow or node id; same node, attempt, time and
 * state for history) are skipped, so importing twice duplicates nothing. Each batch writes its
 * workflows, then its nodes, then its history, so an export's order satisfies the foreign keys.
 */
export async function importRecords(
  records: AsyncIterable<ExportRecord>,
  write: Write,
): Promise<Counts> {
  const counts: Counts = { imported: 0, skipped: 0 };
  let batch: Batch = { workflows: [], nodes: [], history: [] };
  let size = 0;
  const flush = async () => {
    if (size === 0) return;
    const taken = batch;
    batch = { workflows: [], nodes: [], history: [] };
    size = 0;
    const result = await write('importAll', (ctx) =>
      inTransaction(ctx.db, (trx) => importBatch(ctx, trx, taken)),
    );
    counts.imported += result.imported;
    counts.skipped += result.skipped;
  };
  for await (const record of records) {
    switch (record.type) {
      case 'workflow':
        batch.workflows.push(record.workflow);
        break;
      case 'node':
        batch.nodes.push(record.node);
        break;
      case 'history':
        batch.history.push(record.entry);
        break;
      default:
        throw new Error(`unknown export record ${JSON.stringify(record satisfies never)}`);
    }
    size += 1;
    if (size >= IMPORT_BATCH) await flush();
  }
  await flush();
  return counts;
}

async function importBatch(
  ctx: StoreContext,
  trx: Kysely<KetrewDatabase>,
  batch: Batch,
): Promise<Counts> {
  const workflows = await absentById(
    batch.workflows,
    (w) => w.id,
    async (ids) =>
      (await trx.selectFrom('workflows').select('id').where('id', 'in', ids).execute()).map(
        (r) => r.id,
      ),
  );
  if (workflows.length > 0) {
    await trx
      .insertInto('workflows')
      .values(workflows.map((w) => workflowToRow(w)))
      .execute();
  }
  const nodes = await absentById(
    batch.nodes,
    (n) => n.id,
    async (ids) =>
      (
        await trx
          .selectFrom('nodes')
          .select('id')
          .where(inList('nodes.id', ids, ctx.dialect))
          .execute()
      ).map((r) => r.id),
  );
  const workflowIds = new Set(batch.workflows.map((w) => w.id));
  await checkReferences(
    trx,
    'workflows',
    nodes.map((n) => n.workflowId).filter((id) => !workflowIds.has(id)),
    { ...ctx, what: 'cannot import nodes of' },
  );
  await writeNewNodes(ctx, trx, nodes, 'if-absent');
  await appendChanges(ctx, trx, nodes.map(changeRowOf));
  const nodeIds = new Set(batch.nodes.map((n) => n.id));
  await checkReferences(
    trx,
    'nodes',
    batch.history.map((e) => e.nodeId).filter((id) => !nodeIds.has(id)),
    { ...ctx, what: 'cannot import the history of' },
  );
  const history = await absentHistory(ctx, trx, batch.history);
  await ctx.statements.history.run(trx, history.map(historyToRow));
  const imported = workflows.length + nodes.length + history.length;
  const total = batch.workflows.length + batch.nodes.length + batch.history.length;
  return { imported, skipped: total - imported };
}

/** The records whose id is neither stored nor repeated earlier in the batch. */
async function absentById<T>(
  records: readonly T[],
  idOf: (record: T) => string,
  stored: (ids: string[]) => Promise<string[]>,
): Promise<T[]> {
  if (records.length === 0) return [];
  const seen = new Set(await stored([...new Set(records.map(idOf))]));
  return records.filter((record) => {
    const id = idOf(record);
    if (seen.has(id)) return false;
    seen.add(id);
    return true;
  });
}

async function absentHistory(
  ctx: StoreContext,
  trx: Kysely<KetrewDatabase>,
  entries: readonly HistoryEntry[],
): Promise<HistoryEntry[]> {
  if (entries.length === 0) return [];
  const nodeIds = [...new Set(entries.map((e) => e.nodeId))];
  const stored = await readHistory(trx, nodeIds, ctx.dialect);
  const seen = new Set(stored.map(historyIdentity));
  return entries.filter((entry) => {
    const identity = historyIdentity(entry);
    if (seen.has(identity)) return false;
    seen.add(identity);
    return true;
  });
}
