import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../memory/memory-store.js';
import { backupToDirectory, restoreFromDirectory } from './backup-directory.js';
import { BackupFormatError } from './backup-format-error.js';
import { exported, moveNode, seededStore } from './sync-test-fixtures.js';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'ketrew-backup-dir-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

describe('backupToDirectory and restoreFromDirectory', () => {
  it('writes one file per workflow and node, and restores them idempotently', async () => {
    const store = await seededStore();
    expect(await backupToDirectory(store, directory)).toEqual({ records: 12 });
    expect((await readdir(directory)).sort()).toEqual([
      'history',
      'ketrew-backup.json',
      'nodes',
      'workflows',
    ]);
    expect((await readdir(join(directory, 'workflows'))).sort()).toEqual([
      'wf-a.json',
      'wf-b.json',
    ]);
    expect((await readdir(join(directory, 'nodes'))).sort()).toEqual([
      'wf-a.leaf.json',
      'wf-a.root.json',
      'wf-b.leaf.json',
      'wf-b.root.json',
    ]);
    const leafHistory = await readFile(join(directory, 'history', 'wf-a.leaf.jsonl'), 'utf8');
    expect(leafHistory.trim().split('\n')).toHaveLength(3);

    const target = await MemoryStore.create();
    expect(await restoreFromDirectory(directory, target)).toEqual({ imported: 12, skipped: 0 });
    expect(await exported(target)).toEqual(await exported(store));
    expect(await restoreFromDirectory(directory, target)).toEqual({ imported: 0, skipped: 12 });
  });

  it('rewrites the files when run again, without duplicating history', async () => {
    const store = await seededStore();
    await backupToDirectory(store, directory);
    await moveNode(store, 'wf-b.leaf', { kind: 'building' }, 3_000);
    expect(await backupToDirectory(store, directory)).toEqual({ records: 13 });
    const target = await MemoryStore.create();
    await restoreFromDirectory(directory, target);
    expect(await exported(target)).toEqual(await exported(store));
  });

  it('refuses a directory without a header, and a malformed history line, importing nothing', async () => {
    const target = await MemoryStore.create();
    await expect(restoreFromDirectory(directory, target)).rejects.toBeInstanceOf(BackupFormatError);
    await backupToDirectory(await seededStore(), directory);
    const path = join(directory, 'history', 'wf-b.root.jsonl');
    await writeFile(path, `${await readFile(path, 'utf8')}not json\n`);
    const error = await restoreFromDirectory(directory, target).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackupFormatError);
    expect((error as Error).message).toContain(`${path}:2: not JSON`);
    expect(await exported(target)).toEqual([]);
  });
});
