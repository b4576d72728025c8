import { describe, expect, it } from 'vitest';
import { MemoryStore } from '../memory/memory-store.js';
import { copyStore } from './copy-store.js';
import { exported, insertSyncWorkflow, moveNode, seededStore } from './sync-test-fixtures.js';

describe('copyStore', () => {
  it('copies everything into an empty store, and nothing the second time', async () => {
    const from = await seededStore();
    const to = await MemoryStore.create();
    const records = await exported(from);
    expect(records).toHaveLength(2 + 4 + 6);
    expect(await copyStore(from, to)).toEqual({ imported: 12, skipped: 0 });
    expect(await exported(to)).toEqual(records);
    expect(await copyStore(from, to)).toEqual({ imported: 0, skipped: 12 });
    expect(await exported(to)).toEqual(records);
  });

  it('brings over only what the target lacks, including new history of known nodes', async () => {
    const from = await seededStore();
    const to = await MemoryStore.create();
    await copyStore(from, to);
    await insertSyncWorkflow(from, 'wf-c', 3_000);
    await moveNode(from, 'wf-b.leaf', { kind: 'building' }, 3_100);
    const result = await copyStore(from, to);
    // wf-c: 1 workflow, 2 nodes, 2 entries; wf-b.leaf's new entry. The node itself is known,
    // so its new state is not copied: import never overwrites.
    expect(result).toEqual({ imported: 6, skipped: 12 });
    expect(await to.getHistory('wf-b.leaf')).toEqual(await from.getHistory('wf-b.leaf'));
    expect((await to.getNodes(['wf-b.leaf']))[0]?.state).toEqual({ kind: 'passive' });
  });
});
