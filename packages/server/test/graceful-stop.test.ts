import { Engine, FakeBackend, MemoryStore, type Store } from '@ketrew/engine';
import { describe, expect, it } from 'vitest';
import { createMemoryAuthenticator } from '../src/auth/memory-authenticator.js';
import { createServer } from '../src/create-server.js';
import { openEvents } from './support/sse-client.js';
import { eventually, fakeWorkflow } from './support/test-server.js';

const TOKEN = 'graceful-stop-test-token';

/** A store whose `getNodes` can be slowed down, to keep a request in flight. */
function slowable(store: MemoryStore): { store: Store; slow: (ms: number) => void } {
  let delay = 0;
  const proxy = new Proxy(store, {
    get(target, property, receiver) {
      const value: unknown = Reflect.get(target, property, receiver);
      if (property === 'getNodes' && typeof value === 'function') {
        return async (...args: unknown[]) => {
          if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      }
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
  return { store: proxy, slow: (ms) => (delay = ms) };
}

describe('close()', () => {
  it('stops accepting, finishes in-flight requests, ends event streams, stops the engine, and leaves jobs running', async () => {
    const memory = await MemoryStore.create();
    const { store, slow } = slowable(memory);
    const backend = new FakeBackend({ script: () => ({ duration: 600_000 }) });
    const engine = new Engine({ store, backends: [backend], config: { pollIntervalMs: 20 } });
    const server = createServer({
      store,
      engine,
      backends: [backend],
      auth: createMemoryAuthenticator([{ name: 'admin', token: TOKEN, scopes: ['admin'] }]),
      config: { port: 0 },
    });
    const { url, close } = await server.listen();
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const submitted = await fetch(`${url}/api/v1/workflows`, {
      method: 'POST',
      headers,
      body: JSON.stringify(fakeWorkflow('long', [{ id: 'long' }])),
    });
    expect(submitted.status).toBe(201);
    await eventually(
      async () => (backend.cluster.running().length === 1 ? true : undefined),
      'the job',
    );

    const events = await openEvents(`${url}/api/v1/events?token=${TOKEN}`);
    await events.next();
    slow(400);
    const inFlight = fetch(`${url}/api/v1/nodes/long`, { headers });
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = close();

    const answer = await inFlight;
    expect(answer.status).toBe(200);
    expect(((await answer.json()) as { node: { id: string } }).node.id).toBe('long');
    await closing;
    await expect(events.next()).rejects.toThrow();

    await expect(fetch(`${url}/hello`)).rejects.toThrow();
    expect(engine.phase).toBe('stopped');
    expect(backend.cluster.running().map((job) => job.nodeId)).toEqual(['long']);
    const [node] = await memory.getNodes(['long']);
    expect(node?.state.kind).toBe('running');
    await expect(close()).resolves.toBeUndefined();
  });

  it('stops the engine again when the port is taken', async () => {
    const first = await createServer({
      store: await MemoryStore.create(),
      auth: createMemoryAuthenticator([]),
      config: { port: 0 },
    }).listen();
    const port = Number(new URL(first.url).port);
    const store = await MemoryStore.create();
    const engine = new Engine({ store, backends: [] });
    const second = createServer({
      store,
      engine,
      auth: createMemoryAuthenticator([]),
      config: { port },
    });
    try {
      await expect(second.listen()).rejects.toThrow(/EADDRINUSE/);
      expect(engine.phase).toBe('stopped');
    } finally {
      await first.close();
    }
  });

  it('refuses to listen again once closed', async () => {
    const server = createServer({
      store: await MemoryStore.create(),
      auth: createMemoryAuthenticator([]),
      config: { port: 0 },
    });
    const running = await server.listen();
    await running.close();
    await expect(server.listen()).rejects.toThrow('closed');
  });
});
