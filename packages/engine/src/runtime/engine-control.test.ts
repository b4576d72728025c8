import { describe, expect, it } from 'vitest';
import { harness } from './test-harness.js';
import { fakeNode, workflowOf } from './test-workflows.js';

describe('Engine: kill', () => {
  it('kills a running job through its backend', async () => {
    const h = await harness({ script: () => ({ duration: 3_600_000 }) });
    await h.engine.submit(workflowOf('long', [fakeNode('long')]));
    await h.run(async () => (await h.node('long')).state.kind === 'running');
    const sent = await h.engine.kill(['long']);
    expect(sent.ids).toEqual(['long']);
    await h.run(h.allFinished);
    expect((await h.node('long')).state).toMatchObject({
      kind: 'finished',
      outcome: 'failed',
      from: 'killed',
      reason: { kind: 'killed' },
    });
    const job = h.cluster.findByName('ketrew-long-a1')!;
    expect(h.cluster.status(job).kind).toBe('killed');
  });

  it('kills what depends on a node with recursive, and only that node without', async () => {
    for (const recursive of [false, true]) {
      const h = await harness({ script: () => ({ duration: 3_600_000 }) });
      await h.engine.submit(
        workflowOf('top', [
          fakeNode('base'),
          fakeNode('middle', { dependsOn: ['base'] }),
          fakeNode('top', { dependsOn: ['middle'] }),
        ]),
      );
      await h.run(async () => (await h.node('base')).state.kind === 'running');
      const sent = await h.engine.kill(['base'], { recursive });
      expect(sent.ids).toEqual(recursive ? ['base', 'middle', 'top'] : ['base']);
      await h.run(h.allFinished);
      const reasons = await Promise.all(
        ['middle', 'top'].map(async (id) => {
          const state = (await h.node(id)).state;
          return state.kind === 'finished' ? state.reason?.kind : state.kind;
        }),
      );
      // Without recursive, the dependents fail because of their dependency instead.
      expect(reasons).toEqual(
        recursive ? ['killed', 'killed'] : ['dependency-failed', 'dependency-failed'],
      );
      expect(h.cluster.jobs()).toHaveLength(1);
    }
  });

  it('kills a node whose start is in flight without leaving its job behind', async () => {
    const h = await harness({ script: () => ({ duration: 3_600_000, startLatency: 5_000 }) });
    await h.engine.submit(workflowOf('slow', [fakeNode('slow')]));
    await h.run(async () => (await h.node('slow')).state.kind === 'starting');
    await h.engine.kill(['slow']);
    await h.run(h.allFinished);
    const job = h.cluster.findByName('ketrew-slow-a1')!;
    expect(h.cluster.status(job).kind).toBe('killed');
    expect(await h.outcome('slow')).toBe('failed from killed');
  });

  it('fails a node whose job could not be killed, and warns that it may still run', async () => {
    const h = await harness({
      script: () => ({ duration: 3_600_000, killError: { recoverable: false, message: 'denied' } }),
    });
    const warnings: string[] = [];
    h.engine.events.subscribe((e) => {
      if (e.kind === 'notification' && e.level === 'warning') warnings.push(e.message);
    });
    await h.engine.submit(workflowOf('stuck', [fakeNode('stuck')]));
    await h.run(async () => (await h.node('stuck')).state.kind === 'running');
    await h.engine.kill(['stuck']);
    await h.run(h.allFinished);
    expect(await h.outcome('stuck')).toBe('failed from failed-to-kill');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain('may still be running');
    expect(h.cluster.running()).toHaveLength(1);
  });

  it('carries out kills and restarts queued in the store by other processes', async () => {
    const h = await harness({ script: () => ({ duration: 3_600_000 }) });
    await h.engine.submit(workflowOf('long', [fakeNode('long')]));
    await h.run(async () => (await h.node('long')).state.kind === 'running');
    await h.store.enqueueCommand({ kind: 'kill', ids: ['long'], recursive: false }, h.clock.now());
    await h.run(h.allFinished);
    expect(await h.outcome('long')).toBe('failed from killed');
    await h.store.enqueueCommand({ kind: 'restart', ids: ['long'], subtree: false }, h.clock.now());
    await h.run(async () => (await h.node('long')).state.kind === 'running');
    expect((await h.node('long')).attempt).toBe(2);
    expect(h.cluster.submissions('ketrew-long-a2')).toBe(1);
  });
});

describe('Engine: restart', () => {
  it('restarts a failed node as a new attempt, keeping the history of the first', async () => {
    const h = await harness({
      script: (ctx) =>
        ctx.attempt === 1 ? { outcome: { failed: { kind: 'non-zero-exit', code: 1 } } } : {},
    });
    await h.engine.submit(workflowOf('flaky', [fakeNode('flaky')]));
    await h.run(h.allFinished);
    expect(await h.outcome('flaky')).toBe('failed from failed-running');
    expect((await h.engine.restart(['flaky'])).ids).toEqual(['flaky']);
    await h.run(h.allFinished);
    const node = await h.node('flaky');
    expect(node.attempt).toBe(2);
    expect(await h.outcome('flaky')).toBe('successful from verified-success');
    expect((await h.store.getHistory('flaky', { attempt: 1 })).at(-1)?.state.kind).toBe('finished');
    expect(h.cluster.submissions('ketrew-flaky-a1')).toBe(1);
    expect(h.cluster.submissions('ketrew-flaky-a2')).toBe(1);
  });

  it('restarts the nodes that failed because of it with subtree', async () => {
    for (const subtree of [false, true]) {
      const h = await harness({
        script: (ctx) =>
          ctx.nodeId === 'fetch' && ctx.attempt === 1
            ? { outcome: { failed: { kind: 'non-zero-exit', code: 1 } } }
            : {},
      });
      await h.engine.submit(
        workflowOf('report', [
          fakeNode('fetch'),
          fakeNode('align', { dependsOn: ['fetch'] }),
          fakeNode('report', { dependsOn: ['align'] }),
        ]),
      );
      await h.run(h.allFinished);
      expect(await h.outcome('report')).toBe('failed from dependencies-failed');
      const sent = await h.engine.restart(['fetch'], { subtree });
      expect(sent.ids).toEqual(subtree ? ['fetch', 'align', 'report'] : ['fetch']);
      await h.run(h.allFinished);
      expect(await h.outcome('fetch')).toBe('successful from verified-success');
      expect(await h.outcome('report')).toBe(
        subtree ? 'successful from verified-success' : 'failed from dependencies-failed',
      );
      expect(h.cluster.submissions('ketrew-report-a2')).toBe(subtree ? 1 : 0);
    }
  });

  it('leaves nodes that are not finished alone', async () => {
    const h = await harness({ script: () => ({ duration: 3_600_000 }) });
    await h.engine.submit(workflowOf('long', [fakeNode('long')]));
    await h.run(async () => (await h.node('long')).state.kind === 'running');
    expect((await h.engine.restart(['long', 'unknown'])).ids).toEqual([]);
  });
});
