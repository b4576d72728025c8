import type { NodeSpec } from '@ketrew/edsl';
import { describe, expect, it } from 'vitest';
import type { EngineNode } from '../core/engine-node.js';
import type { NodeState } from '../core/node-state.js';
import { deepFreeze } from '../core/deep-freeze.js';
import { ClosedError, StoreError } from '../errors.js';
import type { WorkflowRecord } from '../ports/store.js';
import { MemoryStore } from './memory-store.js';

// The full contract is checked by @ketrew/test-kit's describeStoreContract
// (packages/test-kit/src/memory-store.contract.test.ts); these are memory-specific checks.

function spec(id: string, overrides: Partial<NodeSpec> = {}): NodeSpec {
  return {
    id,
    name: id,
    active: false,
    tags: [],
    metadata: null,
    product: { kind: 'none' },
    condition: null,
    make: { backend: 'no-operation' },
    dependsOn: [],
    onSuccessActivate: [],
    onFailureActivate: [],
    equivalence: 'same-active-condition',
    retry: null,
    timeout: null,
    resources: { cpus: 1, memory: null },
    ...overrides,
  };
}

function node(id: string, workflowId: string, createdAt: number): EngineNode {
  return {
    id,
    workflowId,
    spec: spec(id),
    state: { kind: 'passive' },
    attempt: 1,
    successiveErrors: 0,
    equivalentTo: null,
    createdAt,
    updatedAt: createdAt,
  };
}

function workflow(id: string, nodes: readonly EngineNode[]): WorkflowRecord {
  return {
    id,
    rootId: nodes[0]?.id ?? id,
    submittedAt: 1,
    spec: { version: 1, root: nodes[0]?.id ?? id, nodes: nodes.map((n) => n.spec) },
  };
}

describe('MemoryStore', () => {
  it('refuses to be used before migrate, and after close', async () => {
    const store = new MemoryStore({ name: 'test' });
    await expect(store.loadUnfinished()).rejects.toThrow(StoreError);
    await store.migrate();
    await expect(store.loadUnfinished()).resolves.toEqual([]);
    await store.close();
    await expect(store.loadUnfinished()).rejects.toThrow(ClosedError);
  });

  it('keeps JSON only: undefined properties are dropped like in a database', async () => {
    const store = await MemoryStore.create();
    const a = node('a', 'w', 1);
    await store.insertWorkflow(workflow('w', [a]), [a], []);
    await store.applyTransitions({
      nodes: [
        {
          ...a,
          state: {
            kind: 'failed-to-start',
            reason: { kind: 'start-failed', message: 'x' },
            nextAttemptAt: undefined,
          },
        },
      ],
      history: [],
    });
    const [stored] = await store.getNodes(['a']);
    expect(stored?.state).not.toHaveProperty('nextAttemptAt');
  });

  it('keeps the immutable fields of a node from its insertion', async () => {
    const store = await MemoryStore.create();
    const a = node('a', 'w', 1);
    await store.insertWorkflow(workflow('w', [a]), [a], []);
    await store.applyTransitions({
      nodes: [{ ...a, spec: spec('a', { name: 'changed' }), createdAt: 99, updatedAt: 5 }],
      history: [],
    });
    const [stored] = await store.getNodes(['a']);
    expect(stored?.spec.name).toBe('a');
    expect(stored?.createdAt).toBe(1);
    expect(stored?.updatedAt).toBe(5);
  });

  it('pages in creation order even when workflows arrive out of order', async () => {
    const store = await MemoryStore.create();
    const late = [node('b', 'w2', 20), node('a', 'w2', 20)];
    const early = [node('z', 'w1', 10)];
    await store.insertWorkflow(workflow('w2', late), late, []);
    await store.insertWorkflow(workflow('w1', early), early, []);
    const page = await store.queryNodes({}, { limit: 10 });
    expect(page.nodes.map((n) => n.id)).toEqual(['z', 'a', 'b']);
  });
  it('keeps deep-frozen JSON as it is, and copies whatever could still change', async () => {
    const store = await MemoryStore.create();
    const a = node('a', 'w', 1);
    await store.insertWorkflow(workflow('w', [a]), [a], []);
    const frozenState = deepFreeze<NodeState>({
      kind: 'running',
      jobName: 'j',
      run: { pid: 1 },
      since: 2,
    });
    const frozenEntry = deepFreeze({
      nodeId: 'a',
      attempt: 1,
      time: 2,
      state: frozenState,
      message: null,
    });
    await store.applyTransitions({
      nodes: [{ ...a, state: frozenState, updatedAt: 2 }],
      history: [frozenEntry],
    });
    const [kept] = await store.getNodes(['a']);
    expect(kept?.state).toBe(frozenState);
    expect((await store.getHistory('a'))[0]).toBe(frozenEntry);

    // Frozen outside, not inside: copied, so changing the inside later changes nothing stored.
    const run = { pid: 2 };
    const halfFrozen = Object.freeze({ kind: 'running', jobName: 'j', run, since: 3 } as const);
    await store.applyTransitions({
      nodes: [{ ...a, state: halfFrozen, updatedAt: 3 }],
      history: [],
    });
    run.pid = 666;
    const [copied] = await store.getNodes(['a']);
    expect(copied?.state).not.toBe(halfFrozen);
    expect(copied?.state).toEqual({ kind: 'running', jobName: 'j', run: { pid: 2 }, since: 3 });
    expect(Object.isFrozen(copied?.state.kind === 'running' ? copied.state.run : null)).toBe(true);
  });

  it('keeps a deep-frozen workflow spec and its node specs without copying them', async () => {
    const store = await MemoryStore.create();
    const a = node('a', 'w', 1);
    const record = workflow('w', [a]);
    deepFreeze(record.spec);
    await store.insertWorkflow(record, [a], []);
    expect((await store.getWorkflow('w'))?.spec).toBe(record.spec);
    expect((await store.getNodes(['a']))[0]?.spec).toBe(a.spec);
  });
});
