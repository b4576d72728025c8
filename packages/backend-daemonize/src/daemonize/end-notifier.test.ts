import { mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { EndNotifier } from './end-notifier.js';

let root: string;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'ketrew-notifier-test-'));
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

const until = async (check: () => boolean): Promise<void> => {
  for (let waited = 0; !check(); waited += 10) {
    if (waited > 10_000) throw new Error('timed out');
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
};
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('EndNotifier', () => {
  it('tells its listeners when a notify file appears, and lists it until consumed', async () => {
    const notifier = new EndNotifier({ directory: join(root, 'notify') });
    let hints = 0;
    const stop = notifier.watch(() => (hints += 1));
    const directory = await notifier.directory();
    expect(directory).toBe(join(root, 'notify'));
    expect(notifier.fileFor('ketrew-n1-a1')).toBe(join(root, 'notify', 'ketrew-n1-a1'));
    await writeFile(notifier.fileFor('ketrew-n1-a1') as string, '');
    await until(() => hints > 0);
    expect([...((await notifier.ended()) ?? [])]).toEqual(['ketrew-n1-a1']);
    const before = hints;
    await notifier.consume('ketrew-n1-a1');
    expect(await readdir(directory as string)).toEqual([]);
    expect([...((await notifier.ended()) ?? [])]).toEqual([]);
    await pause(100);
    expect(hints).toBe(before); // its own removal is no news
    stop();
    await notifier.close();
    expect((await stat(directory as string)).isDirectory()).toBe(true); // given: kept
  });

  it('lists the directory itself when nobody watches', async () => {
    const notifier = new EndNotifier();
    const directory = (await notifier.directory()) as string;
    expect(await notifier.ended()).toEqual(new Set());
    await writeFile(join(directory, 'ketrew-n2-a1'), '');
    expect(await notifier.ended()).toEqual(new Set(['ketrew-n2-a1']));
    await notifier.close();
    await expect(stat(directory)).rejects.toMatchObject({ code: 'ENOENT' }); // its own: removed
  });

  it('is unavailable, not failing, when its directory cannot be made', async () => {
    await writeFile(join(root, 'a-file'), '');
    const notifier = new EndNotifier({ directory: join(root, 'a-file', 'notify') });
    expect(await notifier.directory()).toBeNull();
    expect(notifier.fileFor('x')).toBeNull();
    expect(await notifier.ended()).toBeNull();
    await notifier.close();
  });
});
