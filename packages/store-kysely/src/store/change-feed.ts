import { sql } from 'kysely';
import type { Kysely } from 'kysely';
import type { Change } from '@ketrew/engine';
import type { KetrewDatabase } from '../schema/ketrew-database.js';
import { unreachable } from '../schema/sql-dialect.js';
import { decodeInt, decodeJson } from '../rows/json-column.js';
import type { StoreContext } from './store-context.js';

/** PostgreSQL advisory lock keys (two-int form): class `ktrw`, then the resource. */
export const ADVISORY_LOCK_CLASS = 0x6b747277;
export const CHANGE_FEED_LOCK = 1;

/** One change to append: a node reached a state at a time. */
export interface NewChange {
  readonly node_id: string;
  readonly state_kind: string;
  readonly time: number;
}

/** A run of at least this many changes with the same state and time is written as one row. */
export const MIN_RUN = 8;

/**
 * Appends changes to the feed, in order, with consecutive cursors. A run of `MIN_RUN` or more
 * changes with the same state and time (the passive nodes of a submission, the nodes a tick
 * starts) is one row standing for `span` cursors and naming its nodes in `node_ids`; its
 * `cursor` is the last of them. Cursors are reserved explicitly (`reserveCursors`) so a row can
 * take many.
 *
 * In PostgreSQL cursors come from a sequence, and two transactions could commit in the opposite
 * order of their cursors: a reader would then see cursor 11, move past it, and never see 10. A
 * transaction-scoped lock taken before the cursors are reserved, and held to the commit, makes
 * cursor order commit order.
 */
export async function appendChanges(
  ctx: StoreContext,
  trx: Kysely<KetrewDatabase>,
  changes: readonly NewChange[],
): Promise<void> {
  if (changes.length === 0) return;
  let cursor = (await reserveCursors(ctx, trx, changes.length)) - changes.length;
  const rows = [];
  for (let start = 0; start < changes.length;) {
    const first = changes[start] as NewChange;
    let end = start + 1;
    while (
      end < changes.length &&
      (changes[end] as NewChange).state_kind === first.state_kind &&
      (changes[end] as NewChange).time === first.time
    ) {
      end += 1;
    }
    if (end - start >= MIN_RUN) {
      cursor += end - start;
      const ids = changes.slice(start, end).map((change) => change.node_id);
      rows.push({ ...first, cursor, span: end - start, node_ids: JSON.stringify(ids) });
    } else {
      for (const change of changes.slice(start, end)) {
        cursor += 1;
        rows.push({ ...change, cursor, span: 1, node_ids: null });
      }
    }
    start = end;
  }
  await ctx.statements.changes.run(trx, rows);
}

/** Takes `count` cursors after every cursor ever handed out; returns the last one. */
async function reserveCursors(
  ctx: StoreContext,
  trx: Kysely<KetrewDatabase>,
  count: number,
): Promise<number> {
  switch (ctx.dialect) {
    case 'sqlite': {
      // AUTOINCREMENT keeps the largest cursor ever used (pruned ones too) in sqlite_sequence
      // and raises it when a row is inserted with a larger one.
      const { rows } = await sql<{ last: number }>`select coalesce(max(seq), 0) as last
        from sqlite_sequence where name = 'changes'`.execute(trx);
      return decodeInt(rows[0]?.last ?? 0) + count;
    }
    case 'postgres': {
      await sql`select pg_advisory_xact_lock(${sql.lit(ADVISORY_LOCK_CLASS)}, ${sql.lit(CHANGE_FEED_LOCK)})`.execute(
        trx,
      );
      const sequence = sql`pg_get_serial_sequence('changes', 'cursor')`;
      const { rows } = await sql<{
        last: string;
      }>`select setval(${sequence}, nextval(${sequence}) + ${count - 1}) as last`.execute(trx);
      return decodeInt(rows[0]?.last ?? 0);
    }
    default:
      return unreachable(ctx.dialect);
  }
}

/** The node ids of multi-change rows, by cursor; rows never change, so callers may keep them. */
export type RunCache = Map<number, readonly string[]>;

const RUN_CACHE_SIZE = 8;
/** Smaller runs are cheap to read again and would push the large ones out. */
const CACHED_RUN = 256;

/**
 * Changes with a cursor greater than `since`, oldest first, at most `limit`, one per cursor
 * (multi-change rows expanded). `runs` caches the node ids of such rows across calls: a
 * follower reading a 100,000-node submission in pages parses its ids once.
 */
export async function readChanges(
  db: Kysely<KetrewDatabase>,
  since: number,
  limit: number,
  runs: RunCache,
): Promise<Change[]> {
  // One query: the ids of a run are read unless the cache has them. The cache is copied as the
  // query saw it: runs read below may push a cached one out before its row comes.
  const known: RunCache = new Map(runs);
  const nodeIds =
    known.size === 0
      ? sql.ref('node_ids')
      : sql`case when ${sql.ref('cursor')} in (${sql.join([...known.keys()])}) then null else ${sql.ref('node_ids')} end`;
  const rows = await db
    .selectFrom('changes')
    .select(['cursor', 'node_id', 'state_kind', 'time', 'span', nodeIds.as('node_ids')])
    .where('cursor', '>', since)
    .orderBy('cursor')
    .limit(limit)
    .execute();
  const changes: Change[] = [];
  for (const row of rows) {
    const last = decodeInt(row.cursor);
    const state = row.state_kind as Change['state'];
    const time = decodeInt(row.time);
    const ids = row.span === 1 ? [row.node_id] : (known.get(last) ?? readRun(runs, last, row));
    const first = last - ids.length + 1;
    for (let i = Math.max(0, since + 1 - first); i < ids.length; i += 1) {
      if (changes.length === limit) return changes;
      changes.push({ cursor: first + i, nodeId: ids[i] as string, state, time });
    }
  }
  return changes;
}

/** The node ids of a multi-change row, kept in `runs` when the run is large. */
function readRun(runs: RunCache, cursor: number, row: { readonly node_ids: unknown }): string[] {
  const ids = decodeJson<string[]>(row.node_ids);
  if (ids.length >= CACHED_RUN) {
    runs.set(cursor, ids);
    if (runs.size > RUN_CACHE_SIZE) runs.delete(runs.keys().next().value as number);
  }
  return ids;
}

/** The last cursor handed out to a stored change (0 when none). */
export async function latestCursor(db: Kysely<KetrewDatabase>): Promise<number> {
  const row = await db
    .selectFrom('changes')
    .select((eb) => eb.fn.max('cursor').as('last'))
    .executeTakeFirst();
  return row?.last === null || row?.last === undefined ? 0 : decodeInt(row.last);
}

/**
 * Deletes the changes older than `before` (epoch ms); returns how many changes went. Cursors
 * are never reused: a follower whose cursor was pruned reads on from the oldest change kept.
 */
export async function pruneChanges(db: Kysely<KetrewDatabase>, before: number): Promise<number> {
  const rows = await db
    .deleteFrom('changes')
    .where('time', '<', before)
    .returning('span')
    .execute();
  return rows.reduce((sum, row) => sum + row.span, 0);
}
