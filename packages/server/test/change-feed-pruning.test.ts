import { Engine, FakeBackend, MemoryStore, type Store } from '@ketrew/engine';
import { describe, expect, it } from 'vitest';
import { createMemoryAuthenticator } from '../src/auth/memory-authenticator.js';
import { createServer } from '../src/create-server.js';
import { DEFAULT_CHANGE_RETENTION_MS } from '../src/server-config.js';
import { eventually } from './support/test-server.js';

/** A MemoryStore that can prune (MemoryStore itself keeps its feed), recording each cutoff. */
async function pruningStore(): Promise<{ store: Store; cutoffs: number[] }> {
  const memory = await MemoryStore.create();
  const cutoffs: number[] = [];
  const store = new Proxy(memory, {
    get(target, property, receiver) {
      if (property === 'pruneChanges')
        return async (before: number) => {
          cutoffs.push(before);
          return 0;
        };
      const value: unknown = Reflect.get(target, property, receiver);
      return typeof value === 'function' ? (value as () => unknown).bind(target) : value;
    },
  }) as Store;
  return { store, cutoffs };
}

const auth = createMemoryAuthenticator([{ name: 'a', token: 'pruning-token', scopes: ['read'] }]);
const NOW = 1_800_000_000_000;

describe('the change feed is pruned by the server that runs the engine', () => {
  it('prunes changes older than the retention (7 days by default) once listening', async () => {
    const { store, cutoffs } = await pruningStore();
    const backend = new FakeBackend();
    const engine = new Engine({ store, backends: [backend] });
    const server = createServer({ store, engine, auth, config: { port: 0 }, now: () => NOW });
    const { close } = await server.listen();
    try {
      await eventually(async () => (cutoffs.length > 0 ? true : undefined), 'a prune');
      expect(cutoffs[0]).toBe(NOW - DEFAULT_CHANGE_RETENTION_MS);
    } finally {
      await close();
    }
  });

  it('does not prune in API-only mode, nor with the retention off, but does once promoted', async () => {
    const apiOnly = await pruningStore();
    const follower = createServer({
      store: apiOnly.store,
      auth,
      config: { port: 0 },
      now: () => NOW,
    });
    const followerRunning = await follower.listen();
    const off = await pruningStore();
    const keeper = createServer({
      store: off.store,
      engine: new Engine({ store: off.store, backends: [new FakeBackend()] }),
      auth,
      config: { port: 0, changeRetentionMs: null },
      now: () => NOW,
    });
    const keeperRunning = await keeper.listen();
    try {
      await new Promise((resolve) => setTimeout(resolve, 200));
      expect(apiOnly.cutoffs).toEqual([]);
      expect(off.cutoffs).toEqual([]);
      await follower.promote(new Engine({ store: apiOnly.store, backends: [new FakeBackend()] }));
      await eventually(async () => (apiOnly.cutoffs.length > 0 ? true : undefined), 'a prune');
      expect(apiOnly.cutoffs[0]).toBe(NOW - DEFAULT_CHANGE_RETENTION_MS);
    } finally {
      await followerRunning.close();
      await keeperRunning.close();
    }
  });
});
