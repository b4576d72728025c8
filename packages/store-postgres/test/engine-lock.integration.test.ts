import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { ClosedError, StoreError } from '@ketrew/engine';
import { createPostgresStore } from '../src/index.js';
import type { PostgresStore, PostgresStoreOptions } from '../src/index.js';
import { admin, createTestDatabase, dropTestDatabase } from './test-databases.js';

const stores: PostgresStore[] = [];
const databases: string[] = [];

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const name of databases.splice(0)) await dropTestDatabase(name);
});

async function twoServers(options: Partial<PostgresStoreOptions> = {}) {
  const connectionString = await createTestDatabase();
  const open = (applicationName: string) => {
    const store = createPostgresStore({ connectionString, applicationName, ...options });
    stores.push(store);
    return store;
  };
  const first = open('ketrew@host-a:101');
  const second = open('ketrew@host-b:202');
  databases.push(first.target.database);
  await first.migrate();
  return { first, second };
}

async function until(condition: () => boolean | Promise<boolean>, what: string) {
  for (let i = 0; i < 200; i += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('the engine lock', () => {
  it('goes to one server; the other is refused and told who holds it', async () => {
    const { first, second } = await twoServers();
    expect(await first.engineLockHolder()).toBeNull();
    expect(await first.tryAcquireEngineLock()).toBe(true);
    expect(await first.tryAcquireEngineLock()).toBe(true);
    expect(await second.tryAcquireEngineLock()).toBe(false);
    expect(first.holdsEngineLock).toBe(true);
    expect(second.holdsEngineLock).toBe(false);
    const holder = await second.engineLockHolder();
    expect(holder).toMatchObject({
      applicationName: 'ketrew@host-a:101',
      clientAddress: '127.0.0.1',
    });
    expect(holder?.message).toContain('"ketrew@host-a:101"');
    expect(holder?.message).toContain(`PostgreSQL database "${first.target.database}"`);
    expect(holder?.message).toMatch(/serves the API, queues kill and restart/);
    // The refused server still serves everything else.
    expect(await second.countByStatus({})).toEqual({
      activable: 0,
      'in-progress': 0,
      successful: 0,
      failed: 0,
    });
  });

  it('is released by releaseEngineLock and by close', async () => {
    const { first, second } = await twoServers();
    expect(await first.tryAcquireEngineLock()).toBe(true);
    await first.releaseEngineLock();
    await first.releaseEngineLock();
    expect(first.holdsEngineLock).toBe(false);
    expect(await second.tryAcquireEngineLock()).toBe(true);
    expect(await first.tryAcquireEngineLock()).toBe(false);
    await second.close();
    expect(await first.tryAcquireEngineLock()).toBe(true);
    await expect(second.tryAcquireEngineLock()).rejects.toBeInstanceOf(ClosedError);
  });

  it('is released when the holder’s connection dies, and the holder is told', async () => {
    const lost: StoreError[] = [];
    const { first, second } = await twoServers({
      onEngineLockLost: (error) => lost.push(error),
      engineLockHeartbeatMs: 100,
    });
    expect(await first.tryAcquireEngineLock()).toBe(true);
    const holder = await second.engineLockHolder();
    // As if the holder's machine vanished: PostgreSQL ends its connection.
    await admin((client) => client.query('select pg_terminate_backend($1)', [holder?.pid]));
    await until(() => lost.length > 0, 'the holder to notice');
    expect(lost[0]).toBeInstanceOf(StoreError);
    expect(lost[0]?.message).toMatch(/lost the engine lock/);
    expect(first.holdsEngineLock).toBe(false);
    await until(() => second.tryAcquireEngineLock(), 'the lock to be free');
    expect((await first.engineLockHolder())?.applicationName).toBe('ketrew@host-b:202');
    // The first server keeps working as an API server.
    expect(await first.tryAcquireEngineLock()).toBe(false);
    expect(await first.changesSince(0, 10)).toEqual([]);
  });

  it('is released when the holding process is killed (kill -9)', async () => {
    const { first } = await twoServers();
    const { host, port, database } = first.target;
    const holder = spawn(
      process.execPath,
      ['--import', 'tsx', '--conditions=@ketrew/source', '--input-type=module', '-e', HOLDER],
      {
        cwd: path.dirname(fileURLToPath(import.meta.url)),
        env: { ...process.env, DATABASE_URL: `postgresql://postgres@${host}:${port}/${database}` },
        stdio: ['ignore', 'pipe', 'inherit'],
      },
    );
    const exited = new Promise((resolve) => holder.once('exit', resolve));
    try {
      await new Promise<void>((resolve, reject) => {
        holder.stdout.on('data', (data: Buffer) => {
          if (data.toString().includes('locked')) resolve();
        });
        holder.once('exit', (code) => reject(new Error(`the holder exited (${code})`)));
      });
      expect(await first.tryAcquireEngineLock()).toBe(false);
      expect((await first.engineLockHolder())?.applicationName).toBe('ketrew@killed-holder');
    } finally {
      holder.kill('SIGKILL');
      await exited;
    }
    await until(() => first.tryAcquireEngineLock(), 'the lock to be free');
  });
});

/** A process that takes the engine lock, says so, and waits to be killed. */
const HOLDER = `
  import { createPostgresStore } from '../src/index.ts';
  const store = createPostgresStore({
    connectionString: process.env.DATABASE_URL,
    applicationName: 'ketrew@killed-holder',
  });
  if (!(await store.tryAcquireEngineLock())) process.exit(3);
  process.stdout.write('locked\\n');
  setInterval(() => {}, 1000);
`;
