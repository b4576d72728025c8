import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Engine, type ExportRecord, type Store } from '@ketrew/engine';
import { createSqliteStore } from '@ketrew/store-sqlite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSyncEnd } from '../src/commands/sync-command.js';
import { runInProcess } from './cli-harness.js';

let directory: string;
let original: string;

async function records(store: Store): Promise<ExportRecord[]> {
  const all: ExportRecord[] = [];
  for await (const record of store.exportAll()) all.push(record);
  return all;
}

function sorted(list: readonly ExportRecord[]): string[] {
  return list.map((record) => JSON.stringify(record)).sort();
}

async function recordsOf(path: string): Promise<ExportRecord[]> {
  const store = createSqliteStore({ path });
  await store.migrate();
  try {
    return await records(store);
  } finally {
    await store.close();
  }
}

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'ketrew-cli-sync-'));
  original = join(directory, 'original.db');
  const store = createSqliteStore({ path: original });
  const engine = new Engine({ store, backends: [] });
  await engine.start();
  await engine.submit({
    version: 1,
    root: 'sync-root',
    nodes: [
      { id: 'sync-root', name: 'root', active: true, dependsOn: ['sync-leaf'] },
      { id: 'sync-leaf', name: 'leaf' },
    ],
  });
  for (let i = 0; i < 200; i++) {
    const [root] = await store.getNodes(['sync-root']);
    if (root?.state.kind === 'finished') break;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await engine.stop();
  await store.close();
}, 60_000);

afterAll(() => {
  rmSync(directory, { recursive: true, force: true });
});

describe('ketrew sync', () => {
  it('copies a SQLite database to a backup file, a new database, a directory and back', async () => {
    const expected = await recordsOf(original);
    expect(expected.filter((r) => r.type === 'node')).toHaveLength(2);
    const run = (from: string, to: string) =>
      runInProcess(['sync', '--from', from, '--to', to, '--json'], { cwd: directory });

    const toFile = await run('original.db', 'backup.jsonl');
    expect(toFile.code).toBe(0);
    expect(JSON.parse(toFile.stdout)).toMatchObject({ imported: expected.length });
    expect(existsSync(join(directory, 'backup.jsonl'))).toBe(true);

    expect((await run('backup.jsonl', 'copy.db')).code).toBe(0);
    expect((await run('copy.db', 'backup.d/')).code).toBe(0);
    expect((await run('backup.d/', 'sqlite:third.sqlite')).code).toBe(0);
    const third = await recordsOf(join(directory, 'third.sqlite'));
    // Same records (the order of history entries with equal times may differ).
    expect(sorted(third)).toEqual(sorted(expected));

    const again = await run('original.db', 'third.sqlite');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ imported: 0, skipped: expected.length });
  });

  it('refuses a missing backup and the same place twice', async () => {
    const missing = await runInProcess(['sync', '--from', 'nope.jsonl', '--to', 'x.db'], {
      cwd: directory,
    });
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('does not exist');
    const same = await runInProcess(['sync', '--from', 'a.db', '--to', 'sqlite:a.db'], {
      cwd: directory,
    });
    expect(same.code).toBe(2);
    expect(same.stderr).toContain('the same place');
  });

  it('tells backups, directories and databases apart', () => {
    expect(parseSyncEnd('postgresql://k@h/db', '/w')).toEqual({
      kind: 'postgresql',
      connectionString: 'postgresql://k@h/db',
    });
    expect(parseSyncEnd('k.db', '/w')).toEqual({ kind: 'sqlite', path: '/w/k.db' });
    expect(parseSyncEnd('b.jsonl', '/w')).toEqual({ kind: 'backup-file', path: '/w/b.jsonl' });
    expect(parseSyncEnd('d/', '/w')).toEqual({ kind: 'backup-directory', path: '/w/d' });
    expect(parseSyncEnd(directory, '/w')).toEqual({ kind: 'backup-directory', path: directory });
  });
});
