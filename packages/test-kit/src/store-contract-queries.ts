import type { EngineNode, NodeFilter, Store } from '@ketrew/engine';
import { conditionKey } from '@ketrew/engine';
import { expect, it } from 'vitest';
import type { StoreContractContext } from './store-contract.js';
import { applyMoves, idsOf, insertFixture } from './store-contract-helpers.js';
import {
  FIXTURE_T0,
  buildNodeSpec,
  buildWorkflow,
  fileExists,
  moveTo,
  pipelineWorkflow,
} from './store-fixtures.js';

const T_MOVE = FIXTURE_T0 + 5_000;
const T_Q2 = FIXTURE_T0 + 10_000;
const T_LATE = FIXTURE_T0 + 20_000;

function byId(nodes: readonly EngineNode[], id: string): EngineNode {
  const node = nodes.find((n) => n.id === id);
  if (node === undefined) throw new Error(`fixture has no node ${id}`);
  return node;
}

/**
 * Nine nodes in two workflows: wf-q1 (the pipeline, at T0; align running, call successful,
 * notify failed, report active, cleanup passive) and wf-q2 (four nodes at T0+10s whose names
 * and ids hold SQL wildcards; c successful).
 */
async function seedQueryNodes(store: Store): Promise<void> {
  const q1 = pipelineWorkflow('wf-q1');
  await insertFixture(store, q1);
  await applyMoves(store, [
    moveTo(
      byId(q1.nodes, 'wf-q1.align'),
      { kind: 'running', jobName: 'j', run: {}, since: 1 },
      T_MOVE,
    ),
    moveTo(
      byId(q1.nodes, 'wf-q1.call'),
      { kind: 'finished', outcome: 'successful', from: 'verified-success' },
      T_MOVE,
    ),
    moveTo(
      byId(q1.nodes, 'wf-q1.notify'),
      {
        kind: 'failed-running',
        reason: { kind: 'lost', message: 'the process vanished' },
      },
      T_MOVE,
    ),
  ]);
  const q2 = buildWorkflow({
    id: 'wf-q2',
    time: T_Q2,
    nodes: [
      buildNodeSpec({ id: 'wf-q2.a_1', name: '100% sure', tags: ['x', 'y'] }),
      buildNodeSpec({ id: 'wf-q2.ab1', name: '100 percent', tags: ['x'] }),
      buildNodeSpec({ id: 'wf-q2.c', name: 'snake_case', tags: ['y'] }),
      buildNodeSpec({ id: 'wf-q2.d', name: 'snakeXcase PLAIN Name' }),
    ],
  });
  await insertFixture(store, q2);
  await applyMoves(store, [
    moveTo(byId(q2.nodes, 'wf-q2.c'), { kind: 'verified-success' }, T_LATE),
  ]);
}

const Q1 = ['wf-q1.align', 'wf-q1.call', 'wf-q1.cleanup', 'wf-q1.notify', 'wf-q1.report'];
const Q2 = ['wf-q2.a_1', 'wf-q2.ab1', 'wf-q2.c', 'wf-q2.d'];

/** Filter → the ids it selects, in `queryNodes` order (creation time, then id). */
const FILTER_CASES: readonly (readonly [string, NodeFilter, readonly string[]])[] = [
  ['no filter', {}, [...Q1, ...Q2]],
  [
    'status activable',
    { status: ['activable'] },
    ['wf-q1.cleanup', 'wf-q2.a_1', 'wf-q2.ab1', 'wf-q2.d'],
  ],
  ['status in-progress', { status: ['in-progress'] }, ['wf-q1.align', 'wf-q1.report']],
  ['status successful (finished or not)', { status: ['successful'] }, ['wf-q1.call', 'wf-q2.c']],
  [
    'two statuses',
    { status: ['failed', 'in-progress'] },
    ['wf-q1.align', 'wf-q1.notify', 'wf-q1.report'],
  ],
  ['an empty status list', { status: [] }, []],
  ['states', { states: ['running', 'verified-success'] }, ['wf-q1.align', 'wf-q2.c']],
  ['a tag', { tags: ['x'] }, ['wf-q2.a_1', 'wf-q2.ab1']],
  ['every tag', { tags: ['x', 'y'] }, ['wf-q2.a_1']],
  ['a unicode tag', { tags: ['étape-finale'] }, ['wf-q1.report']],
  ['an empty tag list', { tags: [] }, [...Q1, ...Q2]],
  ['name, ASCII case ignored', { nameContains: 'plain NAME' }, ['wf-q2.d']],
  ['name with a literal %', { nameContains: '0%' }, ['wf-q2.a_1']],
  ['name with a literal _', { nameContains: 'e_c' }, ['wf-q2.c']],
  ['unicode name', { nameContains: 'séquençage 🧬' }, ['wf-q1.report']],
  ['id prefix with a literal _', { idPrefix: 'wf-q2.a_' }, ['wf-q2.a_1']],
  ['id prefix is case-sensitive', { idPrefix: 'WF-Q1.' }, []],
  ['id prefix', { idPrefix: 'wf-q1.' }, Q1],
  ['ids', { ids: ['wf-q2.c', 'missing', 'wf-q1.align'] }, ['wf-q1.align', 'wf-q2.c']],
  ['an empty id list', { ids: [] }, []],
  ['workflow', { workflowId: 'wf-q2' }, Q2],
  ['created after (inclusive)', { createdAfter: T_Q2 }, Q2],
  ['created before (inclusive)', { createdBefore: FIXTURE_T0 }, Q1],
  ['created between, nothing', { createdAfter: FIXTURE_T0 + 1, createdBefore: T_Q2 - 1 }, []],
  ['updated after (inclusive)', { updatedAfter: T_LATE }, ['wf-q2.c']],
  ['updated before (inclusive)', { updatedBefore: T_MOVE }, Q1],
  [
    'updated between',
    { updatedAfter: T_MOVE + 1, updatedBefore: T_Q2 },
    ['wf-q2.a_1', 'wf-q2.ab1', 'wf-q2.d'],
  ],
  ['activated by the user', { activatedByUser: true }, ['wf-q1.report']],
  [
    'not activated by the user',
    { activatedByUser: false },
    [...Q1.filter((id) => id !== 'wf-q1.report'), ...Q2],
  ],
  [
    'workflow and status',
    { workflowId: 'wf-q1', status: ['in-progress', 'failed'] },
    ['wf-q1.align', 'wf-q1.notify', 'wf-q1.report'],
  ],
  ['tag and status', { tags: ['y'], status: ['activable'] }, ['wf-q2.a_1']],
  ['name and update time', { nameContains: 'SNAKE', updatedAfter: T_LATE }, ['wf-q2.c']],
  ['ids and workflow', { ids: ['wf-q1.call', 'wf-q2.c'], workflowId: 'wf-q2' }, ['wf-q2.c']],
];

/** queryNodes, pagination, countByStatus, findEquivalent, getReverseEdges. */
export function describeQueryContract({ store, section }: StoreContractContext): void {
  section('query', 'queryNodes filters', () => {
    for (const [what, filter, expected] of FILTER_CASES) {
      it(`selects by ${what}`, async () => {
        await seedQueryNodes(store());
        const page = await store().queryNodes(filter, { limit: 100 });
        expect(idsOf(page.nodes)).toEqual(expected);
        expect(page.total).toBe(expected.length);
        expect(page.next).toBeNull();
      });
    }

    it('rejects a limit outside 1..1000 and a cursor it did not make', async () => {
      await expect(store().queryNodes({}, { limit: 0 })).rejects.toThrow();
      await expect(store().queryNodes({}, { limit: 1001 })).rejects.toThrow();
      await expect(store().queryNodes({}, { limit: 1.5 })).rejects.toThrow();
      await expect(store().queryNodes({}, { limit: 10, after: 'not a cursor' })).rejects.toThrow();
    });
  });

  section('pagination', 'queryNodes pagination', () => {
    async function seedPages(): Promise<string[]> {
      // Inserted out of order, with ties on creation time broken by id.
      for (const [id, time, count] of [
        ['wf-p3', FIXTURE_T0 + 300, 4],
        ['wf-p1', FIXTURE_T0 + 100, 5],
        ['wf-p2', FIXTURE_T0 + 200, 3],
      ] as const) {
        const nodes = Array.from({ length: count }, (_, i) =>
          buildNodeSpec({ id: `${id}.n${count - i}` }),
        );
        await insertFixture(store(), buildWorkflow({ id, nodes, time }));
      }
      return ['wf-p1', 'wf-p2', 'wf-p3'].flatMap((id) => {
        const count = id === 'wf-p1' ? 5 : id === 'wf-p2' ? 3 : 4;
        return Array.from({ length: count }, (_, i) => `${id}.n${i + 1}`);
      });
    }

    it('orders by creation time then id, and pages without gaps or repeats', async () => {
      const expected = await seedPages();
      const seen: string[] = [];
      let after: string | undefined;
      let pages = 0;
      for (;;) {
        const page = await store().queryNodes({}, { limit: 5, after });
        pages += 1;
        expect(page.total).toBe(12);
        expect(page.nodes.length).toBeLessThanOrEqual(5);
        seen.push(...idsOf(page.nodes));
        if (page.next === null) break;
        after = page.next;
      }
      expect(seen).toEqual(expected);
      expect(pages).toBe(3);
    });

    it('returns next = null on a full last page', async () => {
      await seedPages();
      const first = await store().queryNodes({}, { limit: 6 });
      expect(first.next).not.toBeNull();
      const second = await store().queryNodes({}, { limit: 6, after: first.next ?? undefined });
      expect(second.nodes).toHaveLength(6);
      expect(second.next).toBeNull();
      const all = await store().queryNodes({}, { limit: 12 });
      expect(all.next).toBeNull();
    });

    it('pages a filter, with its own total', async () => {
      await seedPages();
      const filter: NodeFilter = { idPrefix: 'wf-p1.' };
      const first = await store().queryNodes(filter, { limit: 2 });
      const second = await store().queryNodes(filter, { limit: 2, after: first.next ?? undefined });
      const third = await store().queryNodes(filter, { limit: 2, after: second.next ?? undefined });
      expect([first, second, third].map((p) => idsOf(p.nodes))).toEqual([
        ['wf-p1.n1', 'wf-p1.n2'],
        ['wf-p1.n3', 'wf-p1.n4'],
        ['wf-p1.n5'],
      ]);
      expect([first.total, second.total, third.total]).toEqual([5, 5, 5]);
      expect(third.next).toBeNull();
    });

    it('neither repeats nor skips nodes when others are inserted and updated between pages', async () => {
      const original = await seedPages();
      const first = await store().queryNodes({}, { limit: 5 });
      // Before the cursor: must not shift later pages. After it: must show up once.
      const early = buildWorkflow({
        id: 'wf-early',
        time: FIXTURE_T0,
        nodes: [buildNodeSpec({ id: 'wf-early.a' })],
      });
      const late = buildWorkflow({
        id: 'wf-late',
        time: FIXTURE_T0 + 900,
        nodes: [buildNodeSpec({ id: 'wf-late.a' })],
      });
      await insertFixture(store(), early);
      await insertFixture(store(), late);
      const [moved] = await store().getNodes(['wf-p3.n1']);
      if (moved === undefined) throw new Error('wf-p3.n1 is missing');
      await applyMoves(store(), [
        moveTo(moved, { kind: 'active', by: { kind: 'user' } }, FIXTURE_T0 + 1_000),
      ]);
      const seen = [...idsOf(first.nodes)];
      let after = first.next ?? undefined;
      while (after !== undefined) {
        const page = await store().queryNodes({}, { limit: 5, after });
        expect(page.total).toBe(14);
        seen.push(...idsOf(page.nodes));
        after = page.next ?? undefined;
      }
      expect(seen).toEqual([...original, 'wf-late.a']);
    });
  });

  section('counts', 'countByStatus', () => {
    it('counts every simple status, zeros included', async () => {
      expect(await store().countByStatus({})).toEqual({
        activable: 0,
        'in-progress': 0,
        successful: 0,
        failed: 0,
      });
      await seedQueryNodes(store());
      expect(await store().countByStatus({})).toEqual({
        activable: 4,
        'in-progress': 2,
        successful: 2,
        failed: 1,
      });
      expect(await store().countByStatus({ workflowId: 'wf-q2' })).toEqual({
        activable: 3,
        'in-progress': 0,
        successful: 1,
        failed: 0,
      });
      expect(await store().countByStatus({ tags: ['cluster'], status: ['successful'] })).toEqual({
        activable: 0,
        'in-progress': 0,
        successful: 1,
        failed: 0,
      });
    });
  });

  section('equivalence', 'findEquivalent', () => {
    const shared = fileExists('/data/shared/result.txt');
    const other = fileExists('/data/other/result.txt');
    const sharedKey = conditionKey(shared) as string;
    const otherKey = conditionKey(other) as string;

    async function seedEquivalents(): Promise<readonly EngineNode[]> {
      const names = ['passive', 'active', 'building', 'running', 'none', 'merged', 'finished'];
      const fixture = buildWorkflow({
        id: 'wf-eq',
        nodes: [
          ...names.map((name) =>
            buildNodeSpec({
              id: `eq.${name}`,
              condition: shared,
              equivalence: name === 'none' ? 'none' : 'same-active-condition',
            }),
          ),
          buildNodeSpec({ id: 'eq.other', condition: other }),
          buildNodeSpec({ id: 'eq.nothing', condition: null }),
        ],
        states: {
          'eq.active': { kind: 'active', by: { kind: 'user' } },
          'eq.building': { kind: 'building' },
          'eq.running': { kind: 'running', jobName: 'j', run: {}, since: 1 },
          'eq.finished': { kind: 'finished', outcome: 'successful', from: 'already-done' },
        },
      });
      const nodes = fixture.nodes.map((node) =>
        node.id === 'eq.merged' ? { ...node, equivalentTo: 'eq.passive' } : node,
      );
      await insertFixture(store(), { ...fixture, nodes });
      return nodes;
    }

    it('finds the passive, active and building nodes with that condition', async () => {
      const nodes = await seedEquivalents();
      const found = await store().findEquivalent([sharedKey]);
      expect(found).toEqual(
        ['eq.active', 'eq.building', 'eq.passive'].map((id) => byId(nodes, id)),
      );
      expect(idsOf(await store().findEquivalent([otherKey]))).toEqual(['eq.other']);
      expect(idsOf(await store().findEquivalent([otherKey, sharedKey, otherKey]))).toEqual([
        'eq.active',
        'eq.building',
        'eq.other',
        'eq.passive',
      ]);
      expect(await store().findEquivalent([])).toEqual([]);
      expect(await store().findEquivalent(['{"kind":"unknown"}'])).toEqual([]);
    });

    it('follows state changes', async () => {
      const nodes = await seedEquivalents();
      await applyMoves(store(), [
        moveTo(byId(nodes, 'eq.passive'), { kind: 'starting', jobName: 'j' }, FIXTURE_T0 + 1),
        moveTo(
          byId(nodes, 'eq.running'),
          { kind: 'active', by: { kind: 'restart' } },
          FIXTURE_T0 + 1,
          {
            attempt: 2,
          },
        ),
        moveTo(byId(nodes, 'eq.active'), { kind: 'active', by: { kind: 'user' } }, FIXTURE_T0 + 1, {
          equivalentTo: 'eq.building',
        }),
      ]);
      expect(idsOf(await store().findEquivalent([sharedKey]))).toEqual([
        'eq.building',
        'eq.running',
      ]);
    });
  });

  section('reverse-edges', 'getReverseEdges', () => {
    it('names the nodes pointing at a node, by kind of edge, sorted, across workflows', async () => {
      await insertFixture(store(), pipelineWorkflow('wf-g'));
      await insertFixture(
        store(),
        buildWorkflow({
          id: 'wf-h',
          time: FIXTURE_T0 + 1,
          nodes: [
            buildNodeSpec({
              id: 'wf-h.user',
              dependsOn: ['wf-g.align'],
              onFailureActivate: ['wf-g.notify'],
            }),
          ],
        }),
      );
      expect(await store().getReverseEdges('wf-g.align')).toEqual({
        dependedOnBy: ['wf-g.call', 'wf-g.report', 'wf-h.user'],
        activatedOnSuccessOf: [],
        activatedOnFailureOf: [],
      });
      expect(await store().getReverseEdges('wf-g.notify')).toEqual({
        dependedOnBy: [],
        activatedOnSuccessOf: ['wf-g.report'],
        activatedOnFailureOf: ['wf-h.user'],
      });
      expect(await store().getReverseEdges('wf-g.cleanup')).toEqual({
        dependedOnBy: [],
        activatedOnSuccessOf: [],
        activatedOnFailureOf: ['wf-g.report'],
      });
      const none = { dependedOnBy: [], activatedOnSuccessOf: [], activatedOnFailureOf: [] };
      expect(await store().getReverseEdges('wf-g.report')).toEqual(none);
      expect(await store().getReverseEdges('missing')).toEqual(none);
    });
  });
}
