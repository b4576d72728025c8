import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ServerError } from '../errors.js';
import { createToken, listTokens, revokeToken } from './token-admin.js';
import { createTokenFileAuthenticator } from './token-file-authenticator.js';
import { readTokensFile } from './tokens-file.js';

let directory: string;
let path: string;

beforeEach(async () => {
  directory = await mkdtemp(join(tmpdir(), 'ketrew-tokens-'));
  path = join(directory, 'nested', 'tokens.json');
});

afterEach(async () => {
  await rm(directory, { recursive: true, force: true });
});

async function codeOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof ServerError) return error.code;
    throw error;
  }
  throw new Error('expected a ServerError');
}

describe('tokens file administration', () => {
  it('creates a token, shows it once, and stores only its salted hash (mode 0600)', async () => {
    const { token, info } = await createToken(path, {
      name: 'laptop',
      comment: 'my laptop',
      now: Date.parse('2026-01-02T03:04:05Z'),
    });
    expect(token).toMatch(/^ktr_/);
    expect(info).toEqual({
      name: 'laptop',
      scopes: ['read', 'submit', 'operate'],
      createdAt: '2026-01-02T03:04:05.000Z',
      comment: 'my laptop',
    });
    const text = await readFile(path, 'utf8');
    expect(text).not.toContain(token);
    expect(JSON.parse(text)).toMatchObject({
      version: 1,
      tokens: [{ name: 'laptop', hash: expect.stringMatching(/^sha256\$/) }],
    });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
  });

  it('lists tokens without their hashes, and revokes by name', async () => {
    await createToken(path, { name: 'a', scopes: ['read'] });
    await createToken(path, { name: 'b', scopes: ['admin'] });
    expect((await listTokens(path)).map((t) => [t.name, t.scopes])).toEqual([
      ['a', ['read']],
      ['b', ['admin']],
    ]);
    expect(JSON.stringify(await listTokens(path))).not.toContain('sha256');
    expect(await revokeToken(path, 'a')).toBe(true);
    expect(await revokeToken(path, 'a')).toBe(false);
    expect((await listTokens(path)).map((t) => t.name)).toEqual(['b']);
  });

  it('lists no tokens when the file does not exist', async () => {
    expect(await listTokens(path)).toEqual([]);
    expect(await revokeToken(path, 'x')).toBe(false);
  });

  it('accepts a given token (init --with-token) and refuses short ones', async () => {
    const { token } = await createToken(path, { name: 'given', token: 'a-long-enough-secret' });
    expect(token).toBe('a-long-enough-secret');
    expect(await codeOf(createToken(path, { name: 'short', token: 'tiny' }))).toBe('invalid-token');
  });

  it('refuses a taken name, a bad name and unknown scopes', async () => {
    await createToken(path, { name: 'dup' });
    expect(await codeOf(createToken(path, { name: 'dup' }))).toBe('token-exists');
    expect(await codeOf(createToken(path, { name: 'has space' }))).toBe('invalid-token');
    expect(await codeOf(createToken(path, { name: 'x', scopes: [] }))).toBe('invalid-token');
    expect(await codeOf(createToken(path, { name: 'x', scopes: ['root' as 'admin'] }))).toBe(
      'invalid-token',
    );
  });

  it('reports a broken file with its path and field', async () => {
    await createToken(path, { name: 'ok' });
    const file = JSON.parse(await readFile(path, 'utf8')) as { tokens: { scopes: string[] }[] };
    (file.tokens[0] as { scopes: string[] }).scopes = ['superuser'];
    await writeFile(path, JSON.stringify(file));
    await expect(readTokensFile(path)).rejects.toThrow(`${path}: tokens.0.scopes.0`);
    await writeFile(path, '{not json');
    await expect(readTokensFile(path)).rejects.toThrow('is not valid JSON');
  });
});

describe('createTokenFileAuthenticator', () => {
  it('knows the tokens of the file and notices creations and revocations', async () => {
    const { token: first } = await createToken(path, { name: 'first', scopes: ['read'] });
    const auth = await createTokenFileAuthenticator(path, { recheckIntervalMs: 0 });
    expect(await auth.authenticate(first)).toEqual({ name: 'first', scopes: ['read'] });
    expect(await auth.authenticate('ktr_unknown')).toBeNull();

    const { token: second } = await createToken(path, { name: 'second', scopes: ['operate'] });
    expect(await auth.authenticate(second)).toEqual({ name: 'second', scopes: ['operate'] });

    await revokeToken(path, 'first');
    expect(await auth.authenticate(first)).toBeNull();
  });

  it('fails at start on a broken file, and later keeps the last good tokens', async () => {
    await writeFile(join(directory, 'bad.json'), '{"version": 2, "tokens": []}');
    await expect(createTokenFileAuthenticator(join(directory, 'bad.json'))).rejects.toThrow(
      'version',
    );
    const { token } = await createToken(path, { name: 'keep' });
    const auth = await createTokenFileAuthenticator(path, { recheckIntervalMs: 0 });
    await writeFile(path, '{half-written');
    expect(await auth.authenticate(token)).toEqual({
      name: 'keep',
      scopes: ['read', 'submit', 'operate'],
    });
  });

  it('checks the file at most once per interval', async () => {
    let now = 0;
    const auth = await createTokenFileAuthenticator(path, {
      recheckIntervalMs: 1000,
      now: () => now,
    });
    const { token } = await createToken(path, { name: 'later' });
    now = 999;
    expect(await auth.authenticate(token)).toBeNull();
    now = 1000;
    expect(await auth.authenticate(token)).not.toBeNull();
  });
});
