import type { EngineNode } from '@ketrew/engine';
import { expect, it } from 'vitest';
import type { StoreContractContext } from './store-contract.js';
import {
  allChanges,
  applyMoves,
  expectStoreError,
  idsOf,
  insertFixture,
  sortedIds,
} from './store-contract-helpers.js';
import {
  FIXTURE_T0,
  buildNodeSpec,
  buildWorkflow,
  moveTo,
  pipelineWorkflow,
} from './store-fixtures.js';

const T1 = FIXTURE_T0 + 1_000;
const T2 = FIXTURE_T0 + 2_000;

function nodeOf(nodes: readonly EngineNode[], id: string): EngineNode {
  const node = nodes.find((n) => n.id === id);
  if (node === undefined) throw new Error(`fixture has no node ${id}`);
  return node;
}

/** migrate, insertWorkflow, applyTransitions, loadUnfinished. */
export function describeWriteContract({ store, section }: StoreContractContext): void {
  section('migrate', 'migrate', () => {
    it('starts empty', async () => {
      expect(await store().loadUnfinished()).toEqual([]);
      expect(await store().queryNodes({}, { limit: 10 })).toEqual({
        nodes: [],
        next: null,
        total: 0,
      });
      expect(await store().changesSince(0, 10)).toEqual([]);
      expect(await store().getWorkflow('nothing')).toBeNull();
    });

    it('is idempotent and keeps what is stored', async () => {
      const fixture = pipelineWorkflow('wf-m');
      await insertFixture(store(), fixture);
      await store().migrate();
      await store().migrate();
      expect(await store().getNodes(idsOf(fixture.nodes))).toEqual(fixture.nodes);
      expect(await store().getWorkflow('wf-m')).toEqual(fixture.workflow);
    });
  });

  section('insert', 'insertWorkflow and reads by id', () => {
    it('round-trips the workflow, every node field and the history', async () => {
      const fixture = pipelineWorkflow('wf-1');
      await insertFixture(store(), fixture);
      expect(await store().getWorkflow('wf-1')).toEqual(fixture.workflow);
      expect(await store().getNodes(idsOf(fixture.nodes))).toEqual(fixture.nodes);
      for (const node of fixture.nodes) {
        expect(await store().getHistory(node.id)).toEqual(
          fixture.history.filter((entry) => entry.nodeId === node.id),
        );
      }
    });

    it('keeps unicode, free JSON metadata, and null apart from absent', async () => {
      const fixture = pipelineWorkflow('wf-u');
      await insertFixture(store(), fixture);
      const [report, align, call] = await store().getNodes([
        'wf-u.report',
        'wf-u.align',
        'wf-u.call',
      ]);
      expect(report?.spec.name).toBe('Rapport final — séquençage 🧬 配列');
      expect(report?.spec.tags).toEqual(['report', 'étape-finale']);
      expect(report?.spec.metadata).toEqual({
        owner: 'Zoë',
        priority: 2.5,
        samples: ['s1', 's2'],
        nested: { ok: true },
      });
      expect(align?.spec.metadata).toBe('a free string');
      expect(call?.spec.metadata).toBeNull();
      expect(call?.equivalentTo).toBeNull();
      expect(call?.spec.timeout).toBeNull();
      expect(report?.state).toEqual({ kind: 'active', by: { kind: 'user' } });
      expect(Object.keys(report?.state ?? {}).sort()).toEqual(['by', 'kind']);
    });

    it('returns nodes in the order asked, skipping missing ids and repeats', async () => {
      await insertFixture(store(), pipelineWorkflow('wf-o'));
      const nodes = await store().getNodes(['wf-o.notify', 'missing', 'wf-o.align', 'wf-o.notify']);
      expect(idsOf(nodes)).toEqual(['wf-o.notify', 'wf-o.align']);
      expect(await store().getNodes([])).toEqual([]);
      expect(await store().getHistory('missing')).toEqual([]);
    });

    it('appends one change per inserted node', async () => {
      const fixture = pipelineWorkflow('wf-c');
      await insertFixture(store(), fixture);
      const changes = await allChanges(store());
      expect(changes.map((c) => c.nodeId).sort()).toEqual(sortedIds(fixture.nodes));
      const report = changes.find((c) => c.nodeId === 'wf-c.report');
      expect(report).toMatchObject({ state: 'active', time: FIXTURE_T0 });
    });

    const rejected = {
      'a node id that already exists': () => {
        const fixture = buildWorkflow({
          id: 'wf-bad',
          nodes: [buildNodeSpec({ id: 'wf-bad.a' }), buildNodeSpec({ id: 'wf-ok.a' })],
        });
        return fixture;
      },
      'the same node id twice': () =>
        buildWorkflow({
          id: 'wf-bad',
          nodes: [buildNodeSpec({ id: 'wf-bad.a' }), buildNodeSpec({ id: 'wf-bad.a' })],
        }),
      'a workflow id that already exists': () =>
        buildWorkflow({ id: 'wf-ok', nodes: [buildNodeSpec({ id: 'wf-bad.a' })] }),
      'a node of another workflow': () => {
        const fixture = buildWorkflow({ id: 'wf-bad', nodes: [buildNodeSpec({ id: 'wf-bad.a' })] });
        const nodes = fixture.nodes.map((node) => ({ ...node, workflowId: 'wf-elsewhere' }));
        return { ...fixture, nodes };
      },
      'history of a node not in the workflow': () => {
        const fixture = buildWorkflow({ id: 'wf-bad', nodes: [buildNodeSpec({ id: 'wf-bad.a' })] });
        const stray = { ...fixture.history[0], nodeId: 'wf-ok.a' } as (typeof fixture.history)[0];
        return { ...fixture, history: [...fixture.history, stray] };
      },
    };
    for (const [what, build] of Object.entries(rejected)) {
      it(`throws a StoreError and writes nothing for ${what}`, async () => {
        const ok = buildWorkflow({ id: 'wf-ok', nodes: [buildNodeSpec({ id: 'wf-ok.a' })] });
        await insertFixture(store(), ok);
        const changesBefore = await allChanges(store());
        const bad = build();
        await expectStoreError(insertFixture(store(), bad));
        expect(await store().getNodes(['wf-bad.a'])).toEqual([]);
        expect(await store().getHistory('wf-bad.a')).toEqual([]);
        expect(await store().getWorkflow('wf-bad')).toBeNull();
        expect(await store().getNodes(['wf-ok.a'])).toEqual(ok.nodes);
        expect(await store().getHistory('wf-ok.a')).toEqual(ok.history);
        expect(await store().getWorkflow('wf-ok')).toEqual(ok.workflow);
        expect(await allChanges(store())).toEqual(changesBefore);
        expect((await store().queryNodes({}, { limit: 10 })).total).toBe(1);
      });
    }
  });

  section('transitions', 'applyTransitions', () => {
    it('replaces the lifecycle, appends history in order, records one change per node', async () => {
      const fixture = pipelineWorkflow('wf-t');
      await insertFixture(store(), fixture);
      const align = nodeOf(fixture.nodes, 'wf-t.align');
      const call = nodeOf(fixture.nodes, 'wf-t.call');
      const before = (await allChanges(store())).length;
      const active = moveTo(
        align,
        { kind: 'active', by: { kind: 'dependency-of', id: 'wf-t.report' } },
        T1,
      );
      const building = moveTo(active.node, { kind: 'building' }, T1);
      const callActive = moveTo(call, { kind: 'active', by: { kind: 'success-of', id: 'x' } }, T1);
      await store().applyTransitions({
        nodes: [active.node, building.node, callActive.node],
        history: [active.entry, building.entry, callActive.entry],
      });
      expect(await store().getNodes(['wf-t.align', 'wf-t.call'])).toEqual([
        building.node,
        callActive.node,
      ]);
      expect(await store().getHistory('wf-t.align')).toEqual([
        ...fixture.history.filter((e) => e.nodeId === 'wf-t.align'),
        active.entry,
        building.entry,
      ]);
      const changes = (await allChanges(store())).slice(before);
      expect(changes.map((c) => [c.nodeId, c.state, c.time])).toEqual([
        ['wf-t.align', 'building', T1],
        ['wf-t.call', 'active', T1],
      ]);
    });

    it('keeps every attempt of the history, and reads one attempt', async () => {
      const fixture = pipelineWorkflow('wf-a');
      await insertFixture(store(), fixture);
      const start = nodeOf(fixture.nodes, 'wf-a.notify');
      const failed = moveTo(
        start,
        {
          kind: 'failed-running',
          reason: { kind: 'non-zero-exit', code: 2, command: 'false' },
          run: { pid: 42, log: '/tmp/KT/log' },
          nextAttemptAt: T2,
        },
        T1,
      );
      const retried = moveTo(
        failed.node,
        { kind: 'active', by: { kind: 'retry', previousAttempt: 1 } },
        T2,
        {
          attempt: 2,
        },
      );
      await applyMoves(store(), [failed]);
      await applyMoves(store(), [retried]);
      const all = await store().getHistory('wf-a.notify');
      expect(all.map((e) => [e.attempt, e.state.kind])).toEqual([
        [1, 'passive'],
        [1, 'failed-running'],
        [2, 'active'],
      ]);
      expect(await store().getHistory('wf-a.notify', { attempt: 2 })).toEqual([retried.entry]);
      expect(await store().getHistory('wf-a.notify', { attempt: 1 })).toEqual(all.slice(0, 2));
      expect(await store().getHistory('wf-a.notify', { attempt: 3 })).toEqual([]);
      const [stored] = await store().getNodes(['wf-a.notify']);
      expect(stored).toEqual(retried.node);
    });

    it('keeps id, workflow, spec and creation time from the insertion', async () => {
      const fixture = pipelineWorkflow('wf-i');
      await insertFixture(store(), fixture);
      const notify = nodeOf(fixture.nodes, 'wf-i.notify');
      const changed = {
        ...notify,
        spec: { ...notify.spec, name: 'renamed', tags: ['other'] },
        createdAt: 5,
        state: { kind: 'active', by: { kind: 'user' } },
        successiveErrors: 3,
        equivalentTo: 'wf-i.align',
        updatedAt: T1,
      } satisfies EngineNode;
      await store().applyTransitions({ nodes: [changed], history: [] });
      const [stored] = await store().getNodes(['wf-i.notify']);
      expect(stored).toEqual({ ...changed, spec: notify.spec, createdAt: notify.createdAt });
    });

    it('keeps null apart from absent inside states, and JSON of any size and depth', async () => {
      const fixture = pipelineWorkflow('wf-n');
      await insertFixture(store(), fixture);
      const [report, align, call] = fixture.nodes as EngineNode[];
      if (report === undefined || align === undefined || call === undefined) throw new Error();
      let deep: unknown = { leaf: [Number.MAX_SAFE_INTEGER, -1.5e-7, true, null, ''] };
      for (let i = 0; i < 40; i += 1) deep = { level: i, list: [deep] };
      const moves = [
        moveTo(
          report,
          { kind: 'killing', jobName: null, run: null, reason: { kind: 'killed' } },
          T1,
        ),
        moveTo(
          align,
          {
            kind: 'failed-to-start',
            reason: { kind: 'start-failed', message: 'x'.repeat(200_000) },
          },
          T1,
        ),
        moveTo(call, { kind: 'running', jobName: 'j', run: { deep, 'clé é': 'ü' }, since: T1 }, T1),
      ];
      await applyMoves(store(), moves);
      const stored = await store().getNodes([report.id, align.id, call.id]);
      expect(stored).toEqual(moves.map((m) => m.node));
      expect(stored[0]?.state).toMatchObject({ jobName: null, run: null });
      expect(Object.keys(stored[1]?.state ?? {}).sort()).toEqual(['kind', 'reason']);
      expect((await store().getHistory(call.id)).at(-1)).toEqual(moves[2]?.entry);
    });

    it('keeps the last version of a node given twice, with one change', async () => {
      const fixture = pipelineWorkflow('wf-2');
      await insertFixture(store(), fixture);
      const before = (await allChanges(store())).length;
      const notify = nodeOf(fixture.nodes, 'wf-2.notify');
      const first = moveTo(notify, { kind: 'active', by: { kind: 'user' } }, T1);
      const second = moveTo(first.node, { kind: 'building' }, T2);
      await applyMoves(store(), [first, second]);
      expect(await store().getNodes(['wf-2.notify'])).toEqual([second.node]);
      const changes = (await allChanges(store())).slice(before);
      expect(changes.map((c) => [c.nodeId, c.state, c.time])).toEqual([
        ['wf-2.notify', 'building', T2],
      ]);
    });

    it('does nothing for an empty batch', async () => {
      await insertFixture(store(), pipelineWorkflow('wf-e'));
      const before = await allChanges(store());
      await store().applyTransitions({ nodes: [], history: [] });
      expect(await allChanges(store())).toEqual(before);
    });

    it('throws a StoreError and applies nothing if a node was never inserted', async () => {
      const fixture = pipelineWorkflow('wf-x');
      await insertFixture(store(), fixture);
      const before = await allChanges(store());
      const known = moveTo(nodeOf(fixture.nodes, 'wf-x.notify'), { kind: 'building' }, T1);
      const ghost = moveTo({ ...known.node, id: 'wf-x.ghost' }, { kind: 'building' }, T1);
      await expectStoreError(applyMoves(store(), [known, ghost]));
      await expectStoreError(
        store().applyTransitions({ nodes: [known.node], history: [known.entry, ghost.entry] }),
      );
      expect(await store().getNodes(['wf-x.notify', 'wf-x.ghost'])).toEqual([
        nodeOf(fixture.nodes, 'wf-x.notify'),
      ]);
      expect(await store().getHistory('wf-x.notify')).toHaveLength(1);
      expect(await store().getHistory('wf-x.ghost')).toEqual([]);
      expect(await allChanges(store())).toEqual(before);
    });
  });

  section('unfinished', 'loadUnfinished', () => {
    it('returns every node not finished, whatever its state', async () => {
      const fixture = pipelineWorkflow('wf-l');
      await insertFixture(store(), fixture);
      const [report, align, call, notify, cleanup] = fixture.nodes as EngineNode[] as [
        EngineNode,
        EngineNode,
        EngineNode,
        EngineNode,
        EngineNode,
      ];
      await applyMoves(store(), [
        moveTo(align, { kind: 'running', jobName: 'j-1', run: { pid: 1 }, since: T1 }, T1),
        moveTo(call, { kind: 'finished', outcome: 'successful', from: 'verified-success' }, T1),
        moveTo(
          notify,
          {
            kind: 'finished',
            outcome: 'failed',
            reason: { kind: 'killed' },
            from: 'killed',
          },
          T1,
        ),
        moveTo(cleanup, { kind: 'killed', reason: { kind: 'killed' }, fromPassive: true }, T1),
      ]);
      const unfinished = await store().loadUnfinished();
      expect(sortedIds(unfinished)).toEqual(sortedIds([report, align, cleanup]));
      expect(unfinished.find((n) => n.id === align.id)?.state.kind).toBe('running');
    });

    it('sees a finished node again once it is restarted', async () => {
      const fixture = buildWorkflow({ id: 'wf-r', nodes: [buildNodeSpec({ id: 'wf-r.a' })] });
      await insertFixture(store(), fixture);
      const node = fixture.nodes[0] as EngineNode;
      const done = moveTo(
        node,
        {
          kind: 'finished',
          outcome: 'failed',
          from: 'failed-to-start',
          reason: { kind: 'start-failed', message: 'no' },
        },
        T1,
      );
      await applyMoves(store(), [done]);
      expect(await store().loadUnfinished()).toEqual([]);
      const again = moveTo(done.node, { kind: 'active', by: { kind: 'restart' } }, T2, {
        attempt: 2,
      });
      await applyMoves(store(), [again]);
      expect(await store().loadUnfinished()).toEqual([again.node]);
    });
  });
}
