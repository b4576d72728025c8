import { Engine, FakeBackend, MemoryStore, type Store } from '@ketrew/engine';
import { describe, expect, it } from 'vitest';
import { createMemoryAuthenticator } from '../src/auth/memory-authenticator.js';
import { createServer } from '../src/create-server.js';
import { decideEngineRole, hasEngineLock, waitForEngineLock } from '../src/engine-leadership.js';
import { eventually, fakeWorkflow } from './support/test-server.js';

const TOKEN = 'leadership-test-token';

/** A MemoryStore with an engine lock whose holder the test decides. */
function lockable(store: MemoryStore, holder: { free: boolean }): Store {
  return new Proxy(store, {
    get(target, property, receiver) {
      if (property === 'tryAcquireEngineLock') return async () => holder.free;
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  });
}

describe('engine leadership', () => {
  it('makes a process whose store has no lock the leader', async () => {
    const store = await MemoryStore.create();
    expect(hasEngineLock(store)).toBe(false);
    expect(await decideEngineRole(store)).toBe('leader');
  });

  it('follows the lock of a store that has one', async () => {
    const holder = { free: false };
    const store = lockable(await MemoryStore.create(), holder);
    expect(hasEngineLock(store)).toBe(true);
    expect(await decideEngineRole(store)).toBe('api-only');
    holder.free = true;
    expect(await decideEngineRole(store)).toBe('leader');
  });

  it('waits for the lock, and gives up when aborted', async () => {
    const holder = { free: false };
    const store = lockable(await MemoryStore.create(), holder);
    const abort = new AbortController();
    const gaveUp = waitForEngineLock(store, { intervalMs: 10, signal: abort.signal });
    abort.abort(new Error('stopping'));
    await expect(gaveUp).rejects.toThrow('stopping');
    const waiting = waitForEngineLock(store, { intervalMs: 10 });
    setTimeout(() => (holder.free = true), 50);
    await expect(waiting).resolves.toBeUndefined();
  });

  it('promotes an API-only server once it gets the lock: it then submits and runs', async () => {
    const holder = { free: false };
    const store = lockable(await MemoryStore.create(), holder);
    const backend = new FakeBackend({ script: () => ({ duration: 10 }) });
    const server = createServer({
      store,
      engine:
        (await decideEngineRole(store)) === 'leader'
          ? new Engine({ store, backends: [backend] })
          : null,
      backends: [backend],
      auth: createMemoryAuthenticator([{ name: 'admin', token: TOKEN, scopes: ['admin'] }]),
      config: { port: 0 },
    });
    expect(server.mode).toBe('api-only');
    const { url, close } = await server.listen();
    const headers = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
    const submit = () =>
      fetch(`${url}/api/v1/workflows`, {
        method: 'POST',
        headers,
        body: JSON.stringify(fakeWorkflow('job', [{ id: 'job' }])),
      });
    try {
      expect((await submit()).status).toBe(503);
      holder.free = true;
      await waitForEngineLock(store, { intervalMs: 10 });
      const engine = new Engine({ store, backends: [backend], config: { pollIntervalMs: 20 } });
      await server.promote(engine);
      expect(server.mode).toBe('engine');
      await expect(server.promote(engine)).rejects.toThrow('already');
      expect((await submit()).status).toBe(201);
      await eventually(async () => {
        const response = await fetch(`${url}/api/v1/nodes/job`, { headers });
        const body = (await response.json()) as { node: { state: { kind: string } } };
        return body.node.state.kind === 'finished' ? true : undefined;
      }, 'the job to finish');
      const status = (await (await fetch(`${url}/api/v1/status`, { headers })).json()) as {
        mode: string;
      };
      expect(status.mode).toBe('engine');
      await close();
      expect(engine.phase).toBe('stopped');
    } finally {
      await close();
    }
  });
});
