import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  CommandResponseSchema,
  LogsResponseSchema,
  NodeDetailResponseSchema,
  NotificationsResponseSchema,
  QueriesResponseSchema,
  QueryResultResponseSchema,
  StatusResponseSchema,
  SubmitResponseSchema,
} from '../src/api/response-schemas.js';
import {
  eventually,
  fakeWorkflow,
  startTestServer,
  type TestServer,
} from './support/test-server.js';

let server: TestServer;

beforeEach(async () => {
  server = await startTestServer({
    script: (ctx) =>
      ctx.node.tags.includes('slow')
        ? { duration: 600_000 }
        : ctx.node.tags.includes('fails')
          ? {
              duration: 10,
              outcome: { failed: { kind: 'non-zero-exit', code: 1 } },
              stdout: 'boom\n',
            }
          : { duration: 10, stdout: `hello from ${ctx.nodeId}\n` },
  });
});

afterEach(async () => {
  await server.close();
});

async function stateOf(id: string): Promise<string> {
  const { body } = await server.api(`/api/v1/nodes/${id}`);
  return body.node.state.kind as string;
}

async function finished(id: string): Promise<{ outcome: string; from: string }> {
  return eventually(async () => {
    const { body } = await server.api(`/api/v1/nodes/${id}`);
    return body.node.state.kind === 'finished' ? body.node.state : undefined;
  }, `node ${id} to finish`);
}

describe('with the engine', () => {
  it('submits a workflow, runs it, and shows nodes, history and edges both ways', async () => {
    const submitted = await server.api('/api/v1/workflows', {
      body: fakeWorkflow('report', [
        { id: 'report', dependsOn: ['align'], tags: ['t1'] },
        { id: 'align', tags: ['t1', 't2'] },
      ]),
    });
    expect(submitted.status).toBe(201);
    const result = SubmitResponseSchema.parse(submitted.body);
    expect(result.rootId).toBe('report');
    expect([...result.nodeIds].sort()).toEqual(['align', 'report']);

    expect(await finished('report')).toMatchObject({ outcome: 'successful' });
    const detail = await server.api('/api/v1/nodes/align');
    expect(detail.status).toBe(200);
    const parsed = NodeDetailResponseSchema.parse(detail.body);
    expect(parsed.node.simpleStatus).toBe('successful');
    expect(parsed.node.workflowId).toBe(result.workflowId);
    expect(parsed.edges.dependedOnBy).toEqual(['report']);
    expect(parsed.edges.dependsOn).toEqual([]);
    expect(parsed.history.map((h) => h.state.kind)).toEqual(
      expect.arrayContaining(['passive', 'running', 'finished']),
    );
    const root = NodeDetailResponseSchema.parse((await server.api('/api/v1/nodes/report')).body);
    expect(root.edges.dependsOn).toEqual(['align']);
    expect(root.edges.dependedOnBy).toEqual([]);
  });

  it("reads logs and backend queries through the node's backend", async () => {
    await server.api('/api/v1/workflows', { body: fakeWorkflow('job', [{ id: 'job' }]) });
    await finished('job');
    const logs = await server.api('/api/v1/nodes/job/logs?stream=stdout');
    expect(logs.status).toBe(200);
    expect(LogsResponseSchema.parse(logs.body)).toMatchObject({
      nodeId: 'job',
      attempt: 1,
      backend: 'fake',
      stream: 'stdout',
      offset: 0,
      content: 'hello from job\n',
      nextOffset: 15,
    });
    const tail = await server.api('/api/v1/nodes/job/logs?stream=stdout&offset=6&length=4');
    expect(tail.body).toMatchObject({ content: 'from', offset: 6, nextOffset: 10 });

    const queries = await server.api('/api/v1/nodes/job/queries');
    expect(QueriesResponseSchema.parse(queries.body).queries.map((q) => q.name)).toEqual([
      'status',
      'script',
    ]);
    const script = await server.api('/api/v1/nodes/job/queries/script');
    expect(QueryResultResponseSchema.parse(script.body).output).toContain('fake job');
    const unknown = await server.api('/api/v1/nodes/job/queries/bogus');
    expect(unknown.status).toBe(404);
    expect(unknown.body.error.code).toBe('unsupported-operation');
  });

  it('answers no-run for a node that never had a job, and 400 for a bad stream', async () => {
    await server.api('/api/v1/workflows', {
      body: fakeWorkflow('root', [
        { id: 'root', make: { backend: 'no-operation' } },
        { id: 'never', make: { backend: 'fake' } },
      ]),
    });
    const logs = await server.api('/api/v1/nodes/never/logs');
    expect(logs.status).toBe(404);
    expect(logs.body.error).toMatchObject({ code: 'no-run', details: { state: 'passive' } });
    const bad = await server.api('/api/v1/nodes/never/logs?stream=core');
    expect(bad.status).toBe(400);
    expect(bad.body.error.code).toBe('invalid-request');
    expect(bad.body.error.message).toContain('stream');
  });

  it('kills a running node (recursive kills its dependents) and restarts it as attempt 2', async () => {
    await server.api('/api/v1/workflows', {
      body: fakeWorkflow('top', [
        { id: 'top', dependsOn: ['slow'] },
        { id: 'slow', tags: ['slow'] },
      ]),
    });
    await eventually(
      async () => ((await stateOf('slow')) === 'running' ? true : undefined),
      'slow to run',
    );
    const killed = await server.api('/api/v1/nodes/kill', {
      body: { ids: ['slow'], recursive: true },
      token: server.tokens.operator,
    });
    expect(killed.status).toBe(200);
    const response = CommandResponseSchema.parse(killed.body);
    expect(response).toMatchObject({ via: 'engine', commandId: null });
    expect(response.result).toMatchObject({ ids: expect.arrayContaining(['slow', 'top']) });
    expect(await finished('slow')).toMatchObject({ outcome: 'failed' });
    expect(await finished('top')).toMatchObject({ outcome: 'failed' });

    const restarted = await server.api('/api/v1/nodes/restart', {
      body: { ids: ['slow'] },
      token: server.tokens.operator,
    });
    expect(restarted.status).toBe(200);
    await eventually(async () => {
      const { body } = await server.api('/api/v1/nodes/slow');
      return body.node.attempt === 2 && body.node.state.kind === 'running' ? true : undefined;
    }, 'slow to run again');
    const attempt1 = await server.api('/api/v1/nodes/slow?attempt=1');
    expect(attempt1.body.history.every((h: { attempt: number }) => h.attempt === 1)).toBe(true);
    expect(attempt1.body.history.length).toBeGreaterThan(2);
    const attempt2 = await server.api('/api/v1/nodes/slow/logs?attempt=2');
    expect(attempt2.body.attempt).toBe(2);
  });

  it('refuses kill and restart of unknown ids, doing nothing', async () => {
    await server.api('/api/v1/workflows', {
      body: fakeWorkflow('s', [{ id: 's', tags: ['slow'] }]),
    });
    const response = await server.api('/api/v1/nodes/kill', { body: { ids: ['s', 'ghost'] } });
    expect(response.status).toBe(404);
    expect(response.body.error).toMatchObject({
      code: 'not-found',
      details: { missing: ['ghost'] },
    });
    expect(await stateOf('s')).not.toMatch(/kill/);
    const empty = await server.api('/api/v1/nodes/restart', { body: { ids: [] } });
    expect(empty.status).toBe(400);
    expect(empty.body.error.code).toBe('invalid-request');
  });

  it('reports status with counts and the engine state', async () => {
    await server.api('/api/v1/workflows', {
      body: fakeWorkflow('a', [{ id: 'a' }, { id: 'b', tags: ['fails'] }]),
    });
    await finished('a');
    const response = await server.api('/api/v1/status', { token: server.tokens.reader });
    expect(response.status).toBe(200);
    const status = StatusResponseSchema.parse(response.body);
    expect(status).toMatchObject({
      mode: 'engine',
      readOnly: false,
      counts: { successful: 1, activable: 1 },
      total: 2,
      you: { name: 'reader', scopes: ['read'] },
    });
    expect(status.engine).toMatchObject({ phase: 'running' });
  });

  it('lists notifications, and only newer ones with since', async () => {
    await server.api('/api/v1/workflows', { body: fakeWorkflow('n', [{ id: 'n' }]) });
    const all = NotificationsResponseSchema.parse((await server.api('/api/v1/notifications')).body);
    expect(all.notifications.some((n) => n.message.includes('admin submitted workflow'))).toBe(
      true,
    );
    const newer = await server.api(`/api/v1/notifications?since=${all.next}`);
    expect(newer.body.notifications).toEqual([]);
    await server.api('/api/v1/nodes/kill', { body: { ids: ['n'] } });
    const after = await server.api(`/api/v1/notifications?since=${all.next}`);
    expect(after.body.notifications.map((n: { message: string }) => n.message)).toContain(
      'admin asked to kill n',
    );
  });
});
