import { SCOPES } from '@ketrew/server';
import { describe, expect, it } from 'vitest';
import { createParser } from '../run-cli.js';

describe('token create --scope', () => {
  it('offers exactly the scopes the server knows', async () => {
    const help = await new Promise<string>((resolve) => {
      void createParser(() => undefined).parseAsync(
        ['token', 'create', '--help'],
        {},
        (_e, _a, output) => resolve(output),
      );
    });
    const choices = /\[choices: ([^\]]+)\]/.exec(help.replace(/\s+/g, ' '))?.[1];
    expect(choices?.split(', ').map((c) => c.replace(/"/g, ''))).toEqual([...SCOPES]);
  });
});
