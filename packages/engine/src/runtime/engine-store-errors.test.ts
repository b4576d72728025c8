import { describe, expect, it } from 'vitest';
import { StoreError } from '../errors.js';
import { MemoryStore } from '../memory/memory-store.js';
import type { Store, TransitionBatch } from '../ports/store.js';
import type { EngineEvent } from './engine-events.js';
import { harness } from './test-harness.js';
import { fakeNode, fileExists, workflowOf } from './test-workflows.js';

/** A MemoryStore whose `applyTransitions` fails while `failures` says so. */
async function flakyStore(failures: () => StoreError | null): Promise<Store> {
  const memory = await MemoryStore.create();
  return new Proxy(memory, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property, target);
      if (property === 'applyTransitions') {
        return async (batch: TransitionBatch) => {
          const error = failures();
          if (error !== null) throw error;
          return target.applyTransitions(batch);
        };
      }
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

describe('Engine: store errors', () => {
  it('retries a retryable write, and carries out its commands only once written', async () => {
    let failing = 3;
    const store = await flakyStore(() =>
      failing-- > 0 ? new StoreError('database is locked', { retryable: true }) : null,
    );
    const h = await harness({ store });
    await h.engine.submit(workflowOf('a', [fakeNode('a')]));
    await h.run(h.allFinished);
    expect(await h.outcome('a')).toBe('successful from verified-success');
    expect(h.cluster.submissions('ketrew-a-a1')).toBe(1);
  });

  it('stops on a fatal write error without starting anything', async () => {
    let broken = false;
    const store = await flakyStore(() =>
      broken ? new StoreError('disk full', { retryable: false }) : null,
    );
    const h = await harness({ store });
    const events: EngineEvent[] = [];
    h.engine.events.subscribe((event) => events.push(event));
    broken = true;
    // A condition to check first: the start's intent is in the first tick's write, which fails.
    await h.engine.submit(workflowOf('a', [fakeNode('a', { condition: fileExists('/x/y') })]));
    await h.run(async () => h.engine.phase === 'failed');
    expect(h.cluster.jobs()).toHaveLength(0);
    expect(events.at(-1)).toMatchObject({ kind: 'engine-failed', message: 'disk full' });
    expect(h.engine.status().lastError).toBe('disk full');
    // What the store has is what a new engine resumes from: the root, activated at insert.
    expect((await h.node('a')).state.kind).toBe('active');
  });

  it('stops, instead of crashing the process, when a tick throws', async () => {
    const memory = await MemoryStore.create();
    const broken = Object.assign(Object.create(memory) as Store, {
      migrate: () => memory.migrate(),
      loadUnfinished: () => memory.loadUnfinished(),
      // A malformed queued command makes the tick throw.
      takeCommands: async () => [{ id: 1, queuedAt: 0, command: null as never }],
    });
    const h = await harness({ store: broken });
    await h.run(async () => h.engine.phase === 'failed');
    expect(h.engine.status().lastError).toMatch(/null/);
  });
});
