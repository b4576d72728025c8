import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Change, EngineNode, HistoryEntry } from '@ketrew/engine';
import { FIXTURE_T0, buildNodeSpec, buildWorkflow, collect, moveTo } from '@ketrew/test-kit';
import { createSqliteStore } from '../src/index.js';
import type { SqliteStore } from '../src/index.js';

const directories: string[] = [];
const stores: SqliteStore[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

async function openStore(): Promise<SqliteStore> {
  const directory = mkdtempSync(path.join(tmpdir(), 'ketrew-sqlite-'));
  directories.push(directory);
  const store = createSqliteStore({ path: path.join(directory, 'ketrew.db') });
  stores.push(store);
  await store.migrate();
  return store;
}

/** A submission as the engine makes it: the root activated (two entries), the rest passive. */
function submission(id: string, count: number, time = FIXTURE_T0) {
  const specs = Array.from({ length: count }, (_, i) =>
    buildNodeSpec({ id: `${id}.n${String(i).padStart(4, '0')}`, active: i === 0 }),
  );
  const fixture = buildWorkflow({ id, nodes: specs, time });
  const root = fixture.nodes[0];
  if (root === undefined) throw new Error('no root');
  const created: HistoryEntry = {
    ...(fixture.history[0] as HistoryEntry),
    state: { kind: 'passive' },
  };
  return { ...fixture, history: [created, ...fixture.history] };
}

async function readAll(store: SqliteStore, pageSize: number): Promise<Change[]> {
  const changes: Change[] = [];
  for (let since = 0; ;) {
    const page = await store.changesSince(since, pageSize);
    if (page.length === 0) return changes;
    changes.push(...page);
    since = page.at(-1)?.cursor ?? since;
  }
}

const count = async (store: SqliteStore, table: 'node_history' | 'changes') =>
  Number(
    (
      await store.db
        .selectFrom(table)
        .select((eb) => eb.fn.countAll().as('n'))
        .executeTakeFirstOrThrow()
    ).n,
  );

describe('SQLite: what a submission derives instead of writing (migration 004)', () => {
  it('keeps first history entries in the node rows and reads them back first', async () => {
    const store = await openStore();
    const fixture = submission('wf-d', 300);
    await store.insertWorkflow(fixture.workflow, fixture.nodes, fixture.history);
    // Only the root's second entry (its activation) is a history row.
    expect(await count(store, 'node_history')).toBe(1);
    const root = fixture.nodes[0];
    const leaf = fixture.nodes[299];
    if (root === undefined || leaf === undefined) throw new Error('nodes');
    expect(await store.getHistory(root.id)).toEqual(fixture.history.slice(0, 2));
    expect(await store.getHistory(leaf.id)).toEqual([fixture.history[300]]);

    const moved = moveTo(leaf, { kind: 'building' }, FIXTURE_T0 + 5, { attempt: 2 });
    await store.applyTransitions({ nodes: [moved.node], history: [moved.entry] });
    expect(await store.getHistory(leaf.id)).toEqual([fixture.history[300], moved.entry]);
    expect(await store.getHistory(leaf.id, { attempt: 1 })).toEqual([fixture.history[300]]);
    expect(await store.getHistory(leaf.id, { attempt: 2 })).toEqual([moved.entry]);

    // Export lists every entry; importing it elsewhere, and twice, gives the same histories.
    const exported = await collect(store.exportAll());
    const entries = exported.flatMap((r) => (r.type === 'history' ? [r.entry] : []));
    expect(entries).toHaveLength(302);
    const copy = await openStore();
    await copy.importAll(toAsync(exported));
    expect(await copy.importAll(toAsync(exported))).toMatchObject({ imported: 0 });
    expect(await copy.getHistory(root.id)).toEqual(fixture.history.slice(0, 2));
    expect(await copy.getHistory(leaf.id)).toEqual([fixture.history[300], moved.entry]);
    // Imported again into the store they came from: nothing is new.
    expect(await store.importAll(toAsync(exported))).toEqual({ imported: 0, skipped: 603 });
  });

  it('writes a run of same-state changes as one row, read back one change per cursor', async () => {
    const store = await openStore();
    const first = submission('wf-a', 500);
    const second = submission('wf-b', 20, FIXTURE_T0 + 1);
    await store.insertWorkflow(first.workflow, first.nodes, first.history);
    const few = first.nodes.slice(1, 4).map((n) => moveTo(n, { kind: 'building' }, FIXTURE_T0 + 2));
    await store.applyTransitions({
      nodes: few.map((m) => m.node),
      history: few.map((m) => m.entry),
    });
    await store.insertWorkflow(second.workflow, second.nodes, second.history);
    // root + run of 499 + 3 single + root + run of 19.
    expect(await count(store, 'changes')).toBe(7);

    const expected = [
      ...first.nodes.map((n) => [n.id, n.state.kind, FIXTURE_T0]),
      ...few.map((m) => [m.node.id, 'building', FIXTURE_T0 + 2]),
      ...second.nodes.map((n) => [n.id, n.state.kind, FIXTURE_T0 + 1]),
    ];
    const all = await readAll(store, 1000);
    expect(all.map((c) => [c.nodeId, c.state, c.time])).toEqual(expected);
    const cursors = all.map((c) => c.cursor);
    expect(cursors).toEqual(cursors.map((_, i) => (cursors[0] ?? 0) + i));
    // Many runs in one page (ticks of 10 nodes reaching one state at once).
    const ticks = Array.from({ length: 12 }, (_, k) =>
      first.nodes
        .slice(100 + 10 * k, 110 + 10 * k)
        .map((n) => moveTo(n, { kind: 'building' }, FIXTURE_T0 + 10 + k)),
    );
    for (const tick of ticks) {
      await store.applyTransitions({
        nodes: tick.map((m) => m.node),
        history: tick.map((m) => m.entry),
      });
    }
    const withTicks = await readAll(store, 1000);
    expect(withTicks.slice(all.length).map((c) => [c.nodeId, c.time])).toEqual(
      ticks.flat().map((m) => [m.node.id, m.node.updatedAt]),
    );
    expect(await readAll(store, 9)).toEqual(withTicks);
    // Pages of any size, starting anywhere inside a run, see the same feed.
    expect(await store.changesSince(all[250]?.cursor ?? 0, 3)).toEqual(all.slice(251, 254));
    expect(await store.latestChangeCursor()).toBe(withTicks.at(-1)?.cursor);

    // Pruning drops whole rows older than the retention; cursors are never reused.
    expect(await store.pruneChanges(FIXTURE_T0 + 1)).toBe(500);
    expect(await readAll(store, 100)).toEqual(withTicks.slice(500));
    const last = withTicks.at(-1)?.cursor ?? 0;
    const later = moveTo(first.nodes[0] as EngineNode, { kind: 'building' }, FIXTURE_T0 + 99);
    await store.applyTransitions({ nodes: [later.node], history: [later.entry] });
    expect((await store.changesSince(last, 10)).map((c) => c.cursor)).toEqual([last + 1]);
  });
});

async function* toAsync<T>(items: Iterable<T>): AsyncGenerator<T> {
  yield* items;
}
