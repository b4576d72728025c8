import { readdir, readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';

// The monitored script is shared by the SSH, Slurm, LSF and PBS backends: text in, text out.
describe('the monitored-script folder', () => {
  it('imports no Node built-in (no process, no file access)', async () => {
    const folder = new URL('.', import.meta.url);
    const sources = (await readdir(folder)).filter(
      (f) => f.endsWith('.ts') && !f.endsWith('.test.ts'),
    );
    expect(sources.length).toBeGreaterThan(5);
    for (const file of sources) {
      const text = await readFile(new URL(file, folder), 'utf8');
      const imports = [...text.matchAll(/from '([^']+)'/g)].map((m) => m[1]);
      for (const source of imports) {
        expect(source, `${file} imports ${source}`).toMatch(/^(\.\/|@ketrew\/edsl$)/);
      }
    }
  });
});
