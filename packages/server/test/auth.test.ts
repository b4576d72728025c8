import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryStore } from '@ketrew/engine';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema } from '../src/api/response-schemas.js';
import { createToken, revokeToken } from '../src/auth/token-admin.js';
import { createTokenFileAuthenticator } from '../src/auth/token-file-authenticator.js';
import { createServer } from '../src/create-server.js';
import { fakeWorkflow, startTestServer, type TestServer } from './support/test-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  await server.api('/api/v1/workflows', { body: fakeWorkflow('n', [{ id: 'n' }]) });
});

afterAll(async () => {
  await server.close();
});

const READ_ROUTES = [
  '/api/v1/status',
  '/api/v1/nodes',
  '/api/v1/counts',
  '/api/v1/nodes/n',
  '/api/v1/notifications',
  '/api/v1/openapi.json',
];

describe('authentication', () => {
  it.each(READ_ROUTES)('%s needs a token: 401 without one', async (path) => {
    const response = await server.api(path, { token: null });
    expect(response.status).toBe(401);
    expect(ErrorBodySchema.parse(response.body).error.code).toBe('unauthorized');
    expect(response.body.error.message).toContain('missing token');
    expect(response.headers.get('www-authenticate')).toMatch(/^Bearer/);
  });

  it('401 for an unknown token, and for a malformed Authorization header', async () => {
    const unknown = await server.api('/api/v1/status', { token: 'ktr_not-a-real-token' });
    expect(unknown.status).toBe(401);
    expect(unknown.body.error.message).toBe('unknown token');
    const malformed = await server.api('/api/v1/status', {
      token: null,
      headers: { authorization: `Basic ${server.tokens.admin}` },
    });
    expect(malformed.status).toBe(401);
    expect(malformed.body.error.message).toContain('Bearer <token>');
  });

  it('401 on POST routes too, before looking at the body', async () => {
    const response = await server.api('/api/v1/workflows', { token: null, body: 'not json' });
    expect(response.status).toBe(401);
  });

  it('accepts ?token= (dashboard URLs, EventSource)', async () => {
    const response = await fetch(`${server.url}/api/v1/status?token=${server.tokens.reader}`);
    expect(response.status).toBe(200);
    expect(((await response.json()) as { you: { name: string } }).you.name).toBe('reader');
    const listed = await fetch(`${server.url}/api/v1/nodes?token=${server.tokens.reader}&limit=1`);
    expect(listed.status).toBe(200);
  });

  it('needs no token for /hello, / and /gui', async () => {
    const hello = await fetch(`${server.url}/hello`);
    expect(await hello.json()).toEqual({ ok: true, name: 'ketrew', version: expect.any(String) });
    for (const path of ['/', '/gui']) {
      const page = await fetch(`${server.url}${path}`);
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toContain('text/html');
      expect(await page.text()).toContain('web dashboard will be served here');
    }
  });
});

describe('scopes', () => {
  it.each(['reader', 'submitter', 'operator', 'admin'] as const)('%s may read', async (role) => {
    for (const path of READ_ROUTES) {
      expect((await server.api(path, { token: server.tokens[role] })).status).toBe(200);
    }
  });

  it.each([
    ['reader', 403],
    ['operator', 403],
    ['submitter', 201],
    ['admin', 201],
  ] as const)('%s submitting → %i', async (role, status) => {
    const id = `sub-${role}`;
    const response = await server.api('/api/v1/workflows', {
      token: server.tokens[role],
      body: fakeWorkflow(id, [{ id }]),
    });
    expect(response.status).toBe(status);
    if (status === 403) {
      expect(response.body.error).toMatchObject({
        code: 'forbidden',
        details: { required: 'submit' },
      });
      expect(response.body.error.message).toContain(`token "${role}" lacks the "submit" scope`);
      expect((await server.api(`/api/v1/nodes/${id}`)).status).toBe(404);
    }
  });

  it.each([
    ['reader', 403],
    ['submitter', 403],
    ['operator', 200],
    ['admin', 200],
  ] as const)('%s killing → %i', async (role, status) => {
    const response = await server.api('/api/v1/nodes/kill', {
      token: server.tokens[role],
      body: { ids: ['n'] },
    });
    expect(response.status).toBe(status);
    const restart = await server.api('/api/v1/nodes/restart', {
      token: server.tokens[role],
      body: { ids: ['n'] },
    });
    expect(restart.status).toBe(status);
  });
});

describe('read-only mode', () => {
  it('refuses submit, kill and restart to every token, and still serves reads', async () => {
    const readOnly = await startTestServer({ config: { readOnly: true } });
    try {
      const submit = await readOnly.api('/api/v1/workflows', {
        body: fakeWorkflow('r', [{ id: 'r' }]),
      });
      expect(submit.status).toBe(403);
      expect(submit.body.error.code).toBe('read-only');
      for (const path of ['/api/v1/nodes/kill', '/api/v1/nodes/restart']) {
        const response = await readOnly.api(path, { body: { ids: ['r'] } });
        expect(response.status).toBe(403);
        expect(response.body.error.message).toContain('read-only');
      }
      expect((await readOnly.api('/api/v1/counts')).body.total).toBe(0);
      expect((await readOnly.api('/api/v1/status')).body.readOnly).toBe(true);
    } finally {
      await readOnly.close();
    }
  });
});

describe('the tokens file', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'ketrew-auth-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('authenticates with tokens from the file, and a revoked token stops working', async () => {
    const path = join(directory, 'tokens.json');
    const { token } = await createToken(path, { name: 'ci', scopes: ['read'] });
    const store = await MemoryStore.create();
    const auth = await createTokenFileAuthenticator(path, { recheckIntervalMs: 0 });
    const running = await createServer({ store, auth, config: { port: 0 } }).listen();
    try {
      const ok = await fetch(`${running.url}/api/v1/status`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(ok.status).toBe(200);
      await revokeToken(path, 'ci');
      const revoked = await fetch(`${running.url}/api/v1/status`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(revoked.status).toBe(401);
    } finally {
      await running.close();
    }
  });
});
