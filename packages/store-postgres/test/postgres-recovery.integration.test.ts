import { execFile } from 'node:child_process';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '@ketrew/engine';
import type { EngineNode } from '@ketrew/engine';
import { insertFixture, moveTo, pipelineWorkflow } from '@ketrew/test-kit';
import { createPostgresStore } from '../src/index.js';
import type { PostgresStore, PostgresStoreOptions } from '../src/index.js';
import {
  admin,
  cluster,
  createTestDatabase,
  dropTestDatabase,
  restartCluster,
} from './test-databases.js';

const run = promisify(execFile);
const stores: PostgresStore[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) {
    await store.close();
    await dropTestDatabase(store.target.database).catch(() => undefined);
  }
});

async function openStore(options: Partial<PostgresStoreOptions> = {}) {
  const store = createPostgresStore({ connectionString: await createTestDatabase(), ...options });
  stores.push(store);
  await store.migrate();
  return store;
}

async function clusterCommand(which: 'stop' | 'start') {
  const [file, ...args] = cluster().commands[which] as [string, ...string[]];
  await run(file, args);
}

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}

describe('PostgreSQL failures', () => {
  it('carries on after PostgreSQL restarts between two calls', async () => {
    const store = await openStore();
    const fixture = pipelineWorkflow('wf-restart');
    await insertFixture(store, fixture);
    // Hold a few pooled connections open so the restart kills them.
    await Promise.all(Array.from({ length: 4 }, () => store.countByStatus({})));
    await restartCluster();
    expect((await store.queryNodes({}, { limit: 10 })).total).toBe(5);
    const move = moveTo(fixture.nodes[0] as EngineNode, { kind: 'building' }, 9);
    await store.applyTransitions({ nodes: [move.node], history: [move.entry] });
    expect(await store.getNodes([move.node.id])).toEqual([move.node]);
  });

  it('retries a call made while PostgreSQL is down until it is back', async () => {
    const store = await openStore({ retry: { attempts: 30, initialDelayMs: 50, maxDelayMs: 500 } });
    await insertFixture(store, pipelineWorkflow('wf-down'));
    const impatient = createPostgresStore({
      connectionString: `postgresql://postgres@127.0.0.1:${cluster().port}/${store.target.database}`,
      retry: { attempts: 1 },
    });
    stores.push(impatient);
    await clusterCommand('stop');
    try {
      const patient = store.queryNodes({}, { limit: 10 });
      const failure = await impatient.countByStatus({}).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(StoreError);
      expect((failure as StoreError).retryable).toBe(true);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
      await clusterCommand('start');
      expect((await patient).total).toBe(5);
    } finally {
      await clusterCommand('start').catch(() => undefined);
    }
  });

  it('retries after its connections are terminated mid-run', async () => {
    const store = await openStore();
    const fixture = pipelineWorkflow('wf-kill');
    await insertFixture(store, fixture);
    await Promise.all(Array.from({ length: 4 }, () => store.countByStatus({})));
    await admin((client) =>
      client.query(
        `select pg_terminate_backend(pid) from pg_stat_activity
          where datname = $1 and pid <> pg_backend_pid()`,
        [store.target.database],
      ),
    );
    const moves = fixture.nodes.map((node) => moveTo(node, { kind: 'building' }, 9));
    await store.applyTransitions({
      nodes: moves.map((m) => m.node),
      history: moves.map((m) => m.entry),
    });
    expect((await store.queryNodes({ states: ['building'] }, { limit: 10 })).total).toBe(5);
  });

  it('names host, port and database when PostgreSQL is down at start', async () => {
    const port = await freePort();
    const store = createPostgresStore({
      connectionString: `postgresql://ketrew:secret@127.0.0.1:${port}/ketrew_prod`,
      retry: { attempts: 3, initialDelayMs: 10 },
    });
    const error = await store.migrate().catch((caught: unknown) => caught);
    await store.close();
    expect(error).toBeInstanceOf(StoreError);
    const message = (error as StoreError).message;
    expect(message).toContain(`PostgreSQL database "ketrew_prod" at 127.0.0.1:${port}`);
    expect(message).toMatch(/ECONNREFUSED/);
    expect(message).toMatch(/3 attempts/);
    expect(message).toMatch(/is PostgreSQL running/);
    expect(message).not.toContain('secret');
    expect((error as StoreError).retryable).toBe(true);
  });

  it('says so, without retrying, when the database does not exist', async () => {
    const store = createPostgresStore({
      connectionString: `postgresql://postgres@127.0.0.1:${cluster().port}/no_such_database`,
    });
    const error = await store.migrate().catch((caught: unknown) => caught);
    await store.close();
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toMatch(
      /PostgreSQL database "no_such_database" at 127\.0\.0\.1:\d+: migrate failed: database "no_such_database" does not exist/,
    );
    expect((error as StoreError).retryable).toBe(false);
    expect((error as StoreError).details['attempts']).toBe(1);
  });
});
