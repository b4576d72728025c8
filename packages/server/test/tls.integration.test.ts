import { readFile, mkdtemp, rm, stat } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore } from '@ketrew/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createMemoryAuthenticator } from '../src/auth/memory-authenticator.js';
import { createServer } from '../src/create-server.js';
import { ensureSelfSignedCertificate } from '../src/listen/self-signed-certificate.js';
import type { TlsConfig } from '../src/server-config.js';

const TOKEN = 'tls-test-token-0123456789';
let directory: string;

beforeAll(async () => {
  directory = await mkdtemp(join(tmpdir(), 'ketrew-tls-'));
});

afterAll(async () => {
  await rm(directory, { recursive: true, force: true });
});

/** GET over HTTPS trusting exactly `ca` (or nothing but the system's when undefined). */
function get(
  url: string,
  ca: string | undefined,
  token?: string,
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ca, headers: token === undefined ? {} : { authorization: `Bearer ${token}` } },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () => resolve({ status: response.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

async function serve(tls: TlsConfig) {
  return createServer({
    store: await MemoryStore.create(),
    auth: createMemoryAuthenticator([{ name: 'admin', token: TOKEN, scopes: ['admin'] }]),
    config: { port: 0, tls },
  }).listen();
}

describe('TLS', () => {
  it('generates a self-signed certificate once, with a private key, and reuses it', async () => {
    const first = await ensureSelfSignedCertificate(join(directory, 'root'));
    const key = await stat(first.key);
    expect(key.mode & 0o777).toBe(0o600);
    expect(await readFile(first.certificate, 'utf8')).toContain('BEGIN CERTIFICATE');
    const again = await ensureSelfSignedCertificate(join(directory, 'root'));
    expect(again).toEqual(first);
    expect((await stat(again.key)).mtimeMs).toBe(key.mtimeMs);
  });

  it('serves HTTPS with a self-signed certificate that verifies for 127.0.0.1', async () => {
    const running = await serve({ kind: 'self-signed', directory: join(directory, 'self') });
    try {
      expect(running.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
      const ca = await readFile(join(directory, 'self', 'self-signed-cert.pem'), 'utf8');
      const hello = await get(`${running.url}/hello`, ca);
      expect(hello.status).toBe(200);
      expect(JSON.parse(hello.body)).toMatchObject({ ok: true });
      const status = await get(`${running.url}/api/v1/status`, ca, TOKEN);
      expect(JSON.parse(status.body)).toMatchObject({ you: { name: 'admin' } });
      await expect(get(`${running.url}/hello`, undefined)).rejects.toThrow(/self.signed/i);
    } finally {
      await running.close();
    }
  });

  it('serves HTTPS with given certificate and key files', async () => {
    const files = await ensureSelfSignedCertificate(join(directory, 'given'));
    const running = await serve({ kind: 'files', certificate: files.certificate, key: files.key });
    try {
      const ca = await readFile(files.certificate, 'utf8');
      expect((await get(`${running.url}/hello`, ca)).status).toBe(200);
    } finally {
      await running.close();
    }
  });

  it('fails to listen when a certificate file is missing', async () => {
    await expect(
      serve({
        kind: 'files',
        certificate: join(directory, 'none.pem'),
        key: join(directory, 'none.key'),
      }),
    ).rejects.toThrow(/ENOENT/);
  });
});
