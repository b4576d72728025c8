import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MemoryStore } from '../memory/memory-store.js';
import { backupToFile, restoreFromFile } from './backup-file.js';
import { BackupFormatError } from './backup-format-error.js';
import { exported, insertSyncWorkflow, seededStore } from './sync-test-fixtures.js';

let directory: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'ketrew-backup-'));
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function lines(path: string): Promise<string[]> {
  return (await readFile(path, 'utf8')).split('\n').filter((line) => line !== '');
}

describe('backupToFile and restoreFromFile', () => {
  it('writes a header then one export record per line, and restores them', async () => {
    const store = await seededStore();
    const path = join(directory, 'ketrew.jsonl');
    expect(await backupToFile(store, path)).toEqual({ records: 12 });
    const written = await lines(path);
    expect(written).toHaveLength(13);
    expect(JSON.parse(written[0] ?? '')).toMatchObject({ format: 'ketrew-backup', version: 1 });
    expect(written.slice(1).map((line) => JSON.parse(line))).toEqual(await exported(store));
    expect(await readdir(directory)).toEqual(['ketrew.jsonl']);

    const target = await MemoryStore.create();
    expect(await restoreFromFile(path, target)).toEqual({ imported: 12, skipped: 0 });
    expect(await exported(target)).toEqual(await exported(store));
    expect(await restoreFromFile(path, target)).toEqual({ imported: 0, skipped: 12 });
    expect(await exported(target)).toEqual(await exported(store));
  });

  it('replaces an older backup at the same path', async () => {
    const store = await seededStore();
    const path = join(directory, 'ketrew.jsonl');
    await backupToFile(store, path);
    await insertSyncWorkflow(store, 'wf-later', 5_000);
    expect(await backupToFile(store, path)).toEqual({ records: 17 });
    expect(await lines(path)).toHaveLength(18);
  });

  it('backs up an empty store as a header alone', async () => {
    const path = join(directory, 'empty.jsonl');
    await backupToFile(await MemoryStore.create(), path);
    const target = await MemoryStore.create();
    expect(await restoreFromFile(path, target)).toEqual({ imported: 0, skipped: 0 });
  });

  const malformed: readonly (readonly [string, (lines: string[]) => string[], RegExp])[] = [
    [
      'a line that is not JSON',
      (l) => [...l.slice(0, 3), '{"type":"node",', ...l.slice(3)],
      /:4: not JSON/,
    ],
    [
      'an unknown record type',
      (l) => [...l.slice(0, 2), '{"type":"target"}', ...l.slice(2)],
      /:3: unknown record type "target"/,
    ],
    [
      'a node without its state',
      (l) => l.map((line, i) => (i === 4 ? line.replace('"state":', '"status":') : line)),
      /:5: "node.state" must be a state/,
    ],
    ['a missing header', (l) => l.slice(1), /:1: not a Ketrew backup/],
    [
      'another version',
      (l) => [l[0]?.replace('"version":1', '"version":2') ?? '', ...l.slice(1)],
      /:1: unsupported backup version 2/,
    ],
    ['an empty file', () => [], /empty file/],
  ];
  for (const [what, corrupt, message] of malformed) {
    it(`refuses ${what}, naming the line, and imports nothing`, async () => {
      const path = join(directory, 'bad.jsonl');
      await backupToFile(await seededStore(), path);
      await writeFile(path, corrupt(await lines(path)).join('\n'));
      const target = await MemoryStore.create();
      const error = await restoreFromFile(path, target).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BackupFormatError);
      expect((error as Error).message).toMatch(message);
      expect((error as Error).message).toContain(path);
      expect(await exported(target)).toEqual([]);
    });
  }

  it('leaves nothing behind when the store fails during the backup', async () => {
    const store = await seededStore();
    const path = join(directory, 'ketrew.jsonl');
    await store.close();
    await expect(backupToFile(store, path)).rejects.toThrow(/closed/);
    expect(await readdir(directory)).toEqual([]);
  });

  it('fails on a file that does not exist', async () => {
    await expect(
      restoreFromFile(join(directory, 'missing.jsonl'), await MemoryStore.create()),
    ).rejects.toThrow(/ENOENT/);
  });
});
