import type { Change, Store } from '@ketrew/engine';
import { expect } from 'vitest';
import { FIXTURE_T0, buildNodeSpec, buildWorkflow } from './store-fixtures.js';

/**
 * For the migration tests of every database store: after an upgrade, a new workflow of 20 nodes
 * tagged `cluster` and `new` is written with the newest schema beside the upgraded rows (a
 * derived first history entry, tag sets, a run of changes in one feed row) and reads back as
 * the contract says: its history, its tags counted with the `taggedClusterBefore` nodes already
 * tagged `cluster`, and one change per node with consecutive cursors after `since`, read in
 * pages of 7 so that one feed row is split across pages. Resolves with the new nodes' ids.
 */
export async function expectNewWritesAfterUpgrade(
  store: Store,
  options: { readonly since: number; readonly taggedClusterBefore: number },
): Promise<readonly string[]> {
  const added = buildWorkflow({
    id: 'wf-new',
    nodes: Array.from({ length: 20 }, (_, i) =>
      buildNodeSpec({ id: `wf-new.n${String(i).padStart(2, '0')}`, tags: ['cluster', 'new'] }),
    ),
    time: FIXTURE_T0 + 300,
  });
  await store.insertWorkflow(added.workflow, added.nodes, added.history);
  expect(await store.getHistory('wf-new.n05')).toEqual([added.history[5]]);
  expect((await store.queryNodes({ tags: ['cluster'] }, { limit: 10 })).total).toBe(
    options.taggedClusterBefore + 20,
  );
  expect((await store.queryNodes({ tags: ['new', 'cluster'] }, { limit: 10 })).total).toBe(20);
  const fed: Change[] = [];
  for (let since = options.since; ;) {
    const page = await store.changesSince(since, 7);
    if (page.length === 0) break;
    fed.push(...page);
    since = page.at(-1)?.cursor ?? since;
  }
  expect(fed.map((c) => c.nodeId)).toEqual(added.nodes.map((n) => n.id));
  expect(fed.map((c) => c.cursor)).toEqual(fed.map((_, i) => options.since + 1 + i));
  return added.nodes.map((n) => n.id);
}
