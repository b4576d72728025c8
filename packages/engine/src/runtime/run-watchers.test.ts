import { NodeSpecSchema } from '@ketrew/edsl';
import { describe, expect, it } from 'vitest';
import type { EngineNode } from '../core/engine-node.js';
import { FakeBackend } from '../testing/fake-backend.js';
import { VirtualClock } from './clock.js';
import { resolveEngineConfig } from './engine-config.js';
import type { NodeEventBody } from './node-event-body.js';
import { RunWatchers } from './run-watchers.js';

const flush = (): Promise<void> =>
  new Promise((resolve) => {
    setImmediate(resolve);
  });

/** Two fake backends, one running node on each, watched by RunWatchers on virtual time. */
async function setUp() {
  const clock = new VirtualClock(0);
  const backends = new Map(
    ['fast', 'slow'].map((name) => [
      name,
      new FakeBackend({ name, clock, script: () => ({ duration: name === 'fast' ? 300 : 900 }) }),
    ]),
  );
  const nodes = new Map<string, EngineNode>();
  for (const [name, backend] of backends) {
    const id = `on-${name}`;
    const spec = NodeSpecSchema.parse({ id, name: id, make: { backend: name } });
    const jobName = `ketrew-${id}-a1`;
    const run = await backend.start({ nodeId: id, attempt: 1, jobName, node: spec });
    nodes.set(id, {
      id,
      workflowId: 'w',
      spec,
      state: { kind: 'running', jobName, run, since: 0 },
      attempt: 1,
      successiveErrors: 0,
      equivalentTo: null,
      createdAt: 0,
      updatedAt: 0,
    });
  }
  const posted: { at: number; nodeId: string; event: NodeEventBody }[] = [];
  const watchers = new RunWatchers({
    backends,
    clock,
    config: resolveEngineConfig({ pollIntervalMs: 10_000 }),
    nodes,
    post: (nodeId, event) => posted.push({ at: clock.now(), nodeId, event }),
  });
  const at = async (ms: number): Promise<void> => {
    clock.advanceTo(ms);
    await flush();
  };
  for (const node of nodes.values()) watchers.watch(node);
  await at(0); // the first poll of each backend
  return { backends, watchers, posted, at, fast: backends.get('fast') as FakeBackend };
}

describe('RunWatchers hints', () => {
  it('reports an end at the backend’s hint, long before the poll interval', async () => {
    const { watchers, posted, at, fast } = await setUp();
    await at(300);
    fast.emitActivity();
    await at(300);
    expect(posted).toEqual([
      { at: 300, nodeId: 'on-fast', event: { kind: 'polled', status: { kind: 'succeeded' } } },
    ]);
    expect(watchers.counts()).toEqual({
      watched: { fast: 0, slow: 1 },
      polls: { fast: 2, slow: 1 },
    });
    watchers.stop();
  });

  it('nudges one backend by name, or all of them', async () => {
    const { watchers, posted, at } = await setUp();
    await at(950);
    watchers.nudge('slow');
    watchers.nudge('no-such-backend');
    await at(950);
    expect(posted.map((p) => [p.at, p.nodeId])).toEqual([[950, 'on-slow']]);
    expect(watchers.counts().polls).toEqual({ fast: 1, slow: 2 });
    watchers.nudge();
    await at(950);
    expect(posted.map((p) => [p.at, p.nodeId])).toEqual([
      [950, 'on-slow'],
      [950, 'on-fast'],
    ]);
    watchers.stop();
  });

  it('stops listening to the backends when stopped', async () => {
    const { watchers, backends } = await setUp();
    expect([...backends.values()].map((b) => b.activityWatchers)).toEqual([1, 1]);
    watchers.stop();
    expect([...backends.values()].map((b) => b.activityWatchers)).toEqual([0, 0]);
  });
});
