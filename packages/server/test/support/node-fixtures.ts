import { NodeSpecSchema, WorkflowSpecSchema, type NodeSpec } from '@ketrew/edsl';
import { MemoryStore, type EngineNode, type NodeState } from '@ketrew/engine';

export const T0 = 1_800_000_000_000;

/** A validated node spec: an id plus what differs from the defaults. */
export function nodeSpec(input: Partial<NodeSpec> & { readonly id: string }): NodeSpec {
  return NodeSpecSchema.parse({ name: input.id, ...input });
}

/** An engine node in any state, for stores filled directly (no engine involved). */
export function engineNode(
  spec: NodeSpec,
  state: NodeState,
  overrides: Partial<Omit<EngineNode, 'spec' | 'state'>> = {},
): EngineNode {
  return {
    id: spec.id,
    workflowId: 'wf-1',
    spec,
    state,
    attempt: 1,
    successiveErrors: 0,
    equivalentTo: null,
    createdAt: T0,
    updatedAt: T0,
    ...overrides,
  };
}

/** A migrated MemoryStore holding these nodes, grouped in workflows by their `workflowId`. */
export async function storeWith(nodes: readonly EngineNode[]): Promise<MemoryStore> {
  const store = await MemoryStore.create();
  const byWorkflow = new Map<string, EngineNode[]>();
  for (const node of nodes) {
    const members = byWorkflow.get(node.workflowId) ?? [];
    members.push(node);
    byWorkflow.set(node.workflowId, members);
  }
  for (const [workflowId, members] of byWorkflow) {
    const first = members[0] as EngineNode;
    const spec = WorkflowSpecSchema.parse({
      version: 1,
      root: first.id,
      nodes: members.map((n) => n.spec),
    });
    await store.insertWorkflow(
      { id: workflowId, rootId: first.id, submittedAt: first.createdAt, spec },
      members,
      members.map((n) => ({
        nodeId: n.id,
        attempt: n.attempt,
        time: n.createdAt,
        state: n.state,
        message: null,
      })),
    );
  }
  return store;
}

/** Forty-odd varied nodes: every simple status, tags, names, times, workflows, user roots. */
export function variedNodes(): EngineNode[] {
  const states: NodeState[] = [
    { kind: 'passive' },
    { kind: 'active', by: { kind: 'user' } },
    { kind: 'building' },
    { kind: 'running', jobName: 'j', run: { pid: 1 }, since: T0 },
    { kind: 'verified-success' },
    { kind: 'already-done' },
    { kind: 'failed-running', reason: { kind: 'non-zero-exit', code: 2 }, run: { pid: 2 } },
    { kind: 'dependencies-failed', reason: { kind: 'dependency-failed', ids: ['x'] } },
    {
      kind: 'finished',
      outcome: 'failed',
      from: 'dependencies-failed',
      reason: { kind: 'dependency-failed', ids: ['x'] },
    },
    { kind: 'finished', outcome: 'successful', from: 'verified-success' },
    { kind: 'killed', reason: { kind: 'killed' }, fromPassive: false },
  ];
  const names = ['align reads', 'Align-BAM', 'sort', 'index', 'call variants', 'report'];
  const tags = [[], ['nightly'], ['nightly', 'big'], ['big'], ['x y']];
  const nodes: EngineNode[] = [];
  for (let i = 0; i < 44; i += 1) {
    const id = `${i % 3 === 0 ? 'wf-a' : 'wf-b'}.n${String(i).padStart(2, '0')}`;
    nodes.push(
      engineNode(
        nodeSpec({
          id,
          name: names[i % names.length] as string,
          tags: tags[i % tags.length] as string[],
          active: i % 7 === 0,
        }),
        states[i % states.length] as NodeState,
        {
          workflowId: i % 3 === 0 ? 'wf-a' : 'wf-b',
          createdAt: T0 + (i % 5) * 86_400_000,
          updatedAt: T0 + (i % 9) * 3_600_000,
        },
      ),
    );
  }
  return nodes;
}
