import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ConfigurationFileSchema } from '../src/configuration/configuration-schema.js';
import { runInProcess } from './cli-harness.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'ketrew-cli-init-'));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const env = () => ({ KETREW_ROOT: root });

describe('ketrew init', () => {
  it('writes a valid configuration, a hashed token, and prints the token once', async () => {
    const result = await runInProcess(['init', '--port', '9123'], { env: env() });
    expect(result.code).toBe(0);
    const token = /^\s{4}(\S+)$/m.exec(result.stdout)?.[1];
    expect(token).toMatch(/^\S{16,}$/);
    const file = JSON.parse(readFileSync(join(root, 'configuration.json'), 'utf8'));
    expect(ConfigurationFileSchema.safeParse(file).success).toBe(true);
    expect(file.profiles.default.client).toEqual({ url: 'http://127.0.0.1:9123', token });
    expect(statSync(join(root, 'configuration.json')).mode & 0o777).toBe(0o600);
    const tokens = readFileSync(join(root, 'tokens.json'), 'utf8');
    expect(tokens).not.toContain(token);
    expect(JSON.parse(tokens).tokens).toMatchObject([{ name: 'default', scopes: ['admin'] }]);
    expect(readFileSync(join(root, 'configuration.schema.json'), 'utf8')).toContain('"profiles"');
  });

  it('refuses to replace a profile without --force, and adds other profiles', async () => {
    await runInProcess(['init'], { env: env() });
    const again = await runInProcess(['init'], { env: env() });
    expect(again.code).toBe(1);
    expect(again.stderr).toContain('profile "default" already exists');
    const other = await runInProcess(
      ['init', '-P', 'remote', '--just-client', 'https://k.example:8443/gui?token=abc'],
      {
        env: env(),
      },
    );
    expect(other.code).toBe(0);
    const file = JSON.parse(readFileSync(join(root, 'configuration.json'), 'utf8'));
    expect(Object.keys(file.profiles)).toEqual(['default', 'remote']);
    expect(file.profiles.remote).toEqual({
      client: { url: 'https://k.example:8443', token: 'abc' },
    });
    const forced = await runInProcess(
      ['init', '--force', '--with-token', 'given-token-0123456789'],
      { env: env() },
    );
    expect(forced.code).toBe(0);
    expect(
      JSON.parse(readFileSync(join(root, 'configuration.json'), 'utf8')).profiles.default.client
        .token,
    ).toBe('given-token-0123456789');
  });

  it('lets print-configuration show the result, token hidden unless asked', async () => {
    await runInProcess(['init', '--with-token', 'abcdefgh-0123456789'], { env: env() });
    const client = await runInProcess(['pc'], { env: env() });
    expect(client.code).toBe(0);
    expect(client.stdout).toContain('url                 http://127.0.0.1:8756');
    expect(client.stdout).toContain('token               abcd…6789');
    expect(client.stdout).not.toContain('Server');
    const server = await runInProcess(['print-configuration', 'server', '--json'], { env: env() });
    const json = JSON.parse(server.stdout);
    expect(json.server.database).toBe(join(root, 'ketrew.db'));
    expect(json.server.engine.maximumSuccessiveAttempts).toBe(10);
    expect(json.client).toBeUndefined();
    const shown = await runInProcess(['pc', '--show-token', '--json'], { env: env() });
    expect(JSON.parse(shown.stdout).client.token).toBe('abcdefgh-0123456789');
  });

  it('fails with exit 6 and the key on an invalid configuration', async () => {
    writeFileSync(
      join(root, 'configuration.json'),
      JSON.stringify({ profiles: { default: { server: { listen: { port: -1 } } } } }),
    );
    const result = await runInProcess(['pc', 'server'], { env: env() });
    expect(result.code).toBe(6);
    expect(result.stderr.split('\n')[0]).toMatch(
      /configuration\.json: profiles\.default\.server\.listen\.port: /,
    );
  });

  it('manages tokens in the tokens file', async () => {
    await runInProcess(['init'], { env: env() });
    const created = await runInProcess(
      ['token', 'create', 'ci', '--scope', 'read', '--scope', 'submit'],
      { env: env() },
    );
    expect(created.code).toBe(0);
    expect(created.stdout.trim()).toMatch(/^\S{16,}$/);
    const list = await runInProcess(['token', 'list', '--json'], { env: env() });
    expect(
      JSON.parse(list.stdout).map((t: { name: string; scopes: string[] }) => [t.name, t.scopes]),
    ).toEqual([
      ['default', ['admin']],
      ['ci', ['read', 'submit']],
    ]);
    expect((await runInProcess(['token', 'revoke', 'ci'], { env: env() })).code).toBe(0);
    const gone = await runInProcess(['token', 'revoke', 'ci'], { env: env() });
    expect(gone.code).toBe(5);
    const duplicate = await runInProcess(['token', 'create', 'default'], { env: env() });
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain('already exists');
  });
});
