import type { EngineNode, ExportRecord, NodeState, Store, UserCommand } from '@ketrew/engine';
import { ClosedError, conditionKey } from '@ketrew/engine';
import { expect, it } from 'vitest';
import type { StoreContractContext } from './store-contract.js';
import {
  allChanges,
  applyMoves,
  asyncIterable,
  collect,
  contentsOf,
  expectStoreError,
  insertFixture,
  sortedIds,
  tryToMutate,
} from './store-contract-helpers.js';
import { FIXTURE_T0, fileExists, moveTo, pipelineWorkflow } from './store-fixtures.js';

/** Two pipelines, one partly run (with a retried node, so two attempts of history). */
async function seedHistory(store: Store): Promise<void> {
  const first = pipelineWorkflow('wf-x1');
  await insertFixture(store, first);
  await insertFixture(store, pipelineWorkflow('wf-x2', FIXTURE_T0 + 60_000));
  const [, align] = first.nodes as EngineNode[];
  if (align === undefined) throw new Error('expected the align node');
  const running = moveTo(
    align,
    { kind: 'running', jobName: 'j', run: { jobId: 7 }, since: 9 },
    FIXTURE_T0 + 1,
  );
  const failed = moveTo(
    running.node,
    {
      kind: 'failed-running',
      reason: { kind: 'timeout', seconds: 60 },
      run: { jobId: 7 },
      nextAttemptAt: FIXTURE_T0 + 70_000,
    },
    FIXTURE_T0 + 2,
  );
  const retried = moveTo(
    failed.node,
    { kind: 'active', by: { kind: 'retry', previousAttempt: 1 } },
    FIXTURE_T0 + 3,
    {
      attempt: 2,
    },
  );
  await applyMoves(store, [running]);
  await applyMoves(store, [failed]);
  await applyMoves(store, [retried]);
}

function countTypes(records: readonly ExportRecord[]): Record<ExportRecord['type'], number> {
  const counts = { workflow: 0, node: 0, history: 0 };
  for (const record of records) counts[record.type] += 1;
  return counts;
}

/** exportAll/importAll, copies in and out, close. */
export function describeExportContract({ store, freshStore, section }: StoreContractContext): void {
  section('export-import', 'exportAll and importAll', () => {
    it('exports workflows, then nodes, then history', async () => {
      expect(await collect(store().exportAll())).toEqual([]);
      await seedHistory(store());
      const records = await collect(store().exportAll());
      expect(countTypes(records)).toEqual({ workflow: 2, node: 10, history: 13 });
      const order = records.map((r) => ['workflow', 'node', 'history'].indexOf(r.type));
      expect(order).toEqual([...order].sort((a, b) => a - b));
    });

    it('rebuilds everything in a fresh store', async () => {
      await seedHistory(store());
      const records = await collect(store().exportAll());
      const target = await freshStore();
      expect(await target.importAll(asyncIterable(records))).toEqual({
        imported: records.length,
        skipped: 0,
      });
      expect(await contentsOf(target)).toEqual(await contentsOf(store()));
      expect(sortedIds(await target.loadUnfinished())).toEqual(
        sortedIds(await store().loadUnfinished()),
      );
      expect(await target.countByStatus({})).toEqual(await store().countByStatus({}));
      expect(await target.getReverseEdges('wf-x1.align')).toEqual(
        await store().getReverseEdges('wf-x1.align'),
      );
      const key = conditionKey(fileExists('/tmp/KT/wf-x2/report.html')) as string;
      expect(await target.findEquivalent([key])).toEqual(await store().findEquivalent([key]));
      // Imported nodes show up in the change feed, once each.
      const nodeIds = records.flatMap((r) => (r.type === 'node' ? [r.node.id] : [])).sort();
      expect((await allChanges(target)).map((c) => c.nodeId).sort()).toEqual(nodeIds);
    });

    it('skips what is already there: importing twice adds nothing', async () => {
      await seedHistory(store());
      const records = await collect(store().exportAll());
      const target = await freshStore();
      await target.importAll(asyncIterable(records));
      const once = await contentsOf(target);
      expect(await target.importAll(asyncIterable(records))).toEqual({
        imported: 0,
        skipped: records.length,
      });
      expect(await contentsOf(target)).toEqual(once);
      expect(await store().importAll(store().exportAll())).toEqual({
        imported: 0,
        skipped: records.length,
      });
    });

    it('imports only the missing workflows into a store that has some', async () => {
      const source = store();
      await insertFixture(source, pipelineWorkflow('wf-s1'));
      await insertFixture(source, pipelineWorkflow('wf-s2', FIXTURE_T0 + 5));
      const target = await freshStore();
      await insertFixture(target, pipelineWorkflow('wf-s1'));
      const records = await collect(source.exportAll());
      expect(await target.importAll(asyncIterable(records))).toEqual({
        imported: 11,
        skipped: 11,
      });
      expect(await contentsOf(target)).toEqual(await contentsOf(source));
    });

    it('rejects a node of an unknown workflow and history of an unknown node', async () => {
      const fixture = pipelineWorkflow('wf-orphan');
      const [node] = fixture.nodes;
      const [entry] = fixture.history;
      if (node === undefined || entry === undefined) throw new Error('expected a node');
      await expectStoreError(store().importAll(asyncIterable([{ type: 'node', node } as const])));
      await expectStoreError(
        store().importAll(asyncIterable([{ type: 'history', entry } as const])),
      );
      expect(await store().getNodes([node.id])).toEqual([]);
      expect(await store().importAll(asyncIterable([]))).toEqual({ imported: 0, skipped: 0 });
    });
  });

  section('copies', 'values are copied in and out', () => {
    it('is not changed by mutating what was passed to it', async () => {
      const fixture = pipelineWorkflow('wf-in');
      const pristine = pipelineWorkflow('wf-in');
      await insertFixture(store(), fixture);
      const node = fixture.nodes[0] as { spec: { tags: string[]; name: string }; attempt: number };
      node.spec.tags.push('mutated');
      node.spec.name = 'mutated';
      node.attempt = 99;
      (fixture.workflow.spec.nodes as { name: string }[]).forEach((n) => (n.name = 'mutated'));
      (fixture.history[0] as { message: string | null }).message = 'mutated';
      const running = (): NodeState => ({
        kind: 'running',
        jobName: 'j',
        run: { pid: 1 },
        since: 1,
      });
      const batch = moveTo(pristine.nodes[1] as EngineNode, running(), FIXTURE_T0 + 1);
      const moved = { ...batch.node, state: running() };
      await applyMoves(store(), [batch]);
      (batch.node.state as unknown as { run: { pid: number } }).run.pid = 666;
      (batch.entry as { message: string | null }).message = 'mutated';
      const command: UserCommand = { kind: 'kill', ids: ['a'], recursive: false };
      await store().enqueueCommand(command, 1);
      (command.ids as string[]).push('mutated');
      expect(await store().getWorkflow('wf-in')).toEqual(pristine.workflow);
      expect(await store().getNodes(pristine.nodes.map((n) => n.id))).toEqual(
        pristine.nodes.map((n) => (n.id === moved.id ? moved : n)),
      );
      expect(await store().getHistory(pristine.nodes[0]?.id ?? '')).toEqual([pristine.history[0]]);
      expect((await store().getHistory(batch.node.id)).at(-1)?.message).toBeNull();
      expect((await store().takeCommands(1))[0]?.command).toEqual({
        kind: 'kill',
        ids: ['a'],
        recursive: false,
      });
    });

    it('is not changed by mutating what it returned', async () => {
      const pristine = pipelineWorkflow('wf-out');
      await insertFixture(store(), pipelineWorkflow('wf-out'));
      const key = conditionKey(fileExists('/tmp/KT/wf-out/report.html')) as string;
      const returned = [
        ...(await store().getNodes(['wf-out.report'])),
        ...(await store().loadUnfinished()),
        ...(await store().queryNodes({}, { limit: 10 })).nodes,
        ...(await store().findEquivalent([key])),
        ...(await collect(store().exportAll())).flatMap((r) => (r.type === 'node' ? [r.node] : [])),
      ];
      for (const node of returned) {
        tryToMutate(() => ((node.spec.tags as string[]).length = 0));
        tryToMutate(() => ((node.state as { kind: string }).kind = 'mutated'));
        tryToMutate(() => ((node as { attempt: number }).attempt = 99));
      }
      const workflow = await store().getWorkflow('wf-out');
      tryToMutate(() => ((workflow?.spec.nodes as unknown[]).length = 0));
      const history = await store().getHistory('wf-out.report');
      tryToMutate(() => ((history[0] as { time: number }).time = 0));
      tryToMutate(() => (history as unknown[]).splice(0));
      const edges = await store().getReverseEdges('wf-out.align');
      tryToMutate(() => (edges.dependedOnBy as string[]).splice(0));
      const changes = await store().changesSince(0, 10);
      tryToMutate(() => ((changes[0] as { nodeId: string }).nodeId = 'mutated'));
      expect(await store().getWorkflow('wf-out')).toEqual(pristine.workflow);
      expect(await store().getNodes(pristine.nodes.map((n) => n.id))).toEqual(pristine.nodes);
      expect(await store().getHistory('wf-out.report')).toEqual([pristine.history[0]]);
      expect((await store().getReverseEdges('wf-out.align')).dependedOnBy).toEqual([
        'wf-out.call',
        'wf-out.report',
      ]);
      expect((await store().changesSince(0, 10))[0]?.nodeId).toMatch(/^wf-out\./);
    });
  });

  section('close', 'close', () => {
    it('is idempotent, and every other call afterwards throws ClosedError', async () => {
      const s = store();
      await s.close();
      await s.close();
      const calls: Record<string, () => Promise<unknown>> = {
        migrate: () => s.migrate(),
        insertWorkflow: () => insertFixture(s, pipelineWorkflow('wf-closed')),
        applyTransitions: () => s.applyTransitions({ nodes: [], history: [] }),
        loadUnfinished: () => s.loadUnfinished(),
        getNodes: () => s.getNodes(['a']),
        getHistory: () => s.getHistory('a'),
        getReverseEdges: () => s.getReverseEdges('a'),
        queryNodes: () => s.queryNodes({}, { limit: 1 }),
        countByStatus: () => s.countByStatus({}),
        findEquivalent: () => s.findEquivalent(['k']),
        getWorkflow: () => s.getWorkflow('a'),
        changesSince: () => s.changesSince(0, 1),
        enqueueCommand: () => s.enqueueCommand({ kind: 'kill', ids: [], recursive: false }, 1),
        takeCommands: () => s.takeCommands(1),
        exportAll: async () => collect(s.exportAll()),
        importAll: () => s.importAll(asyncIterable([])),
      };
      for (const [name, call] of Object.entries(calls)) {
        await expect(call(), name).rejects.toBeInstanceOf(ClosedError);
      }
    });
  });
}
