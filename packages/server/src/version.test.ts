import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { SERVER_VERSION } from './version.js';

describe('SERVER_VERSION', () => {
  it('is the version of package.json', async () => {
    const manifest = JSON.parse(
      await readFile(new URL('../package.json', import.meta.url), 'utf8'),
    ) as { version: string };
    expect(SERVER_VERSION).toBe(manifest.version);
  });
});
