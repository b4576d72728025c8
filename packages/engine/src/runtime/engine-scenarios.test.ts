import { describe, expect, it } from 'vitest';
import { FakeTransport } from '../testing/fake-transport.js';
import { harness } from './test-harness.js';
import { fakeNode, fileExists, noopNode, workflowOf } from './test-workflows.js';

// The example workflows of the original Ketrew (KETREW.md), run end to end on virtual time.
describe('Engine: the original examples', () => {
  it('runs a two-node chain: the dependency first, then the node', async () => {
    const h = await harness({ script: () => ({ duration: 5_000 }) });
    await h.engine.submit(
      workflowOf('second', [fakeNode('first'), fakeNode('second', { dependsOn: ['first'] })]),
    );
    await h.run(h.allFinished);
    expect(await h.outcome('first')).toBe('successful from verified-success');
    expect(await h.outcome('second')).toBe('successful from verified-success');
    const [first, second] = ['first', 'second'].map((id) =>
      h.cluster.findByName(`ketrew-${id}-a1`),
    );
    expect(second!.startedAt).toBeGreaterThanOrEqual(first!.startedAt + 5_000);
  });

  it('fails a node whose product never appears, and its dependent because of it', async () => {
    const h = await harness();
    await h.engine.submit(
      workflowOf('report', [
        fakeNode('make-product', { condition: fileExists('/data/product.txt') }),
        fakeNode('report', { dependsOn: ['make-product'] }),
      ]),
    );
    await h.run(h.allFinished);
    const product = (await h.node('make-product')).state;
    expect(product).toMatchObject({
      kind: 'finished',
      outcome: 'failed',
      from: 'did-not-ensure-condition',
      reason: { kind: 'condition-not-ensured' },
    });
    expect((await h.node('report')).state).toMatchObject({
      kind: 'finished',
      outcome: 'failed',
      from: 'dependencies-failed',
      reason: { kind: 'dependency-failed', ids: ['make-product'] },
    });
    expect(h.cluster.submissions('ketrew-report-a1')).toBe(0);
    const history = (await h.store.getHistory('make-product')).map((e) => e.state.kind);
    expect(history).toEqual([
      'passive',
      'active',
      'building',
      'starting',
      'running',
      'ran-successfully',
      'did-not-ensure-condition',
      'finished',
    ]);
  });

  it('skips a node whose product is already there (make-like)', async () => {
    const transport = new FakeTransport({ files: { '/data/done.txt': 'ok' } });
    const h = await harness({ transport });
    await h.engine.submit(
      workflowOf('n', [fakeNode('n', { condition: fileExists('/data/done.txt') })]),
    );
    await h.run(h.allFinished);
    expect(await h.outcome('n')).toBe('successful from already-done');
    expect(h.cluster.jobs()).toHaveLength(0);
  });

  it('runs the backup DAG, with its on-success clean-up', async () => {
    const transport = new FakeTransport();
    const files: Record<string, string> = {
      tar: '/backup/home.tgz',
      md5: '/backup/home.md5',
      gpg: '/backup/home.tgz.gpg',
    };
    const h = await harness({
      transport,
      script: (ctx) => {
        const product = files[ctx.nodeId];
        if (product !== undefined) {
          h.clock.setTimer(h.clock.now() + 2_000, () => void transport.writeFile(product, 'x'));
        }
        if (ctx.nodeId === 'clean-up') {
          h.clock.setTimer(h.clock.now() + 1_000, () => transport.remove(files['tar'] as string));
        }
        return { duration: 2_000 };
      },
    });
    await h.engine.submit(
      workflowOf('backup', [
        fakeNode('tar', { condition: fileExists(files['tar'] as string) }),
        fakeNode('md5', { condition: fileExists(files['md5'] as string), dependsOn: ['tar'] }),
        fakeNode('gpg', {
          condition: fileExists(files['gpg'] as string),
          dependsOn: ['tar', 'md5'],
          onSuccessActivate: ['clean-up'],
        }),
        fakeNode('clean-up'),
        noopNode('backup', { dependsOn: ['tar', 'md5', 'gpg'] }),
      ]),
    );
    await h.run(h.allFinished);
    for (const id of ['tar', 'md5', 'gpg', 'clean-up']) {
      expect(await h.outcome(id)).toBe('successful from verified-success');
    }
    expect(await h.outcome('backup')).toBe('successful from verified-success');
    expect(await transport.stat('/backup/home.tgz')).toBeNull();
    expect(await transport.stat('/backup/home.tgz.gpg')).not.toBeNull();
    const started = (id: string) => h.cluster.findByName(`ketrew-${id}-a1`)!.startedAt;
    expect(started('md5')).toBeGreaterThan(started('tar'));
    expect(started('gpg')).toBeGreaterThan(started('md5'));
    expect(started('clean-up')).toBeGreaterThan(started('gpg'));
  });

  it.each([
    ['succeeds', 'succeeded', 'mail-ok', 'mail-ko'],
    ['fails', { failed: { kind: 'non-zero-exit', code: 2 } }, 'mail-ko', 'mail-ok'],
  ] as const)(
    'notifies on success or failure: when the command %s',
    async (_, outcome, notified, orphan) => {
      const h = await harness({
        script: (ctx) => (ctx.nodeId === 'command' ? { duration: 1_000, outcome } : {}),
        config: { orphanCheckIntervalMs: 60_000 },
      });
      await h.engine.submit(
        workflowOf('command', [
          fakeNode('command', { onSuccessActivate: ['mail-ok'], onFailureActivate: ['mail-ko'] }),
          fakeNode('mail-ok'),
          fakeNode('mail-ko'),
        ]),
      );
      await h.run(h.allFinished);
      expect(await h.outcome(notified)).toBe('successful from verified-success');
      expect(h.cluster.submissions(`ketrew-${notified}-a1`)).toBe(1);
      expect((await h.node(orphan)).state).toMatchObject({
        kind: 'finished',
        outcome: 'failed',
        from: 'killed',
      });
      expect(h.cluster.submissions(`ketrew-${orphan}-a1`)).toBe(0);
    },
  );
});
