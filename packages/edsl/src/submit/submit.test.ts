import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { daemonize } from '../build-process/daemonize.js';
import { EdslError, SubmitError } from '../errors.js';
import { dependsOn } from '../node/workflow-edge.js';
import { workflowNode } from '../node/workflow-node.js';
import { withoutProduct } from '../product/without-product.js';
import { Program } from '../program/program.js';
import { toWorkflowSpec } from '../workflow/to-workflow-spec.js';
import { submit } from './submit.js';

interface Received {
  readonly method: string | undefined;
  readonly url: string | undefined;
  readonly headers: IncomingMessage['headers'];
  readonly body: unknown;
}

type Reply = (received: Received, response: ServerResponse) => void;

const servers: Server[] = [];

/** A stand-in for the Ketrew server on 127.0.0.1 (random port), answering with `reply`. */
async function stubServer(reply: Reply): Promise<{ url: string; received: Received[] }> {
  const received: Received[] = [];
  const server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      const entry = {
        method: request.method,
        url: request.url,
        headers: request.headers,
        body: text === '' ? null : (JSON.parse(text) as unknown),
      };
      received.push(entry);
      reply(entry, response);
    });
  });
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, received };
}

function json(response: ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { 'content-type': 'application/json' });
  response.end(JSON.stringify(body));
}

afterEach(async () => {
  await Promise.all(
    servers.splice(0).map((s) => new Promise<void>((resolve) => s.close(() => resolve()))),
  );
});

function workflow() {
  const first = workflowNode(withoutProduct(), {
    name: 'first',
    make: daemonize(Program.sh('echo 1')),
  });
  return workflowNode(withoutProduct(), { name: 'second', edges: [dependsOn(first)] });
}

async function submitError(promise: Promise<unknown>): Promise<SubmitError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(SubmitError);
    return error as SubmitError;
  }
  throw new Error('expected the submission to fail');
}

describe('submit', () => {
  it('posts the spec with the bearer token and returns the ids the server gave', async () => {
    const server = await stubServer((received, response) =>
      json(response, 201, {
        workflowId: 'wf-1',
        rootId: 'stored-1',
        nodeIds: ['stored-1', 'older-node'],
        merged: { 'abc-2': 'older-node' },
      }),
    );
    const root = workflow();
    const result = await submit(root, {
      url: `${server.url}/`,
      token: 's3cret',
      idPrefix: 'abc-',
      addTags: ['nightly'],
    });
    const expectedSpec = toWorkflowSpec(root, { idPrefix: 'abc-', addTags: ['nightly'] });
    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    expect(request).toMatchObject({ method: 'POST', url: '/api/v1/workflows', body: expectedSpec });
    expect(request?.headers['authorization']).toBe('Bearer s3cret');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(result).toEqual({
      workflowId: 'wf-1',
      rootId: 'stored-1',
      nodeIds: ['stored-1', 'older-node'],
      merged: { 'abc-2': 'older-node' },
      spec: expectedSpec,
    });
  });

  it('keeps the path of the base URL and sends no token when none is given', async () => {
    const server = await stubServer((_received, response) =>
      json(response, 201, { workflowId: 'wf', nodeIds: ['a', 'b'] }),
    );
    const result = await submit(workflow(), { url: `${server.url}/ketrew`, idPrefix: 'p' });
    expect(server.received[0]?.url).toBe('/ketrew/api/v1/workflows');
    expect(server.received[0]?.headers['authorization']).toBeUndefined();
    expect(result).toMatchObject({ rootId: 'a', merged: {} });
  });

  it('reports a refused token (401)', async () => {
    const server = await stubServer((_r, response) =>
      json(response, 401, { error: { code: 'unauthorized', message: 'unknown token' } }),
    );
    const error = await submitError(submit(workflow(), { url: server.url, token: 'wrong' }));
    expect(error.code).toBe('submit-unauthorized');
    expect(error.status).toBe(401);
    expect(error.serverError).toEqual({
      code: 'unauthorized',
      message: 'unknown token',
      details: null,
    });
    expect(error.message).toBe(
      `The server at ${server.url}/api/v1/workflows refused the token (401 unauthorized): unknown token`,
    );
  });

  it('says a token is needed when none was given (401)', async () => {
    const server = await stubServer((_r, response) => json(response, 401, {}));
    const error = await submitError(submit(workflow(), { url: server.url }));
    expect(error.code).toBe('submit-unauthorized');
    expect(error.message).toBe(`The server at ${server.url}/api/v1/workflows needs a token (401)`);
  });

  it('reports a refusal to submit (403: token without the scope, read-only server)', async () => {
    const server = await stubServer((_r, response) =>
      json(response, 403, { error: { code: 'read-only', message: 'the server is read-only' } }),
    );
    const error = await submitError(submit(workflow(), { url: server.url, token: 't' }));
    expect(error.code).toBe('submit-forbidden');
    expect(error.message).toMatch(
      /does not allow this submission \(403 read-only\): the server is read-only$/,
    );
  });

  it("reports a rejected workflow (400) with the server's {code, message, details}", async () => {
    const details = {
      errors: [{ pointer: '/nodes/1/make/backend', message: 'unknown backend "lsf"' }],
    };
    const server = await stubServer((_r, response) =>
      json(response, 400, {
        error: { code: 'unknown-backend', message: 'the workflow uses unknown backends', details },
      }),
    );
    const error = await submitError(submit(workflow(), { url: server.url, token: 't' }));
    expect(error.code).toBe('submit-rejected');
    expect(error.status).toBe(400);
    expect(error.serverError).toEqual({
      code: 'unknown-backend',
      message: 'the workflow uses unknown backends',
      details,
    });
    expect(error.message).toBe(
      `The server at ${server.url}/api/v1/workflows rejected the workflow (400 unknown-backend): the workflow uses unknown backends\n` +
        '  /nodes/1/make/backend: unknown backend "lsf"',
    );
  });

  it('reports a server failure (500) even without a JSON body', async () => {
    const server = await stubServer((_r, response) => {
      response.writeHead(500);
      response.end('oops');
    });
    const error = await submitError(submit(workflow(), { url: server.url }));
    expect(error.code).toBe('submit-server-error');
    expect(error.serverError).toBeNull();
    expect(error.message).toBe(
      `The server at ${server.url}/api/v1/workflows could not take the workflow (500)`,
    );
  });

  it('reports an answer without ids', async () => {
    const server = await stubServer((_r, response) => json(response, 201, { ok: true }));
    const error = await submitError(submit(workflow(), { url: server.url }));
    expect(error.code).toBe('submit-bad-response');
    expect(error.message).toMatch(/answered 201 without \{workflowId, nodeIds\}: \{"ok":true\}/);
  });

  it('names the URL when nothing listens there', async () => {
    const server = await stubServer(() => undefined);
    const closed = servers.pop()!;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await submitError(submit(workflow(), { url: server.url }));
    expect(error.code).toBe('submit-unreachable');
    expect(error.status).toBeNull();
    expect(error.url).toBe(`${server.url}/api/v1/workflows`);
    expect(error.message).toBe(
      `Cannot reach the Ketrew server at ${server.url}/api/v1/workflows: connection refused (ECONNREFUSED)`,
    );
  });

  it('throws the reason of an abort as is', async () => {
    const server = await stubServer(() => undefined);
    const controller = new AbortController();
    const reason = new Error('user gave up');
    const submission = submit(workflow(), { url: server.url, signal: controller.signal });
    await new Promise((resolve) => setTimeout(resolve, 50));
    controller.abort(reason);
    await expect(submission).rejects.toBe(reason);
  });

  it('rejects URLs that are not http(s)', async () => {
    await expect(submit(workflow(), { url: 'not a url' })).rejects.toThrow(EdslError);
    await expect(submit(workflow(), { url: 'ftp://host' })).rejects.toThrow(
      /must be http:\/\/ or https:\/\//,
    );
  });
});
