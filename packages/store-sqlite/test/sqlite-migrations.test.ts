import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '@ketrew/engine';
import type { EngineNode } from '@ketrew/engine';
import {
  KETREW_MIGRATION_NAMES,
  MIGRATION_TABLE,
  appliedMigrations,
  edgeRows,
  historyToRow,
  nodeToRow,
  tagRows,
  workflowToRow,
} from '@ketrew/store-kysely';
import {
  FIXTURE_T0,
  expectNewWritesAfterUpgrade,
  moveTo,
  pipelineWorkflow,
} from '@ketrew/test-kit';
import { createSqliteStore } from '../src/index.js';
import type { SqliteStore } from '../src/index.js';

const directories: string[] = [];
const stores: SqliteStore[] = [];

function open(file: string): SqliteStore {
  const store = createSqliteStore({ path: file });
  stores.push(store);
  return store;
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

function freshFile(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'ketrew-sqlite-'));
  directories.push(directory);
  return path.join(directory, 'ketrew.db');
}

/** A database as version 001 of the schema left it, holding two workflows, one partly run. */
async function databaseAtVersion001(file: string) {
  const store = open(file);
  await store.migrateTo('001-initial');
  const first = pipelineWorkflow('wf-old1');
  const second = pipelineWorkflow('wf-old2', FIXTURE_T0 + 50);
  const moved = moveTo(first.nodes[1] as EngineNode, { kind: 'building' }, FIXTURE_T0 + 100);
  for (const fixture of [first, second]) {
    await store.db.insertInto('workflows').values(workflowToRow(fixture.workflow)).execute();
    const nodes = fixture.nodes.map((n) => (n.id === moved.node.id ? moved.node : n));
    await store.db
      .insertInto('nodes')
      .values(nodes.map((n) => nodeToRow(n)))
      .execute();
    await store.db.insertInto('node_tags').values(nodes.flatMap(tagRows)).execute();
    await store.db.insertInto('node_edges').values(nodes.flatMap(edgeRows)).execute();
    const history = fixture === first ? [...fixture.history, moved.entry] : fixture.history;
    await store.db.insertInto('node_history').values(history.map(historyToRow)).execute();
  }
  await store.close();
  return { first, second, moved };
}

describe('SQLite schema migrations', () => {
  it('upgrades a database made at migration 001 in place, keeping its data', async () => {
    const file = freshFile();
    const { first, second, moved } = await databaseAtVersion001(file);

    const store = open(file);
    expect(await appliedMigrations(store.db)).toEqual(['001-initial']);
    const tables = async () => (await store.db.introspection.getTables()).map((t) => t.name);
    expect(await tables()).not.toContain('changes');
    await store.migrate();
    expect(await appliedMigrations(store.db)).toEqual([...KETREW_MIGRATION_NAMES]);
    expect(await tables()).toContain('changes');

    const expectedNodes = [...first.nodes, ...second.nodes].map((n) =>
      n.id === moved.node.id ? moved.node : n,
    );
    expect(await store.getNodes(expectedNodes.map((n) => n.id))).toEqual(expectedNodes);
    expect(await store.getWorkflow('wf-old2')).toEqual(second.workflow);
    expect(await store.getHistory(moved.node.id)).toEqual([
      ...first.history.filter((e) => e.nodeId === moved.node.id),
      moved.entry,
    ]);
    expect((await store.getReverseEdges('wf-old1.align')).dependedOnBy).toEqual([
      'wf-old1.call',
      'wf-old1.report',
    ]);
    expect((await store.queryNodes({ tags: ['cluster'] }, { limit: 10 })).total).toBe(4);

    // The change feed starts with one change per existing node, oldest update first.
    const backfilled = await store.changesSince(0, 100);
    expect(backfilled.map((c) => c.nodeId)).toEqual(
      [...expectedNodes]
        .sort((a, b) => a.updatedAt - b.updatedAt || (a.id < b.id ? -1 : 1))
        .map((n) => n.id),
    );
    expect(backfilled.at(-1)).toMatchObject({ nodeId: moved.node.id, state: 'building' });

    // And the upgraded database takes new writes like a new one.
    const next = moveTo(moved.node, { kind: 'starting', jobName: 'j' }, FIXTURE_T0 + 200);
    await store.applyTransitions({ nodes: [next.node], history: [next.entry] });
    const after = await store.changesSince(backfilled.at(-1)?.cursor ?? 0, 10);
    expect(after.map((c) => [c.nodeId, c.state])).toEqual([[moved.node.id, 'starting']]);

    // New writes use the new schema beside the upgraded rows (004): a derived first history
    // entry, tag sets, a run of changes in one feed row read back one change per cursor.
    await expectNewWritesAfterUpgrade(store, {
      since: after.at(-1)?.cursor ?? 0,
      taggedClusterBefore: 4,
    });
    await store.migrate();
    expect(await store.changesSince(0, 100)).toHaveLength(backfilled.length + 1 + 20);
  });

  it('refuses a database made by a newer version, naming the file', async () => {
    const file = freshFile();
    const store = open(file);
    await store.migrate();
    await sql`insert into ${sql.table(MIGRATION_TABLE)} (name, timestamp) values ('999-from-the-future', '2030-01-01')`.execute(
      store.db,
    );
    const error = await store.migrate().catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toContain(file);
    expect((error as StoreError).message).toMatch(/newer version of Ketrew.*999-from-the-future/);
  });
});
