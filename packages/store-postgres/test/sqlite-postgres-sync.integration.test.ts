import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyStore } from '@ketrew/engine';
import type { EngineNode, Store } from '@ketrew/engine';
import { createSqliteStore } from '@ketrew/store-sqlite';
import {
  FIXTURE_T0,
  allChanges,
  applyMoves,
  buildNodeSpec,
  buildWorkflow,
  contentsOf,
  insertFixture,
  moveTo,
  pipelineWorkflow,
} from '@ketrew/test-kit';
import { createPostgresStore } from '../src/index.js';
import { createTestDatabase, dropTestDatabase } from './test-databases.js';

const cleanups: (() => Promise<void>)[] = [];

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

async function sqliteStore(): Promise<Store> {
  const directory = mkdtempSync(path.join(tmpdir(), 'ketrew-sync-'));
  const store = createSqliteStore({ path: path.join(directory, 'ketrew.db') });
  cleanups.push(async () => {
    await store.close();
    rmSync(directory, { recursive: true, force: true });
  });
  await store.migrate();
  return store;
}

async function postgresStore(): Promise<Store> {
  const store = createPostgresStore({ connectionString: await createTestDatabase() });
  cleanups.push(async () => {
    await store.close();
    await dropTestDatabase(store.target.database);
  });
  await store.migrate();
  return store;
}

/** A pipeline partly run (two attempts of history) and a workflow of 1,500 nodes. */
async function seed(store: Store): Promise<number> {
  const pipeline = pipelineWorkflow('wf-sync');
  await insertFixture(store, pipeline);
  const align = pipeline.nodes[1] as EngineNode;
  const failed = moveTo(
    align,
    { kind: 'failed-running', reason: { kind: 'timeout', seconds: 5 }, nextAttemptAt: 9 },
    FIXTURE_T0 + 1,
  );
  const retried = moveTo(
    failed.node,
    { kind: 'active', by: { kind: 'retry', previousAttempt: 1 } },
    FIXTURE_T0 + 2,
    { attempt: 2 },
  );
  await applyMoves(store, [failed]);
  await applyMoves(store, [retried]);
  const wide = buildWorkflow({
    id: 'wf-wide',
    time: FIXTURE_T0 + 10,
    nodes: Array.from({ length: 1500 }, (_, i) =>
      buildNodeSpec({
        id: `wf-wide.n${i}`,
        tags: [`t${i % 4}`],
        dependsOn: i > 0 ? [`wf-wide.n${i - 1}`] : [],
      }),
    ),
  });
  await insertFixture(store, wide);
  // workflows + nodes + history entries
  return 2 + (5 + 1500) + (5 + 2 + 1500);
}

describe('sync between SQLite and PostgreSQL (copyStore)', () => {
  it('copies SQLite → PostgreSQL → SQLite, twice, duplicating nothing', async () => {
    const sqlite = await sqliteStore();
    const records = await seed(sqlite);
    const postgres = await postgresStore();
    const back = await sqliteStore();

    expect(await copyStore(sqlite, postgres)).toEqual({ imported: records, skipped: 0 });
    expect(await copyStore(postgres, back)).toEqual({ imported: records, skipped: 0 });
    const expected = await contentsOf(sqlite);
    expect(await contentsOf(postgres)).toEqual(expected);
    expect(await contentsOf(back)).toEqual(expected);
    const feeds = [(await allChanges(postgres)).length, (await allChanges(back)).length];

    // Second round, in every direction: everything is already there.
    expect(await copyStore(sqlite, postgres)).toEqual({ imported: 0, skipped: records });
    expect(await copyStore(postgres, back)).toEqual({ imported: 0, skipped: records });
    expect(await copyStore(back, postgres)).toEqual({ imported: 0, skipped: records });
    expect(await copyStore(postgres, sqlite)).toEqual({ imported: 0, skipped: records });
    expect(await contentsOf(postgres)).toEqual(expected);
    expect(await contentsOf(back)).toEqual(expected);
    expect(await contentsOf(sqlite)).toEqual(expected);
    expect([(await allChanges(postgres)).length, (await allChanges(back)).length]).toEqual(feeds);
    expect((await postgres.queryNodes({ tags: ['t1'] }, { limit: 1 })).total).toBe(375);
    expect((await back.getReverseEdges('wf-wide.n41')).dependedOnBy).toEqual(['wf-wide.n42']);
  });

  it('copies only what is new when one side gained a workflow', async () => {
    const sqlite = await sqliteStore();
    await seed(sqlite);
    const postgres = await postgresStore();
    await copyStore(sqlite, postgres);
    await insertFixture(postgres, pipelineWorkflow('wf-new', FIXTURE_T0 + 99));
    expect(await copyStore(postgres, sqlite)).toMatchObject({ imported: 1 + 5 + 5 });
    expect(await contentsOf(sqlite)).toEqual(await contentsOf(postgres));
  });
});
