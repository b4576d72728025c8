import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreError } from '@ketrew/engine';
import type { EngineNode } from '@ketrew/engine';
import {
  buildNodeSpec,
  buildWorkflow,
  insertFixture,
  moveTo,
  pipelineWorkflow,
} from '@ketrew/test-kit';
import { createSqliteStore } from '../src/index.js';
import type { SqliteStore } from '../src/index.js';

const directories: string[] = [];
const stores: SqliteStore[] = [];

function freshDirectory(): string {
  const directory = mkdtempSync(path.join(tmpdir(), 'ketrew-sqlite-'));
  directories.push(directory);
  return directory;
}

async function openStore(file = path.join(freshDirectory(), 'ketrew.db'), busyTimeoutMs?: number) {
  const store = createSqliteStore({ path: file, busyTimeoutMs });
  stores.push(store);
  await store.migrate();
  return store;
}

function wideWorkflow(id: string, count: number) {
  const nodes = Array.from({ length: count }, (_, i) =>
    buildNodeSpec({ id: `${id}.n${String(i).padStart(5, '0')}`, tags: [`t${i % 3}`] }),
  );
  return buildWorkflow({ id, nodes });
}

function openError(file: string): StoreError {
  try {
    createSqliteStore({ path: file });
  } catch (error) {
    if (error instanceof StoreError) return error;
    throw error;
  }
  throw new Error(`expected opening ${file} to fail`);
}

afterEach(async () => {
  for (const store of stores.splice(0)) await store.close();
  for (const directory of directories.splice(0))
    rmSync(directory, { recursive: true, force: true });
});

describe('createSqliteStore', () => {
  it('opens the file in WAL mode with foreign keys, synchronous=NORMAL and a busy timeout', async () => {
    const store = await openStore();
    const pragma = async (name: string) =>
      Object.values((await sql.raw(`pragma ${name}`).execute(store.db)).rows[0] as object)[0];
    expect(await pragma('journal_mode')).toBe('wal');
    expect(await pragma('foreign_keys')).toBe(1);
    expect(await pragma('synchronous')).toBe(1);
    expect(await pragma('busy_timeout')).toBe(5000);
  });

  it('keeps what it wrote across a close and a reopen', async () => {
    const file = path.join(freshDirectory(), 'ketrew.db');
    const fixture = pipelineWorkflow('wf-keep');
    const first = await openStore(file);
    await insertFixture(first, fixture);
    await first.close();
    const second = await openStore(file);
    expect(await second.getNodes(fixture.nodes.map((n) => n.id))).toEqual(fixture.nodes);
    expect(await second.getWorkflow('wf-keep')).toEqual(fixture.workflow);
  });

  it('refuses to open a file this process already has open, naming it', async () => {
    const store = await openStore();
    const error = openError(store.path);
    expect(error.message).toContain(store.path);
    expect(error.message).toMatch(/already open in this process/);
    await store.close();
    await openStore(store.path);
  });

  it('names the file when its directory does not exist', () => {
    const file = path.join(freshDirectory(), 'missing', 'ketrew.db');
    const error = openError(file);
    expect(error.message).toContain(file);
    expect(error.retryable).toBe(false);
  });

  it('names the file when its directory is a regular file', () => {
    const notADirectory = path.join(freshDirectory(), 'plain-file');
    writeFileSync(notADirectory, 'just text');
    const file = path.join(notADirectory, 'ketrew.db');
    expect(openError(file).message).toContain(file);
  });

  it('names the file when the directory cannot hold files (/proc)', () => {
    const file = '/proc/ketrew-test.db';
    expect(openError(file).message).toContain(`cannot open SQLite database ${file}`);
  });

  it('names the file and says it is not a database when it holds garbage', () => {
    const file = path.join(freshDirectory(), 'garbage.db');
    writeFileSync(file, Buffer.alloc(8192, 'this is not an SQLite file '));
    const error = openError(file);
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/not a database|not an SQLite database/);
  });

  it('names the file when its pages are damaged after it was written', async () => {
    const file = path.join(freshDirectory(), 'damaged.db');
    const store = await openStore(file);
    await insertFixture(store, wideWorkflow('wf-d', 500));
    await store.close();
    // Fold the WAL into the file, then overwrite everything after the header page.
    const raw = new Database(file);
    raw.pragma('wal_checkpoint(TRUNCATE)');
    raw.close();
    const damaged = Buffer.alloc(64 * 1024, 0xa5);
    const { openSync, writeSync, closeSync } = await import('node:fs');
    const fd = openSync(file, 'r+');
    writeSync(fd, damaged, 0, damaged.length, 4096);
    closeSync(fd);
    let error: unknown;
    try {
      const reopened = createSqliteStore({ path: file });
      stores.push(reopened);
      await reopened.migrate();
      await reopened.queryNodes({}, { limit: 10 });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toContain(file);
    expect((error as StoreError).message).toMatch(/malformed|corrupt|not a database/);
  });
});

describe('SQLite transactions', () => {
  it('writes nothing of an insert that fails half-way, and stays usable', async () => {
    const store = await openStore();
    // A trigger from another connection makes the change feed, written last, fail: by then the
    // workflow, all nodes, tags and edges were written in the transaction.
    const other = new Database(store.path);
    other.exec(`create trigger fail_half_way before insert on changes
      begin select raise(abort, 'injected failure'); end`);
    const fixture = wideWorkflow('wf-h', 3000);
    const failure = await store
      .insertWorkflow(fixture.workflow, fixture.nodes, fixture.history)
      .then(
        () => undefined,
        (error: unknown) => error,
      );
    expect(failure).toBeInstanceOf(StoreError);
    expect((failure as StoreError).message).toContain(store.path);
    expect((failure as StoreError).message).toContain('injected failure');
    for (const table of [
      'workflows',
      'nodes',
      'tag_sets',
      'tag_set_members',
      'node_edges',
      'node_history',
      'changes',
    ]) {
      expect(other.prepare(`select count(*) as n from ${table}`).get(), table).toEqual({ n: 0 });
    }
    other.exec('drop trigger fail_half_way');
    other.close();
    await store.insertWorkflow(fixture.workflow, fixture.nodes, fixture.history);
    expect((await store.queryNodes({}, { limit: 1 })).total).toBe(3000);
  });

  it('applies nothing of a batch whose history names an unknown node, naming the file', async () => {
    const store = await openStore();
    const fixture = pipelineWorkflow('wf-b');
    await insertFixture(store, fixture);
    const node = fixture.nodes[1] as EngineNode;
    const move = moveTo(node, { kind: 'building' }, 5);
    const error = await store
      .applyTransitions({
        nodes: [move.node],
        history: [move.entry, { ...move.entry, nodeId: 'ghost' }],
      })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).message).toContain(store.path);
    expect(await store.getNodes([node.id])).toEqual([node]);
    await store.applyTransitions({ nodes: [move.node], history: [move.entry] });
    expect(await store.getNodes([node.id])).toEqual([move.node]);
  });

  it('fails with a retryable error naming the file when another process holds the lock', async () => {
    const store = await openStore(undefined, 200);
    const fixture = pipelineWorkflow('wf-busy');
    await insertFixture(store, fixture);
    const other = new Database(store.path);
    other.exec('begin immediate');
    const move = moveTo(fixture.nodes[0] as EngineNode, { kind: 'building' }, 5);
    const error = await store
      .applyTransitions({ nodes: [move.node], history: [move.entry] })
      .catch((caught: unknown) => caught);
    other.exec('rollback');
    other.close();
    expect(error).toBeInstanceOf(StoreError);
    expect((error as StoreError).retryable).toBe(true);
    expect((error as StoreError).message).toContain(store.path);
    await store.applyTransitions({ nodes: [move.node], history: [move.entry] });
  });

  it('waits for another process writing at the same time: both succeed, nothing lost', async () => {
    const store = await openStore();
    const fixture = wideWorkflow('wf-cc', 200);
    await insertFixture(store, fixture);
    // Another process enqueues 300 commands, one transaction each, while this one applies 200.
    const script = `
      const Database = require('better-sqlite3');
      const db = new Database(process.argv[1], { timeout: 10000 });
      db.pragma('journal_mode = WAL');
      const insert = db.prepare('insert into command_queue (command, queued_at) values (?, ?)');
      for (let i = 0; i < 300; i++) {
        db.exec('begin immediate');
        insert.run(JSON.stringify({ kind: 'kill', ids: ['n' + i], recursive: false }), i);
        db.exec('commit');
      }
      db.close();`;
    const child = spawn(process.execPath, ['-e', script, store.path], {
      cwd: path.dirname(new URL(import.meta.url).pathname),
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    for (const node of fixture.nodes) {
      const move = moveTo(node, { kind: 'building' }, 7);
      await store.applyTransitions({ nodes: [move.node], history: [move.entry] });
    }
    expect(await exited).toBe(0);
    expect((await store.queryNodes({ states: ['building'] }, { limit: 1 })).total).toBe(200);
    expect(await store.takeCommands(1000)).toHaveLength(300);
    expect((await store.changesSince(0, 1000)).length).toBe(400);
  });
});
