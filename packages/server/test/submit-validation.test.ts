import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ErrorBodySchema } from '../src/api/response-schemas.js';
import { fakeWorkflow, startTestServer, type TestServer } from './support/test-server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ config: { maxBodyBytes: 64 * 1024 } });
});

afterAll(async () => {
  await server.close();
});

async function storedNodes(): Promise<number> {
  return (await server.api('/api/v1/counts')).body.total as number;
}

async function refused(body: unknown): Promise<{ code: string; message: string; errors: unknown }> {
  const before = await storedNodes();
  const response = await server.api('/api/v1/workflows', { body });
  expect(response.status).toBe(400);
  const { error } = ErrorBodySchema.parse(response.body);
  expect(await storedNodes()).toBe(before);
  return { code: error.code, message: error.message, errors: error.details['errors'] };
}

describe('POST /api/v1/workflows validation (all or nothing)', () => {
  it('answers 400 invalid-json for a body that is not JSON', async () => {
    const response = await server.api('/api/v1/workflows', { body: '{"version": 1,' });
    expect(response.status).toBe(400);
    expect(response.body.error.code).toBe('invalid-json');
  });

  it('lists every problem of a malformed workflow by JSON pointer, storing nothing', async () => {
    const result = await refused({
      version: 1,
      root: 'a',
      nodes: [
        { id: 'a', name: 'a', active: true, make: { backend: 'fake' } },
        { id: 'b', name: '', tags: [3] },
        { id: 'c', name: 'c', surprise: true },
      ],
    });
    expect(result.code).toBe('invalid-workflow');
    expect(result.errors).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ pointer: '/nodes/1/name' }),
        expect.objectContaining({ pointer: '/nodes/1/tags/0' }),
        { pointer: '/nodes/2/surprise', message: 'unknown field "surprise"' },
      ]),
    );
    expect(result.message).toContain('/nodes/1/name');
  });

  it('refuses a wrong version, an empty workflow and a missing root', async () => {
    expect(
      (await refused({ version: 2, root: 'a', nodes: [{ id: 'a', name: 'a' }] })).errors,
    ).toEqual([expect.objectContaining({ pointer: '/version' })]);
    expect((await refused({ version: 1, root: 'a', nodes: [] })).errors).toEqual([
      expect.objectContaining({ pointer: '/nodes' }),
      expect.objectContaining({ pointer: '/root' }),
    ]);
    expect((await refused(fakeWorkflow('ghost', [{ id: 'a' }]))).errors).toEqual([
      expect.objectContaining({ pointer: '/root' }),
    ]);
  });

  it('refuses edges to unknown nodes and dependency cycles', async () => {
    const dangling = await refused(fakeWorkflow('a', [{ id: 'a', dependsOn: ['nowhere'] }]));
    expect(dangling.errors).toEqual([expect.objectContaining({ pointer: '/nodes/0/dependsOn/0' })]);
    const cycle = await refused(
      fakeWorkflow('a', [
        { id: 'a', dependsOn: ['b'] },
        { id: 'b', dependsOn: ['a'] },
      ]),
    );
    expect(JSON.stringify(cycle.errors)).toContain('cycle');
  });

  it('answers 400 unknown-backend naming the node and the field', async () => {
    const result = await refused(
      fakeWorkflow('a', [
        { id: 'a', dependsOn: ['b'] },
        { id: 'b', make: { backend: 'slurn' } },
      ]),
    );
    expect(result.code).toBe('unknown-backend');
    expect(result.errors).toEqual([
      {
        pointer: '/nodes/1/make/backend',
        message: expect.stringMatching(/unknown backend "slurn" \(node "b"\).*fake/),
      },
    ]);
  });

  it('answers 413 payload-too-large beyond maxBodyBytes, storing nothing', async () => {
    const before = await storedNodes();
    const big = fakeWorkflow('a', [{ id: 'a', metadata: 'x'.repeat(100 * 1024) }]);
    const response = await server.api('/api/v1/workflows', { body: big });
    expect(response.status).toBe(413);
    expect(response.body.error.code).toBe('payload-too-large');
    expect(await storedNodes()).toBe(before);
  });

  it('then accepts the corrected workflow', async () => {
    const response = await server.api('/api/v1/workflows', {
      body: fakeWorkflow('a', [{ id: 'a', dependsOn: ['b'] }, { id: 'b' }]),
    });
    expect(response.status).toBe(201);
    expect(await storedNodes()).toBe(2);
  });

  it('answers 400 invalid-request naming the field of a bad kill body', async () => {
    const response = await server.api('/api/v1/nodes/kill', {
      body: { ids: 'a', recursive: 'yes' },
    });
    expect(response.status).toBe(400);
    const issues = response.body.error.details.issues as { field: string }[];
    expect(issues.map((i) => i.field).sort()).toEqual(['ids', 'recursive']);
    const extra = await server.api('/api/v1/nodes/kill', { body: { ids: ['a'], force: true } });
    expect(extra.status).toBe(400);
    expect(extra.body.error.message).toContain('force');
  });
});

describe('errors', () => {
  it('answers unknown routes with a JSON 404', async () => {
    const response = await server.api('/api/v1/nope');
    expect(response.status).toBe(404);
    expect(response.body.error).toMatchObject({
      code: 'not-found',
      message: 'no route GET /api/v1/nope',
    });
  });
});
