import { describe, expect, it } from 'vitest';
import { KetrewError } from '../errors.js';
import type { StartContext } from '../ports/backend.js';
import type { EngineEvent } from './engine-events.js';
import { harness } from './test-harness.js';
import { fakeNode, fileExists, noopNode, workflowOf } from './test-workflows.js';

async function rejection(promise: Promise<unknown>): Promise<KetrewError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof KetrewError) return error;
    throw error;
  }
  throw new Error('expected a rejection');
}

describe('Engine: submit', () => {
  it('rejects an unknown backend, naming the node and the field, and writes nothing', async () => {
    const h = await harness();
    const error = await rejection(
      h.engine.submit(
        workflowOf('a', [fakeNode('a'), fakeNode('b', { make: { backend: 'slurn' } })]),
      ),
    );
    expect(error.code).toBe('unknown-backend');
    expect(error.message).toContain('/nodes/1/make/backend');
    expect(error.message).toContain('"b"');
    expect(error.message).toContain('slurn');
    expect(await h.store.getNodes(['a', 'b'])).toEqual([]);
  });

  it('rejects an invalid document with every problem located', async () => {
    const h = await harness();
    const error = await rejection(
      h.engine.submit({
        version: 1,
        root: 'a',
        nodes: [{ id: 'a', name: 'a', dependsOn: ['zz'] }],
      }),
    );
    expect(error.code).toBe('invalid-workflow');
    expect(error.details['problems']).toEqual([
      { pointer: '/nodes/0/dependsOn/0', message: expect.stringContaining('"zz"') },
    ]);
    const shape = await rejection(h.engine.submit({ version: 2, nodes: [] }));
    expect(shape.code).toBe('invalid-workflow');
    expect(shape.message).toContain('/version');
  });

  it('rejects a cycle through dependsOn', async () => {
    const h = await harness();
    const error = await rejection(
      h.engine.submit(
        workflowOf('a', [fakeNode('a', { dependsOn: ['b'] }), fakeNode('b', { dependsOn: ['a'] })]),
      ),
    );
    expect(error.message).toMatch(/cycle/);
  });

  it('refuses submissions before start()', async () => {
    const h = await harness({ start: false });
    const error = await rejection(h.engine.submit(workflowOf('a', [fakeNode('a')])));
    expect(error.code).toBe('invalid-state');
  });

  it('merges a node into an equivalent active one: the product is built once', async () => {
    const h = await harness({ script: () => ({ duration: 10_000 }) });
    const condition = fileExists('/shared/genome.idx');
    const first = await h.engine.submit(
      workflowOf('use-1', [
        fakeNode('index-1', { condition }),
        noopNode('use-1', { dependsOn: ['index-1'] }),
      ]),
    );
    const second = await h.engine.submit(
      workflowOf('use-2', [
        fakeNode('index-2', { condition }),
        noopNode('use-2', { dependsOn: ['index-2'] }),
      ]),
    );
    expect(first.merged).toEqual({});
    expect(second.merged).toEqual({ 'index-2': 'index-1' });
    await h.run(async () => (await h.node('index-1')).state.kind === 'running');
    await h.transport.writeFile('/shared/genome.idx', 'index');
    await h.run(h.allFinished);
    expect(h.cluster.jobs().map((j) => j.nodeId)).toEqual(['index-1']);
    expect(await h.outcome('use-2')).toBe('successful from verified-success');
    expect(await h.outcome('index-2')).toBe('successful from verified-success');
  });

  it('writes the start intent before calling the backend (write-ahead)', async () => {
    const seen: string[] = [];
    const h = await harness();
    const start = h.backend.start.bind(h.backend);
    h.backend.start = async (ctx: StartContext) => {
      const [stored] = await h.store.getNodes([ctx.nodeId]);
      seen.push(
        `${stored?.state.kind}:${stored?.state.kind === 'starting' ? stored.state.jobName : ''}`,
      );
      return start(ctx);
    };
    await h.engine.submit(workflowOf('b', [fakeNode('a'), fakeNode('b', { dependsOn: ['a'] })]));
    await h.run(h.allFinished);
    expect(seen).toEqual(['starting:ketrew-a-a1', 'starting:ketrew-b-a1']);
  });

  it('inserts the nodes that wait for nothing already starting, as far as the slots allow', async () => {
    const h = await harness({
      script: () => ({ duration: 1_000 }),
      config: { backends: { fake: { maxRunning: 2 } } },
    });
    await h.engine.submit(
      workflowOf('root', [
        fakeNode('root', { dependsOn: ['a', 'b', 'c'] }),
        fakeNode('a'),
        fakeNode('b'),
        fakeNode('c'),
      ]),
    );
    // As inserted: no tick has run yet.
    const states = (await h.store.getNodes(['root', 'a', 'b', 'c'])).map((n) => n.state);
    expect(states).toEqual([
      { kind: 'building' },
      { kind: 'starting', jobName: 'ketrew-a-a1' },
      { kind: 'starting', jobName: 'ketrew-b-a1' },
      { kind: 'building' },
    ]);
    expect(h.engine.status().slots).toEqual({ fake: 2 });
    await h.run(h.allFinished);
    expect(await h.outcome('root')).toBe('successful from verified-success');
    expect(h.cluster.maxConcurrent()).toBe(2);
  });

  it('gives the slots back when the insert fails', async () => {
    const h = await harness();
    await h.engine.submit(workflowOf('a', [fakeNode('a', { condition: fileExists('/x/y') })]));
    // The same node id again: the store refuses the whole workflow.
    await expect(
      h.engine.submit(workflowOf('b', [fakeNode('b', { dependsOn: ['a'] }), fakeNode('a')])),
    ).rejects.toThrow(/already exists/);
    expect(h.engine.status().slots['fake'] ?? 0).toBe(0);
  });

  it('acts at once on submit, kill and restart, without waiting for any interval', async () => {
    const h = await harness({
      script: () => ({ duration: 3_600_000 }),
      config: { pollIntervalMs: 3_600_000, commandQueueIntervalMs: 3_600_000 },
    });
    const t = h.clock.now();
    await h.engine.submit(workflowOf('a', [fakeNode('a')]));
    await h.run(async () => (await h.node('a')).state.kind === 'running', 0);
    await h.engine.kill(['a']);
    await h.run(h.allFinished, 0);
    await h.engine.restart(['a']);
    await h.run(async () => (await h.node('a')).state.kind === 'running', 0);
    expect(h.cluster.submissions('ketrew-a-a2')).toBe(1);
    expect(h.clock.now()).toBe(t);
  });

  it('publishes node changes once they are written, and notifications', async () => {
    const h = await harness({ script: () => ({ duration: 1_000 }) });
    const events: EngineEvent[] = [];
    const unsubscribe = h.engine.events.subscribe((event) => events.push(event));
    const submitted = await h.engine.submit(workflowOf('a', [fakeNode('a')]));
    await h.run(h.allFinished);
    unsubscribe();
    expect(events[0]).toMatchObject({
      kind: 'workflow-submitted',
      workflowId: submitted.workflowId,
    });
    const states = events.flatMap((e) =>
      e.kind === 'nodes-changed' ? e.nodes.map((n) => `${n.id}:${n.state.kind}`) : [],
    );
    expect(states).toContain('a:running');
    expect(states.at(-1)).toBe('a:finished');
  });

  it('streams events as an async iterator', async () => {
    const h = await harness();
    const controller = new AbortController();
    const stream = h.engine.events.stream({ signal: controller.signal });
    await h.engine.submit(workflowOf('a', [fakeNode('a')]));
    const first = await stream.next();
    expect(first.value).toMatchObject({ kind: 'workflow-submitted' });
    controller.abort();
    await h.run(h.allFinished);
    expect(h.engine.events.listenerCount).toBe(0);
  });

  it('reports its status', async () => {
    const h = await harness({ script: () => ({ duration: 60_000 }) });
    await h.engine.submit(
      workflowOf('r', [fakeNode('a'), fakeNode('b'), noopNode('r', { dependsOn: ['a', 'b'] })]),
    );
    await h.run(async () => h.engine.status().watched['fake'] === 2);
    const status = h.engine.status();
    expect(status).toMatchObject({
      phase: 'running',
      slots: { fake: 2 },
      nodes: { running: 2, building: 1 },
    });
    await h.engine.stop();
    expect(h.engine.status().phase).toBe('stopped');
  });
});
