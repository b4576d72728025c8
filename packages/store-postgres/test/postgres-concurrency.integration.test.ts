import { afterEach, describe, expect, it } from 'vitest';
import type { Change, EngineNode } from '@ketrew/engine';
import { allChanges, buildNodeSpec, buildWorkflow, insertFixture, moveTo } from '@ketrew/test-kit';
import { createPostgresStore } from '../src/index.js';
import type { PostgresStore } from '../src/index.js';
import { createTestDatabase, dropTestDatabase } from './test-databases.js';

const stores: PostgresStore[] = [];

afterEach(async () => {
  const database = stores[0]?.target.database;
  for (const store of stores.splice(0)) await store.close();
  if (database !== undefined) await dropTestDatabase(database);
});

/** Two stores (as two servers would have) on one new database. */
async function twoWriters() {
  const connectionString = await createTestDatabase();
  const a = createPostgresStore({ connectionString });
  const b = createPostgresStore({ connectionString });
  stores.push(a, b);
  await Promise.all([a.migrate(), b.migrate()]);
  return [a, b] as const;
}

function wide(id: string, count: number) {
  const nodes = Array.from({ length: count }, (_, i) =>
    buildNodeSpec({ id: `${id}.n${String(i).padStart(4, '0')}` }),
  );
  return buildWorkflow({ id, nodes });
}

/** Applies `rounds` transitions to each node, in batches of `size`, one batch at a time. */
async function drive(
  store: PostgresStore,
  nodes: readonly EngineNode[],
  rounds: number,
  size = 10,
) {
  let current = [...nodes];
  for (let round = 1; round <= rounds; round += 1) {
    const moves = current.map((node) =>
      moveTo(
        node,
        { kind: 'failed-to-start', reason: { kind: 'start-failed', message: `r${round}` } },
        1_000 + round,
        {
          successiveErrors: round,
        },
      ),
    );
    for (let i = 0; i < moves.length; i += size) {
      const batch = moves.slice(i, i + size);
      await store.applyTransitions({
        nodes: batch.map((m) => m.node),
        history: batch.map((m) => m.entry),
      });
    }
    current = moves.map((m) => m.node);
  }
}

/** Follows the change feed like a live UI until `stop()`, returning everything it saw. */
function follow(store: PostgresStore) {
  const seen: Change[] = [];
  let stopped = false;
  const done = (async () => {
    let cursor = 0;
    for (;;) {
      const finished = stopped;
      const page = await store.changesSince(cursor, 1000);
      seen.push(...page);
      cursor = page.at(-1)?.cursor ?? cursor;
      if (finished && page.length === 0) return seen;
    }
  })();
  return {
    stop: () => {
      stopped = true;
      return done;
    },
  };
}

describe('two PostgreSQL stores writing to one database at once', () => {
  it('both succeed on separate nodes, and nothing is lost', async () => {
    const [a, b] = await twoWriters();
    const fixture = wide('wf-two', 200);
    await insertFixture(a, fixture);
    const follower = follow(b);
    await Promise.all([
      drive(a, fixture.nodes.slice(0, 100), 5),
      drive(b, fixture.nodes.slice(100), 5),
    ]);
    const seen = await follower.stop();
    for (const node of [fixture.nodes[0], fixture.nodes[150]] as EngineNode[]) {
      expect(await a.getHistory(node.id)).toHaveLength(6);
      expect((await b.getNodes([node.id]))[0]?.successiveErrors).toBe(5);
    }
    expect((await a.countByStatus({})).failed).toBe(200);
    const feed = await allChanges(a);
    expect(feed).toHaveLength(200 + 200 * 5);
    // A reader following the feed during the writes saw every change, once, in cursor order.
    expect(seen).toEqual(feed);
  });

  it('both succeed on the same nodes in opposite orders, without deadlock or loss', async () => {
    const [a, b] = await twoWriters();
    const fixture = wide('wf-same', 60);
    await insertFixture(a, fixture);
    const follower = follow(a);
    await Promise.all([
      drive(a, fixture.nodes, 4, 20),
      drive(b, [...fixture.nodes].reverse(), 4, 20),
    ]);
    const seen = await follower.stop();
    for (const node of fixture.nodes) {
      const history = await b.getHistory(node.id);
      expect(history).toHaveLength(1 + 2 * 4);
    }
    const stored = await a.getNodes(fixture.nodes.map((n) => n.id));
    expect(
      stored.every((n) => n.successiveErrors === 4 && n.state.kind === 'failed-to-start'),
    ).toBe(true);
    expect(seen).toEqual(await allChanges(b));
    expect(seen).toHaveLength(60 + 60 * 8);
  });

  it('hands each queued command to exactly one of the two', async () => {
    const [a, b] = await twoWriters();
    const ids: number[] = [];
    for (let i = 0; i < 60; i += 1) {
      ids.push(await a.enqueueCommand({ kind: 'kill', ids: [`n${i}`], recursive: false }, i));
    }
    const take = async (store: PostgresStore) => {
      const taken: number[] = [];
      for (;;) {
        const page = await store.takeCommands(7);
        if (page.length === 0) return taken;
        taken.push(...page.map((c) => c.id));
      }
    };
    const [byA, byB] = await Promise.all([take(a), take(b)]);
    expect([...byA, ...byB].sort((x, y) => x - y)).toEqual(ids);
  });
});
