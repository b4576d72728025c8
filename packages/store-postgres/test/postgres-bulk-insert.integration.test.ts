import { afterEach, describe, expect, it } from 'vitest';
import { buildNodeSpec, buildWorkflow } from '@ketrew/test-kit';
import { createPostgresStore } from '../src/index.js';
import type { PostgresStore } from '../src/index.js';
import { createTestDatabase, dropTestDatabase } from './test-databases.js';

const stores: PostgresStore[] = [];

afterEach(async () => {
  const database = stores[0]?.target.database;
  for (const store of stores.splice(0)) await store.close();
  if (database !== undefined) await dropTestDatabase(database);
});

async function openStore(): Promise<PostgresStore> {
  const store = createPostgresStore({ connectionString: await createTestDatabase() });
  stores.push(store);
  await store.migrate();
  return store;
}

describe('PostgreSQL bulk inserts (one parameter per column)', () => {
  it('keeps values holding newlines, quotes or the null marker, and single rows of nulls', async () => {
    const store = await openStore();
    const names = ['two\nlines', '\u0001', 'plain', 'back\\slash "quoted"'];
    const many = buildWorkflow({
      id: 'wf-odd',
      nodes: names.map((name, i) => buildNodeSpec({ id: `wf-odd.n${i}`, name, tags: [name] })),
    });
    const single = buildWorkflow({
      id: 'wf-one',
      nodes: [buildNodeSpec({ id: 'wf-one.n0', name: 'alone', tags: [] })],
    });
    for (const fixture of [many, single]) {
      await store.insertWorkflow(fixture.workflow, fixture.nodes, fixture.history);
      expect(await store.getNodes(fixture.nodes.map((n) => n.id))).toEqual(fixture.nodes);
      for (const node of fixture.nodes) {
        expect(await store.getHistory(node.id)).toEqual(
          fixture.history.filter((e) => e.nodeId === node.id),
        );
      }
    }
    expect((await store.queryNodes({ tags: ['two\nlines'] }, { limit: 10 })).nodes).toHaveLength(1);
    expect((await store.queryNodes({ nameContains: 'LINES' }, { limit: 10 })).total).toBe(1);
  });
});
