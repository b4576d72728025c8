import type { Change, EngineNode } from '@ketrew/engine';
import { afterEach, describe, expect, it } from 'vitest';
import { ChangeEventSchema } from '../src/api/response-schemas.js';
import { engineNode, nodeSpec, storeWith } from './support/node-fixtures.js';
import { openEvents, type SseEvent } from './support/sse-client.js';
import { fakeWorkflow, startTestServer, type TestServer } from './support/test-server.js';

let server: TestServer | null = null;

afterEach(async () => {
  await server?.close();
  server = null;
});

async function changesUntil(
  stream: { next(): Promise<SseEvent> },
  done: (changes: Change[]) => boolean,
): Promise<Change[]> {
  const changes: Change[] = [];
  while (!done(changes)) {
    const event = await stream.next();
    if (event.event !== 'change') continue;
    const change = ChangeEventSchema.parse(JSON.parse(event.data)) as Change;
    expect(event.id).toBe(String(change.cursor));
    changes.push(change);
  }
  return changes;
}

const finishedBoth = (changes: Change[]): boolean =>
  ['a', 'b'].every((id) => changes.some((c) => c.nodeId === id && c.state === 'finished'));

describe('GET /api/v1/events', () => {
  it('streams live changes after a ready event carrying the start cursor', async () => {
    server = await startTestServer();
    const stream = await openEvents(`${server.url}/api/v1/events`, {
      authorization: `Bearer ${server.tokens.reader}`,
    });
    expect(stream.response.headers.get('content-type')).toContain('text/event-stream');
    const ready = await stream.next();
    expect(ready).toMatchObject({ event: 'ready', id: '0', data: '{"cursor":0}' });
    await server.api('/api/v1/workflows', {
      body: fakeWorkflow('a', [{ id: 'a', dependsOn: ['b'] }, { id: 'b' }]),
    });
    const changes = await changesUntil(stream, finishedBoth);
    stream.close();
    const cursors = changes.map((c) => c.cursor);
    expect(cursors).toEqual([...cursors].sort((x, y) => x - y));
    expect(new Set(cursors).size).toBe(cursors.length);
    expect(changes).toEqual((await server.store.changesSince(0, 1000)).slice(0, changes.length));
  });

  it('resumes after Last-Event-ID without missing or repeating a change', async () => {
    server = await startTestServer();
    const first = await openEvents(`${server.url}/api/v1/events?token=${server.tokens.reader}`);
    await first.next();
    await server.api('/api/v1/workflows', {
      body: fakeWorkflow('a', [{ id: 'a', dependsOn: ['b'] }, { id: 'b' }]),
    });
    const seen = await changesUntil(first, (changes) => changes.length >= 3);
    first.close();
    const last = seen.at(-1) as Change;
    // More happens while the client is away.
    await server.api('/api/v1/workflows', { body: fakeWorkflow('c', [{ id: 'c' }]) });
    const watcher = await openEvents(
      `${server.url}/api/v1/events?since=0&token=${server.tokens.reader}`,
    );
    await changesUntil(
      watcher,
      (changes) =>
        changes.some((c) => c.nodeId === 'c' && c.state === 'finished') && finishedBoth(changes),
    );
    watcher.close();
    const all = await server.store.changesSince(0, 10_000);

    const resumed = await openEvents(`${server.url}/api/v1/events?since=1`, {
      authorization: `Bearer ${server.tokens.reader}`,
      'last-event-id': String(last.cursor),
    });
    expect(await resumed.next()).toMatchObject({ event: 'ready', id: String(last.cursor) });
    const rest = await changesUntil(
      resumed,
      (changes) => changes.length >= all.length - seen.length,
    );
    resumed.close();
    expect([...seen, ...rest]).toEqual(all);
  });

  it('starts after ?since= when no Last-Event-ID is sent', async () => {
    server = await startTestServer();
    await server.api('/api/v1/workflows', { body: fakeWorkflow('a', [{ id: 'a' }]) });
    const watcher = await openEvents(
      `${server.url}/api/v1/events?since=0&token=${server.tokens.admin}`,
    );
    const history = await changesUntil(watcher, (changes) =>
      changes.some((c) => c.state === 'finished'),
    );
    watcher.close();
    const from = history[1] as Change;
    const stream = await openEvents(
      `${server.url}/api/v1/events?since=${from.cursor}&token=${server.tokens.admin}`,
    );
    await stream.next();
    const next = await changesUntil(stream, (changes) => changes.length >= 1);
    stream.close();
    expect(next[0]).toEqual(history[2]);
  });

  it('sends heartbeat comments when nothing happens', async () => {
    server = await startTestServer({ config: { heartbeatIntervalMs: 100 } });
    const stream = await openEvents(`${server.url}/api/v1/events?token=${server.tokens.reader}`);
    await stream.next();
    const heartbeat = await stream.next();
    stream.close();
    expect(heartbeat.event).toBe('comment');
    expect(heartbeat.data).toMatch(/^heartbeat \d+$/);
  });

  it('sees changes written by another process (API-only mode, polling the store)', async () => {
    const node = engineNode(nodeSpec({ id: 'x' }), { kind: 'passive' });
    const store = await storeWith([node]);
    server = await startTestServer({ engine: false, store });
    const stream = await openEvents(`${server.url}/api/v1/events?token=${server.tokens.reader}`);
    const ready = await stream.next();
    const start = JSON.parse(ready.data).cursor as number;
    const active: EngineNode = {
      ...node,
      state: { kind: 'active', by: { kind: 'user' } },
      updatedAt: node.updatedAt + 1,
    };
    await store.applyTransitions({
      nodes: [active],
      history: [
        { nodeId: 'x', attempt: 1, time: active.updatedAt, state: active.state, message: null },
      ],
    });
    const [change] = await changesUntil(stream, (changes) => changes.length >= 1);
    stream.close();
    expect(change).toMatchObject({ nodeId: 'x', state: 'active' });
    expect((change as Change).cursor).toBeGreaterThan(start);
  });

  it('answers 400 for a malformed Last-Event-ID and 401 without a token', async () => {
    server = await startTestServer();
    const bad = await server.api('/api/v1/events', { headers: { 'last-event-id': 'abc' } });
    expect(bad.status).toBe(400);
    expect((await fetch(`${server.url}/api/v1/events`)).status).toBe(401);
  });
});
