import { describe, expect, it } from 'vitest';
import type { RunState } from '../core/node-state.js';
import { MemoryStore } from '../memory/memory-store.js';
import type { TransitionBatch } from '../ports/store.js';
import { VirtualClock } from './clock.js';
import { T0, harness } from './test-harness.js';
import { LOCALHOST, fakeNode, noopNode, workflowOf } from './test-workflows.js';

const fanOut = (n: number, options: Parameters<typeof fakeNode>[1] = {}) => {
  const leaves = Array.from({ length: n }, (_, i) => fakeNode(`leaf-${i}`, options));
  return workflowOf('root', [...leaves, noopNode('root', { dependsOn: leaves.map((l) => l.id) })]);
};

describe('Engine: concurrency limits', () => {
  it('never runs more jobs of a backend at once than its limit', async () => {
    const h = await harness({
      script: (ctx) => ({ duration: 1_000 + (Number(ctx.nodeId.slice(5)) % 7) * 300 }),
      config: { backends: { fake: { maxRunning: 3 } } },
    });
    await h.engine.submit(fanOut(20));
    await h.run(async () => {
      expect(h.engine.status().slots['fake'] ?? 0).toBeLessThanOrEqual(3);
      return h.allFinished();
    });
    expect(await h.outcome('root')).toBe('successful from verified-success');
    expect(h.cluster.jobs()).toHaveLength(20);
    expect(h.cluster.maxConcurrent()).toBe(3);
  });

  it('counts the CPUs a node asks for against its host', async () => {
    const h = await harness({
      script: () => ({ duration: 1_000 }),
      config: { hostCpus: { localhost: 4 } },
    });
    await h.engine.submit(
      fanOut(6, { make: { backend: 'fake', host: LOCALHOST }, resources: { cpus: 2 } }),
    );
    await h.run(h.allFinished);
    expect(h.cluster.jobs()).toHaveLength(6);
    expect(h.cluster.maxConcurrent()).toBe(2);
  });

  it('uses the number of cores as the default limit of a local host', async () => {
    const h = await harness({ script: () => ({ duration: 1_000 }), config: { localHostCpus: 2 } });
    await h.engine.submit(fanOut(5, { make: { backend: 'fake', host: LOCALHOST } }));
    await h.run(h.allFinished);
    expect(h.cluster.maxConcurrent()).toBe(2);
  });
});

describe('Engine: batched polling', () => {
  it('polls every running job of a backend in one call per interval', async () => {
    const batches: number[] = [];
    const h = await harness({
      script: (ctx) => ({ duration: 10_000 + Number(ctx.nodeId.slice(5)) * 1_000 }),
      config: { pollIntervalMs: 2_000 },
    });
    const poll = h.backend.poll.bind(h.backend);
    h.backend.poll = async (runs: readonly RunState[]) => {
      batches.push(runs.length);
      return poll(runs);
    };
    await h.engine.submit(fanOut(10));
    await h.run(h.allFinished);
    expect(Math.max(...batches)).toBe(10);
    // 10 jobs over ~19 s of virtual time, polled every 2 s: about 10 polls, not one per job.
    expect(batches.length).toBeLessThanOrEqual(12);
    expect(h.engine.status().polls['fake']).toBe(batches.length);
  });

  it('does not poll a job again while the news of its end waits in a busy engine', async () => {
    const clock = new VirtualClock(T0);
    const memory = await MemoryStore.create();
    // Every write takes 10 ms, so polls come back while earlier answers still wait.
    const store = new Proxy(memory, {
      get(target, property) {
        const value: unknown = Reflect.get(target, property, target);
        if (property === 'applyTransitions') {
          return async (batch: TransitionBatch) => {
            await clock.sleep(10);
            return target.applyTransitions(batch);
          };
        }
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const h = await harness({ clock, store, config: { pollIntervalMs: 0, maxEventsPerTick: 3 } });
    await h.engine.submit(fanOut(60));
    await h.run(h.allFinished);
    expect(h.cluster.jobs()).toHaveLength(60);
    expect(h.cluster.jobs().map((job) => job.polls)).toEqual(h.cluster.jobs().map(() => 1));
  });
});
