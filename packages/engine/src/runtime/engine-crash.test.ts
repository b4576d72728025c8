import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../memory/memory-store.js';
import { FakeBackend } from '../testing/fake-backend.js';
import { FakeCluster } from '../testing/fake-cluster.js';
import { SimulatedCrash } from '../testing/simulated-crash.js';
import { runUntil } from '../testing/virtual-time.js';
import { VirtualClock } from './clock.js';
import { Engine } from './engine.js';
import { T0 } from './test-harness.js';
import { fakeNode, noopNode, workflowOf } from './test-workflows.js';

const CONFIG = { pollIntervalMs: 1_000, backends: { fake: { maxRunning: 4 } } };

describe('Engine: crash safety', () => {
  // Crash at many points of a run: each time, a new engine on the same store and cluster must
  // finish every job, and no job may have been started twice.
  it.each(Array.from({ length: 40 }, (_, i) => i))(
    'finishes every job exactly once after a crash at step %i',
    async (crashAfterSteps) => {
      const clock = new VirtualClock(T0);
      const store = await MemoryStore.create();
      const cluster = new FakeCluster({ clock });
      const script = (ctx: { nodeId: string }) => ({
        duration: 1_500 + (ctx.nodeId.length % 3) * 700,
        startLatency: 200,
      });
      const crash = new SimulatedCrash();
      const first = new Engine({
        store: crash.wrap(store),
        backends: [crash.wrap(new FakeBackend({ cluster, script }))],
        clock: crash.clock(clock),
        config: CONFIG,
      });
      await first.start();
      const leaves = Array.from({ length: 12 }, (_, i) => fakeNode(`job-${i}`));
      await first.submit(
        workflowOf('all', [
          ...leaves,
          fakeNode('after', { dependsOn: leaves.map((l) => l.id) }),
          noopNode('all', { dependsOn: ['after'] }),
        ]),
      );
      for (let step = 0; step < crashAfterSteps; step++) {
        const next = clock.nextTimerAt();
        if (next === null) break;
        clock.advanceTo(next);
        await new Promise((resolve) => setImmediate(resolve));
      }
      crash.crash(); // the process dies: no stop(), jobs keep running in the cluster

      const second = new Engine({
        store,
        backends: [new FakeBackend({ cluster, script })],
        clock,
        config: CONFIG,
      });
      await second.start();
      await runUntil(second, clock, async () => (await store.loadUnfinished()).length === 0);
      await second.stop();

      const [all] = await store.getNodes(['all']);
      expect(all?.state).toMatchObject({ kind: 'finished', outcome: 'successful' });
      for (const id of [...leaves.map((l) => l.id), 'after']) {
        expect(cluster.submissions(`ketrew-${id}-a1`), id).toBe(1);
      }
      expect(cluster.jobs()).toHaveLength(13);
    },
  );

  it('stop() leaves running jobs running and a new engine picks them up', async () => {
    const clock = new VirtualClock(T0);
    const store = await MemoryStore.create();
    const cluster = new FakeCluster({ clock });
    const backend = () => new FakeBackend({ cluster, script: () => ({ duration: 60_000 }) });
    const first = new Engine({ store, backends: [backend()], clock, config: CONFIG });
    await first.start();
    await first.submit(workflowOf('n', [fakeNode('n')]));
    await runUntil(
      first,
      clock,
      async () => (await store.getNodes(['n']))[0]?.state.kind === 'running',
    );
    await first.stop();
    expect(first.phase).toBe('stopped');
    expect(cluster.running()).toHaveLength(1);
    const second = new Engine({ store, backends: [backend()], clock, config: CONFIG });
    await second.start();
    await runUntil(second, clock, async () => (await store.loadUnfinished()).length === 0);
    expect((await store.getNodes(['n']))[0]?.state).toMatchObject({ outcome: 'successful' });
    expect(cluster.submissions('ketrew-n-a1')).toBe(1);
  });
});
