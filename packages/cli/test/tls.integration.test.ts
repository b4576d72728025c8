import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KetrewSandbox } from './e2e-harness.js';

const sandbox = new KetrewSandbox();

beforeAll(async () => {
  await sandbox.initOnFreePort(['--self-signed-tls']);
  const start = await sandbox.run(['start-server', '--daemonize']);
  if (start.code !== 0) throw new Error(start.stderr);
}, 180_000);

afterAll(async () => {
  await sandbox.run(['stop-server', '--force']);
  sandbox.remove();
}, 120_000);

describe('https with a self-signed certificate', { timeout: 120_000 }, () => {
  it('is trusted by the client part init wrote', async () => {
    const status = await sandbox.run(['status']);
    expect(status.stderr).toBe('');
    expect(status.code).toBe(0);
    const pc = await sandbox.json<{ client: { url: string; certificate: string } }>(['pc']);
    expect(pc.client.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(readFileSync(pc.client.certificate, 'utf8')).toContain('BEGIN CERTIFICATE');
  });

  it('is refused (exit 3) by a client that does not trust it', async () => {
    const file = join(sandbox.directory, 'untrusting.json');
    const configuration = JSON.parse(
      readFileSync(join(sandbox.root, 'configuration.json'), 'utf8'),
    );
    delete configuration.profiles.default.client.certificate;
    writeFileSync(file, JSON.stringify(configuration));
    const status = await sandbox.run(['status', '-C', file]);
    expect(status.code).toBe(3);
    expect(status.stderr).toContain('self-signed certificate not trusted');
  });
});
