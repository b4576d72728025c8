import type { NodeSpec } from '@ketrew/edsl';
import type { EngineNode, HistoryEntry } from '../core/engine-node.js';
import type { NodeState } from '../core/node-state.js';
import { MemoryStore } from '../memory/memory-store.js';
import type { ExportRecord, Store } from '../ports/store.js';

// Test-only: a small store with two workflows and some history, for the sync tests.
// (The richer fixtures live in @ketrew/test-kit, which depends on this package.)

function spec(id: string, dependsOn: string[] = []): NodeSpec {
  return {
    id,
    name: `node ${id} — ünïcode`,
    active: dependsOn.length > 0,
    tags: ['sync'],
    metadata: { id, list: [1, 2.5, null, 'x'] },
    product: { kind: 'none' },
    condition: null,
    make: { backend: 'no-operation' },
    dependsOn,
    onSuccessActivate: [],
    onFailureActivate: [],
    equivalence: 'same-active-condition',
    retry: null,
    timeout: null,
    resources: { cpus: 1, memory: null },
  };
}

function entry(node: EngineNode, time: number): HistoryEntry {
  return { nodeId: node.id, attempt: node.attempt, time, state: node.state, message: null };
}

export async function insertSyncWorkflow(store: Store, id: string, time: number): Promise<void> {
  const specs = [spec(`${id}.leaf`), spec(`${id}.root`, [`${id}.leaf`])];
  const nodes = specs.map((s): EngineNode => ({
    id: s.id,
    workflowId: id,
    spec: s,
    state: { kind: 'passive' },
    attempt: 1,
    successiveErrors: 0,
    equivalentTo: null,
    createdAt: time,
    updatedAt: time,
  }));
  await store.insertWorkflow(
    {
      id,
      rootId: `${id}.root`,
      submittedAt: time,
      spec: { version: 1, root: `${id}.root`, nodes: specs },
    },
    nodes,
    nodes.map((n) => entry(n, time)),
  );
}

export async function moveNode(
  store: Store,
  id: string,
  state: NodeState,
  time: number,
): Promise<void> {
  const [node] = await store.getNodes([id]);
  if (node === undefined) throw new Error(`no node ${id}`);
  const next = { ...node, state, updatedAt: time };
  await store.applyTransitions({ nodes: [next], history: [entry(next, time)] });
}

/** A migrated store with two workflows, one node run to completion. */
export async function seededStore(): Promise<MemoryStore> {
  const store = await MemoryStore.create();
  await insertSyncWorkflow(store, 'wf-a', 1_000);
  await insertSyncWorkflow(store, 'wf-b', 2_000);
  await moveNode(
    store,
    'wf-a.leaf',
    { kind: 'running', jobName: 'j', run: { pid: 3 }, since: 1_100 },
    1_100,
  );
  await moveNode(
    store,
    'wf-a.leaf',
    { kind: 'finished', outcome: 'successful', from: 'verified-success' },
    1_200,
  );
  return store;
}

export async function exported(store: Store): Promise<ExportRecord[]> {
  const records: ExportRecord[] = [];
  for await (const record of store.exportAll()) records.push(record);
  return records;
}
