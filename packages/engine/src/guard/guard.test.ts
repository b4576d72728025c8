import { describe, expect, it } from 'vitest';
import { BackendError, ClosedError, KetrewError, TransportError } from '../errors.js';
import { MemoryStore } from '../memory/memory-store.js';
import type { Backend } from '../ports/backend.js';
import type { Store } from '../ports/store.js';
import { FakeBackend } from '../testing/fake-backend.js';
import { FakeTransport } from '../testing/fake-transport.js';
import { guardBackend } from './guard-backend.js';
import { guardStore } from './guard-store.js';
import { guardTransport } from './guard-transport.js';

function countingStore(): { store: Store; calls: Record<string, number> } {
  const inner = new MemoryStore();
  const calls: Record<string, number> = {};
  const store = new Proxy(inner, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls[String(property)] = (calls[String(property)] ?? 0) + 1;
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  return { store, calls };
}

describe('guardStore', () => {
  it("keeps the store's optional capabilities, under the same lifecycle, and adds none", async () => {
    const inner = new MemoryStore();
    const cutoffs: number[] = [];
    let locked = false;
    const capable: Store = Object.assign(Object.create(inner) as Store, {
      migrate: () => inner.migrate(),
      close: () => inner.close(),
      pruneChanges: async (before: number) => {
        cutoffs.push(before);
        return 2;
      },
      tryAcquireEngineLock: async () => (locked = true),
      releaseEngineLock: async () => {
        locked = false;
      },
    });
    const guarded = guardStore(capable);
    expect(await guarded.pruneChanges?.(5).catch((e: unknown) => e)).toBeInstanceOf(KetrewError);
    await guarded.migrate();
    expect(await guarded.pruneChanges?.(7)).toBe(2);
    expect(await guarded.tryAcquireEngineLock?.()).toBe(true);
    expect(locked).toBe(true);
    await guarded.close();
    await expect(guarded.pruneChanges?.(9)).rejects.toBeInstanceOf(ClosedError);
    await guarded.releaseEngineLock?.();
    expect(locked).toBe(false);
    expect(cutoffs).toEqual([7]);

    const plain = guardStore(new MemoryStore());
    expect(plain.pruneChanges).toBeUndefined();
    expect(plain.tryAcquireEngineLock).toBeUndefined();
  });

  it('migrates once, even when asked concurrently', async () => {
    const { store, calls } = countingStore();
    const guarded = guardStore(store);
    await Promise.all([guarded.migrate(), guarded.migrate()]);
    await guarded.migrate();
    expect(calls['migrate']).toBe(1);
  });

  it('refuses calls before migrate and after close; closes once', async () => {
    const { store, calls } = countingStore();
    const guarded = guardStore(store);
    const early = await guarded.loadUnfinished().catch((e: unknown) => e);
    expect(early).toBeInstanceOf(KetrewError);
    expect((early as KetrewError).code).toBe('invalid-state');
    await guarded.migrate();
    expect(await guarded.loadUnfinished()).toEqual([]);
    await Promise.all([guarded.close(), guarded.close()]);
    expect(calls['close']).toBe(1);
    await expect(guarded.loadUnfinished()).rejects.toBeInstanceOf(ClosedError);
    await expect(guarded.migrate()).rejects.toBeInstanceOf(ClosedError);
    await expect(guarded.exportAll()[Symbol.asyncIterator]().next()).rejects.toBeInstanceOf(
      ClosedError,
    );
  });

  it('lets calls in flight finish before closing', async () => {
    const order: string[] = [];
    const inner = new MemoryStore();
    const slow: Store = Object.assign(Object.create(inner) as Store, {
      migrate: () => inner.migrate(),
      loadUnfinished: async () => {
        await new Promise((resolve) => setTimeout(resolve, 20));
        order.push('load');
        return inner.loadUnfinished();
      },
      close: async () => {
        order.push('close');
        await inner.close();
      },
    });
    const guarded = guardStore(slow);
    await guarded.migrate();
    const load = guarded.loadUnfinished();
    await guarded.close();
    await load;
    expect(order).toEqual(['load', 'close']);
  });

  it('does not wrap twice', () => {
    const guarded = guardStore(new MemoryStore());
    expect(guardStore(guarded)).toBe(guarded);
  });
});

describe('guardBackend', () => {
  it('turns foreign errors into fatal BackendErrors naming the backend', async () => {
    const backend = new FakeBackend({ name: 'odd' });
    backend.kill = async () => {
      throw new Error('boom');
    };
    const error = await guardBackend(backend)
      .kill({ fakeJobId: 'x' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BackendError);
    expect((error as BackendError).recoverable).toBe(false);
    expect((error as BackendError).message).toBe('backend odd: kill failed: boom');
  });

  it('maps a synchronous throw too, and closes only after a failing call has settled', async () => {
    const backend = new FakeBackend({ name: 'odd' });
    backend.find = () => {
      throw new Error('sync');
    };
    let reject: (error: unknown) => void = () => undefined;
    backend.kill = () =>
      new Promise<void>((_, rejectKill) => {
        reject = rejectKill;
      });
    let closed = 0;
    const guarded = guardBackend(Object.assign(backend, { close: async () => void closed++ }));
    await expect(guarded.find('j', { backend: 'odd' }, null as never)).rejects.toThrow(
      'backend odd: find failed: sync',
    );
    const killing = guarded.kill({}).catch((e: unknown) => e);
    const closing = guarded.close?.();
    await Promise.resolve();
    expect(closed).toBe(0);
    reject(new Error('late'));
    expect(await killing).toMatchObject({ message: 'backend odd: kill failed: late' });
    await closing;
    expect(closed).toBe(1);
  });

  it('keeps recoverable errors as they are', async () => {
    const backend = new FakeBackend();
    backend.kill = async () => {
      throw new BackendError('busy', { recoverable: true });
    };
    await expect(guardBackend(backend).kill({})).rejects.toMatchObject({ recoverable: true });
  });

  it('refuses a poll that does not answer once per run', async () => {
    const backend = new FakeBackend();
    backend.poll = async () => [];
    await expect(guardBackend(backend).poll([{}])).rejects.toThrow(/0 outcomes for 1 runs/);
  });

  it('closes once and refuses calls after close', async () => {
    let closed = 0;
    const backend = Object.assign(new FakeBackend(), { close: async () => void closed++ });
    const guarded = guardBackend(backend);
    await Promise.all([guarded.close?.(), guarded.close?.()]);
    expect(closed).toBe(1);
    await expect(guarded.poll([])).rejects.toBeInstanceOf(ClosedError);
  });
});

describe('guardBackend: watchActivity', () => {
  it('forwards the push of a backend that has one, and refuses it after close', async () => {
    const backend = new FakeBackend();
    let listeners = 0;
    backend.watchActivity = (onActivity) => {
      listeners += 1;
      onActivity();
      return () => {
        listeners -= 1;
      };
    };
    const guarded = guardBackend(backend);
    let hints = 0;
    const stop = guarded.watchActivity?.(() => (hints += 1));
    expect([listeners, hints]).toEqual([1, 1]);
    stop?.();
    expect(listeners).toBe(0);
    await guarded.close?.();
    expect(() => guarded.watchActivity?.(() => undefined)).toThrow(ClosedError);
  });

  it('adds none to a backend without push', () => {
    const plain: Backend = {
      name: 'plain',
      start: async () => ({}),
      poll: async (runs) => runs.map(() => ({ kind: 'running' as const })),
      kill: async () => undefined,
      find: async () => null,
      logs: async () => ({ content: '', nextOffset: 0 }),
      queries: async () => [],
      query: async () => '',
    };
    expect(guardBackend(plain).watchActivity).toBeUndefined();
  });
});

describe('guardTransport', () => {
  it('refuses relative paths before the plugin sees them', async () => {
    const inner = new FakeTransport();
    let stats = 0;
    const stat = inner.stat.bind(inner);
    inner.stat = (path) => {
      stats++;
      return stat(path);
    };
    const guarded = guardTransport(inner);
    const error = await guarded.stat('not/absolute').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TransportError);
    expect((error as TransportError).recoverable).toBe(false);
    expect(stats).toBe(0);
    await expect(guarded.run({ argv: ['true'] }, { cwd: 'relative' })).rejects.toBeInstanceOf(
      TransportError,
    );
  });

  it('refuses calls after close', async () => {
    const guarded = guardTransport(new FakeTransport());
    await guarded.close();
    await guarded.close();
    await expect(guarded.readFile('/x')).rejects.toBeInstanceOf(ClosedError);
  });
});
