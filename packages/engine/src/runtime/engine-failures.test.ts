import { describe, expect, it } from 'vitest';
import { FakeTransport } from '../testing/fake-transport.js';
import type { FakeJob } from '../testing/fake-cluster.js';
import { harness } from './test-harness.js';
import { fakeNode, fileExists, workflowOf } from './test-workflows.js';

const exit1 = { failed: { kind: 'non-zero-exit', code: 1 } } as const;

describe('Engine: retries and timeouts', () => {
  it('retries a failing node as new attempts, each started once', async () => {
    const h = await harness({
      script: (ctx) =>
        ctx.attempt < 3 ? { duration: 1_000, outcome: exit1 } : { duration: 1_000 },
    });
    await h.engine.submit(
      workflowOf('flaky', [
        fakeNode('flaky', {
          retry: {
            attempts: 5,
            on: ['non-zero-exit'],
            backoff: { initial: 10, factor: 2, max: 600 },
          },
        }),
      ]),
    );
    await h.run(h.allFinished);
    expect(await h.outcome('flaky')).toBe('successful from verified-success');
    expect((await h.node('flaky')).attempt).toBe(3);
    for (const attempt of [1, 2, 3]) {
      expect(h.cluster.submissions(`ketrew-flaky-a${attempt}`)).toBe(1);
    }
    const second = h.cluster.findByName('ketrew-flaky-a2')!;
    const first = h.cluster.findByName('ketrew-flaky-a1')!;
    expect(second.startedAt - first.startedAt).toBeGreaterThanOrEqual(1_000 + 10_000);
  });

  it('gives up once the retry policy has no attempt left', async () => {
    const h = await harness({ script: () => ({ outcome: exit1 }) });
    await h.engine.submit(
      workflowOf('broken', [
        fakeNode('broken', { retry: { attempts: 2, backoff: { initial: 1 } } }),
      ]),
    );
    await h.run(h.allFinished);
    expect(await h.outcome('broken')).toBe('failed from failed-running');
    expect(h.cluster.jobs()).toHaveLength(2);
  });

  it('kills a job past its timeout, with reason timeout', async () => {
    const h = await harness({ script: () => ({ duration: 3_600_000 }) });
    await h.engine.submit(workflowOf('slow', [fakeNode('slow', { timeout: 30 })]));
    await h.run(h.allFinished);
    expect((await h.node('slow')).state).toMatchObject({
      kind: 'finished',
      from: 'killed',
      reason: { kind: 'timeout', seconds: 30 },
    });
    const job = h.cluster.findByName('ketrew-slow-a1')!;
    expect(h.cluster.status(job)).toEqual({ kind: 'killed', at: job.startedAt + 30_000 });
  });

  it('fails a lost job explicitly, never re-running it', async () => {
    const h = await harness({ script: () => ({ duration: 5_000, outcome: 'lost' }) });
    await h.engine.submit(workflowOf('ghost', [fakeNode('ghost')]));
    await h.run(h.allFinished);
    expect((await h.node('ghost')).state).toMatchObject({
      from: 'failed-running',
      reason: { kind: 'lost' },
    });
    expect(h.cluster.jobs()).toHaveLength(1);
  });
});

describe('Engine: recoverable errors, counted in every phase', () => {
  it('retries a recoverable start error with backoff, then runs', async () => {
    const h = await harness({
      script: () => ({ startError: { recoverable: true, message: 'scheduler busy', times: 2 } }),
    });
    await h.engine.submit(workflowOf('n', [fakeNode('n')]));
    await h.run(h.allFinished);
    expect(await h.outcome('n')).toBe('successful from verified-success');
    const messages = (await h.store.getHistory('n')).map((e) => e.message).filter(Boolean);
    expect(messages).toHaveLength(2);
    expect(messages[0]).toContain('scheduler busy');
    expect(h.cluster.submissions('ketrew-n-a1')).toBe(1);
  });

  it('finds the job when the answer to a successful start was lost', async () => {
    const h = await harness({
      script: () => ({
        duration: 2_000,
        errorAfterSubmit: { recoverable: true, message: 'timeout', times: 1 },
      }),
    });
    await h.engine.submit(workflowOf('n', [fakeNode('n')]));
    await h.run(h.allFinished);
    expect(await h.outcome('n')).toBe('successful from verified-success');
    expect(h.cluster.submissions('ketrew-n-a1')).toBe(1);
  });

  it.each([
    ['start', { startError: { recoverable: true, message: 'down' } }, 'failed-to-start'],
    [
      'poll',
      { duration: 3_600_000, pollErrors: { recoverable: true, message: 'down' } },
      'failed-running',
    ],
  ] as const)(
    'gives up after maximumSuccessiveAttempts recoverable %s errors',
    async (_, script, from) => {
      const h = await harness({
        script: () => script,
        config: { core: { maximumSuccessiveAttempts: 4 } },
      });
      await h.engine.submit(workflowOf('n', [fakeNode('n')]));
      await h.run(h.allFinished);
      const state = (await h.node('n')).state;
      expect(state).toMatchObject({ kind: 'finished', outcome: 'failed', from });
      const retried = (await h.store.getHistory('n')).filter((e) =>
        e.message?.includes('recoverable'),
      );
      expect(retried).toHaveLength(3);
    },
  );

  it('fails at once on a fatal start error', async () => {
    const h = await harness({
      script: () => ({ startError: { recoverable: false, message: 'bad queue' } }),
    });
    await h.engine.submit(workflowOf('n', [fakeNode('n')]));
    await h.run(h.allFinished);
    expect((await h.node('n')).state).toMatchObject({
      from: 'failed-to-start',
      reason: { kind: 'start-failed', message: expect.stringContaining('bad queue') },
    });
  });

  it('kills the job of a node that fails on a fatal poll error (it may still be running)', async () => {
    const h = await harness({
      script: () => ({ duration: 3_600_000, pollErrors: { recoverable: false, message: 'gone' } }),
    });
    await h.engine.submit(workflowOf('n', [fakeNode('n')]));
    await h.run(h.allFinished);
    expect((await h.node('n')).state).toMatchObject({
      from: 'failed-running',
      reason: { kind: 'backend-error', message: expect.stringContaining('gone') },
    });
    await h.run(() => h.engine.isIdle);
    const [job] = h.cluster.jobs();
    expect(job?.killCalls).toBe(1);
    expect(h.cluster.status(job as FakeJob).kind).toBe('killed');
  });

  it('counts recoverable errors of condition checks, then fails to evaluate', async () => {
    const transport = new FakeTransport();
    transport.unreachable = true;
    const h = await harness({ transport, config: { core: { maximumSuccessiveAttempts: 3 } } });
    await h.engine.submit(workflowOf('n', [fakeNode('n', { condition: fileExists('/x/y') })]));
    await h.run(h.allFinished);
    expect(await h.outcome('n')).toBe('failed from failed-to-eval-condition');
    expect(h.cluster.jobs()).toHaveLength(0);
  });

  it('recovers when the host comes back before the limit', async () => {
    const transport = new FakeTransport({ files: { '/x/y': 'done' } });
    transport.unreachable = true;
    const h = await harness({ transport });
    await h.engine.submit(workflowOf('n', [fakeNode('n', { condition: fileExists('/x/y') })]));
    await h.run(async () => (await h.node('n')).successiveErrors === 2);
    transport.unreachable = false;
    await h.run(h.allFinished);
    expect(await h.outcome('n')).toBe('successful from already-done');
  });
});
