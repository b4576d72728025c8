import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CliError } from '../errors.js';
import { HttpApiClient } from './http-api-client.js';

let server: Server;
let url: string;
const seen: { method: string; url: string; authorization: string | undefined; body: string }[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      seen.push({
        method: req.method ?? '',
        url: req.url ?? '',
        authorization: req.headers.authorization,
        body,
      });
      const reply = (status: number, value: unknown): void => {
        res.writeHead(status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(value));
      };
      const error = (status: number, code: string, message: string): void =>
        reply(status, { error: { code, message, details: {} } });
      if (req.url === '/api/v1/status' && req.headers.authorization === 'Bearer good-token') {
        reply(200, { version: '9.9.9' });
      } else if (req.url === '/api/v1/status') error(401, 'unauthorized', 'unknown token');
      else if (req.url?.startsWith('/api/v1/nodes/missing'))
        error(404, 'not-found', 'no node "missing"');
      else if (req.url === '/api/v1/workflows')
        error(400, 'invalid-workflow', '/nodes/0/id: required');
      else if (req.url === '/api/v1/nodes/kill')
        error(403, 'forbidden', 'the token lacks the operate scope');
      else if (req.url?.startsWith('/api/v1/nodes?'))
        reply(200, { nodes: [], next: null, total: 0 });
      else if (req.url?.startsWith('/api/v1/nodes/busy'))
        error(503, 'store-error', 'database busy, retry');
      else error(500, 'internal-error', 'boom');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
});

function client(token: string | null): HttpApiClient {
  return new HttpApiClient({ url, token, timeoutMs: 5000 });
}

async function failure(promise: Promise<unknown>): Promise<CliError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof CliError) return error;
    throw error;
  }
  throw new Error('expected a failure');
}

describe('HttpApiClient', () => {
  it('sends the bearer token and parses JSON', async () => {
    expect(await client('good-token').status()).toEqual({ version: '9.9.9' });
    expect(seen.at(-1)).toMatchObject({ method: 'GET', authorization: 'Bearer good-token' });
  });

  it('encodes node queries as query parameters', async () => {
    await client('t').listNodes({
      filter: '(tags "a b")',
      status: ['failed', 'successful'],
      limit: 5,
    });
    const sent = new URL(seen.at(-1)?.url ?? '', url);
    expect(sent.pathname).toBe('/api/v1/nodes');
    expect(Object.fromEntries(sent.searchParams)).toEqual({
      filter: '(tags "a b")',
      status: 'failed,successful',
      limit: '5',
    });
  });

  it('posts kill requests and maps 403 to an authentication error', async () => {
    const error = await failure(client('t').kill(['a'], { recursive: true }));
    expect(JSON.parse(seen.at(-1)?.body ?? '')).toEqual({ ids: ['a'], recursive: true });
    expect(error.kind).toBe('authentication');
    expect(error.message).toBe('not allowed: the token lacks the operate scope');
  });

  it("turns error responses into CLI errors carrying the server's message", async () => {
    const unauthorized = await failure(client('bad').status());
    expect([unauthorized.kind, unauthorized.exitCode]).toEqual(['authentication', 4]);
    expect(unauthorized.message).toBe('the server refused the token: unknown token');
    const missing = await failure(client('t').node('missing'));
    expect([missing.kind, missing.message]).toEqual(['notFound', 'no node "missing"']);
    const invalid = await failure(client('t').submit({ version: 1, root: 'x', nodes: [] }));
    expect([invalid.kind, invalid.exitCode]).toEqual(['invalidWorkflow', 7]);
    expect(invalid.message).toBe('the server rejected the workflow: /nodes/0/id: required');
    const internal = await failure(client('t').queries('n'));
    expect([internal.kind, internal.message]).toEqual(['failure', 'server error: boom']);
    const busy = await failure(client('t').node('busy'));
    expect([busy.kind, busy.message]).toEqual(['failure', 'database busy, retry']);
  });

  it('reports an unreachable server with exit code 3', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const error = await failure(
      new HttpApiClient({ url: `http://127.0.0.1:${port}`, token: null, timeoutMs: 5000 }).status(),
    );
    expect(error.exitCode).toBe(3);
    expect(error.message).toBe(
      `cannot reach the server at http://127.0.0.1:${port}: connection refused`,
    );
  });
});
