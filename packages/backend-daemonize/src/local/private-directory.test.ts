import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makePrivateDirectory, removePrivateDirectory } from './private-directory.js';

describe('makePrivateDirectory', () => {
  it('makes a fresh directory of mode 0700, in memory when /dev/shm exists', async () => {
    const first = await makePrivateDirectory('ketrew-private-test-');
    const second = await makePrivateDirectory('ketrew-private-test-');
    try {
      expect(first).not.toBe(second);
      expect(statSync(first).isDirectory()).toBe(true);
      expect(statSync(first).mode & 0o777).toBe(0o700);
      if (existsSync('/dev/shm'))
        expect(first.startsWith('/dev/shm/ketrew-private-test-')).toBe(true);
    } finally {
      await removePrivateDirectory(first);
      await removePrivateDirectory(second);
    }
  });

  it('removes the directory with its content', async () => {
    const directory = await makePrivateDirectory('ketrew-private-test-');
    await writeFile(join(directory, 'file'), 'x');
    await removePrivateDirectory(directory);
    expect(existsSync(directory)).toBe(false);
  });
});
