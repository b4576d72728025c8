import type { EngineNode, UserCommand } from '@ketrew/engine';
import { StoreError } from '@ketrew/engine';
import { expect, it } from 'vitest';
import type { StoreContractContext } from './store-contract.js';
import { allChanges, applyMoves, idsOf, insertFixture } from './store-contract-helpers.js';
import {
  FIXTURE_T0,
  buildNodeSpec,
  buildWorkflow,
  moveTo,
  pipelineWorkflow,
} from './store-fixtures.js';

const COMMANDS: readonly UserCommand[] = [
  { kind: 'kill', ids: ['wf.a', 'wf.b'], recursive: true },
  { kind: 'restart', ids: ['wf.c'], subtree: false },
  { kind: 'kill', ids: [], recursive: false },
  { kind: 'restart', ids: ['wf.d', 'wf.é'], subtree: true },
];

function wideWorkflow(id: string, count: number, time = FIXTURE_T0) {
  const nodes = Array.from({ length: count }, (_, i) =>
    buildNodeSpec({ id: `${id}.n${String(i).padStart(4, '0')}` }),
  );
  return buildWorkflow({ id, nodes, time });
}

/** changesSince, enqueueCommand/takeCommands, and concurrent use. */
export function describeFeedContract({ store, section }: StoreContractContext): void {
  section('changes', 'changesSince', () => {
    it('hands out strictly increasing cursors, oldest first, greater than 0', async () => {
      const fixture = pipelineWorkflow('wf-f');
      await insertFixture(store(), fixture);
      await applyMoves(
        store(),
        fixture.nodes.map((node) => moveTo(node, { kind: 'building' }, FIXTURE_T0 + 1)),
      );
      const changes = await allChanges(store());
      expect(changes).toHaveLength(10);
      expect(changes[0]?.cursor).toBeGreaterThan(0);
      for (let i = 1; i < changes.length; i += 1) {
        expect(changes[i]?.cursor).toBeGreaterThan(changes[i - 1]?.cursor ?? Infinity);
      }
      expect(changes.slice(5).map((c) => [c.state, c.time])).toEqual(
        Array.from({ length: 5 }, () => ['building', FIXTURE_T0 + 1]),
      );
    });

    it('returns only what follows a cursor, at most `limit`', async () => {
      await insertFixture(store(), wideWorkflow('wf-w', 7));
      const all = await allChanges(store());
      const third = all[2];
      if (third === undefined) throw new Error('expected 7 changes');
      expect(await store().changesSince(third.cursor, 2)).toEqual(all.slice(3, 5));
      expect(await store().changesSince(third.cursor, 100)).toEqual(all.slice(3));
      const last = all[all.length - 1];
      expect(await store().changesSince(last?.cursor ?? 0, 10)).toEqual([]);
      const paged = [];
      let since = 0;
      for (;;) {
        const page = await store().changesSince(since, 2);
        expect(page.length).toBeLessThanOrEqual(2);
        if (page.length === 0) break;
        paged.push(...page);
        since = page[page.length - 1]?.cursor ?? since;
      }
      expect(paged).toEqual(all);
      await expect(store().changesSince(0, 0)).rejects.toThrow();
    });

    it('lets a follower see exactly the changes made after its cursor', async () => {
      const fixture = pipelineWorkflow('wf-live');
      await insertFixture(store(), fixture);
      const cursor = (await allChanges(store())).at(-1)?.cursor ?? 0;
      const [first, second] = fixture.nodes as EngineNode[];
      if (first === undefined || second === undefined) throw new Error('expected nodes');
      await applyMoves(store(), [moveTo(first, { kind: 'building' }, FIXTURE_T0 + 7)]);
      await applyMoves(store(), [moveTo(second, { kind: 'verified-success' }, FIXTURE_T0 + 8)]);
      const changes = await store().changesSince(cursor, 10);
      expect(changes.map((c) => [c.nodeId, c.state, c.time])).toEqual([
        [first.id, 'building', FIXTURE_T0 + 7],
        [second.id, 'verified-success', FIXTURE_T0 + 8],
      ]);
    });
  });

  section('commands', 'enqueueCommand and takeCommands', () => {
    it('queues commands and hands each out once, oldest first, at most `limit`', async () => {
      const ids: number[] = [];
      for (const [i, command] of COMMANDS.entries()) {
        ids.push(await store().enqueueCommand(command, FIXTURE_T0 + i));
      }
      expect([...ids].sort((a, b) => a - b)).toEqual(ids);
      expect(new Set(ids).size).toBe(ids.length);
      const first = await store().takeCommands(3);
      expect(first).toEqual(
        COMMANDS.slice(0, 3).map((command, i) => ({
          id: ids[i],
          command,
          queuedAt: FIXTURE_T0 + i,
        })),
      );
      const rest = await store().takeCommands(10);
      expect(rest).toEqual([{ id: ids[3], command: COMMANDS[3], queuedAt: FIXTURE_T0 + 3 }]);
      expect(await store().takeCommands(10)).toEqual([]);
      const later = await store().enqueueCommand(COMMANDS[0] as UserCommand, FIXTURE_T0 + 9);
      expect(later).toBeGreaterThan(ids[3] ?? Infinity);
      expect((await store().takeCommands(10)).map((c) => c.id)).toEqual([later]);
    });
  });

  section('concurrency', 'concurrent callers', () => {
    it('gives each queued command to exactly one of several concurrent takers', async () => {
      const ids: number[] = [];
      for (let i = 0; i < 12; i += 1) {
        ids.push(
          await store().enqueueCommand({ kind: 'kill', ids: [`n${i}`], recursive: false }, i),
        );
      }
      const taken = await Promise.all(Array.from({ length: 5 }, () => store().takeCommands(4)));
      const all = taken.flat().map((c) => c.id);
      expect([...all].sort((a, b) => a - b)).toEqual(ids);
    });

    it('applies concurrent batches on different nodes, each atomically', async () => {
      const fixture = wideWorkflow('wf-cc', 40);
      await insertFixture(store(), fixture);
      const before = (await allChanges(store())).length;
      const moves = fixture.nodes.map((node) => moveTo(node, { kind: 'building' }, FIXTURE_T0 + 1));
      await Promise.all(
        [0, 10, 20, 30].map((start) => applyMoves(store(), moves.slice(start, start + 10))),
      );
      expect((await store().queryNodes({ states: ['building'] }, { limit: 100 })).total).toBe(40);
      expect(await allChanges(store())).toHaveLength(before + 40);
    });

    it('lets exactly one of two concurrent inserts of the same node win', async () => {
      const a = buildWorkflow({
        id: 'wf-race-a',
        nodes: [buildNodeSpec({ id: 'shared.n' }), buildNodeSpec({ id: 'race-a.n' })],
      });
      const b = buildWorkflow({
        id: 'wf-race-b',
        nodes: [buildNodeSpec({ id: 'race-b.n' }), buildNodeSpec({ id: 'shared.n' })],
      });
      const results = await Promise.allSettled([
        insertFixture(store(), a),
        insertFixture(store(), b),
      ]);
      const won = results.filter((r) => r.status === 'fulfilled');
      const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
      expect(won).toHaveLength(1);
      expect(lost[0]?.reason).toBeInstanceOf(StoreError);
      const present = idsOf(await store().getNodes(['race-a.n', 'race-b.n', 'shared.n']));
      expect([
        ['race-a.n', 'shared.n'],
        ['race-b.n', 'shared.n'],
      ]).toContainEqual(present);
      const workflows = [
        await store().getWorkflow('wf-race-a'),
        await store().getWorkflow('wf-race-b'),
      ];
      expect(workflows.filter((w) => w !== null)).toHaveLength(1);
    });

    it('lets readers see all or none of a concurrent write', async () => {
      const fixture = wideWorkflow('wf-rw', 300);
      await insertFixture(store(), fixture);
      const moves = fixture.nodes.map((node) => moveTo(node, { kind: 'building' }, FIXTURE_T0 + 1));
      const write = applyMoves(store(), moves);
      const reads = await Promise.all(
        Array.from({ length: 4 }, () => store().countByStatus({ states: ['building'] })),
      );
      await write;
      for (const counts of reads) expect([0, 300]).toContain(counts['in-progress']);
    });
  });
}
