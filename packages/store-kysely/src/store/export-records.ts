import type { Kysely } from 'kysely';
import type { ExportRecord } from '@ketrew/engine';
import type { KetrewDatabase } from '../schema/ketrew-database.js';
import { decodeInt } from '../rows/json-column.js';
import { rowToHistory } from '../rows/history-row.js';
import { firstEntryOfRow, rowToNode } from '../rows/node-row.js';
import { loadWorkflows } from './load-workflows.js';

type Read = <T>(operation: string, read: (db: Kysely<KetrewDatabase>) => Promise<T>) => Promise<T>;

const EXPORT_PAGE = 1000;

/**
 * Every workflow, then every node, then all history, read in keyset pages of 1,000 rows (each
 * page its own read: the export does not hold a transaction open while its consumer works, so
 * writes made meanwhile may or may not appear).
 */
export async function* exportRecords(read: Read): AsyncGenerator<ExportRecord> {
  const workflows = pages((after: { id: string } | undefined) =>
    read('exportAll', async (db) =>
      loadWorkflows(
        db,
        await db
          .selectFrom('workflows')
          .selectAll()
          .$if(after !== undefined, (q) => q.where('id', '>', after?.id ?? ''))
          .orderBy('id')
          .limit(EXPORT_PAGE)
          .execute(),
      ),
    ),
  );
  for await (const workflow of workflows) yield { type: 'workflow', workflow };
  const nodes = pages((after: { id: string } | undefined) =>
    read('exportAll', (db) =>
      db
        .selectFrom('nodes')
        .selectAll()
        .$if(after !== undefined, (q) => q.where('id', '>', after?.id ?? ''))
        .orderBy('id')
        .limit(EXPORT_PAGE)
        .execute(),
    ),
  );
  for await (const row of nodes) yield { type: 'node', node: rowToNode(row) };
  // The first entries node rows keep come before every history row (each is its node's first).
  const firsts = pages((after: { id: string } | undefined) =>
    read('exportAll', (db) =>
      db
        .selectFrom('nodes')
        .select(['id', 'created_at', 'first_attempt', 'first_state'])
        .where('first_state', 'is not', null)
        .$if(after !== undefined, (q) => q.where('id', '>', after?.id ?? ''))
        .orderBy('id')
        .limit(EXPORT_PAGE)
        .execute(),
    ),
  );
  for await (const row of firsts) {
    const entry = firstEntryOfRow(row);
    if (entry !== undefined) yield { type: 'history', entry };
  }
  const history = pages((after: { seq: number | string | bigint } | undefined) =>
    read('exportAll', (db) =>
      db
        .selectFrom('node_history')
        .selectAll()
        .where('seq', '>', after === undefined ? 0 : decodeInt(after.seq))
        .orderBy('seq')
        .limit(EXPORT_PAGE)
        .execute(),
    ),
  );
  for await (const row of history) yield { type: 'history', entry: rowToHistory(row) };
}

async function* pages<R>(next: (after: R | undefined) => Promise<R[]>): AsyncGenerator<R> {
  let after: R | undefined;
  for (;;) {
    const rows = await next(after);
    yield* rows;
    if (rows.length < EXPORT_PAGE) return;
    after = rows[rows.length - 1];
  }
}
