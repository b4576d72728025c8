import {
  NodeSpecSchema,
  WORKFLOW_SPEC_VERSION,
  type ConditionSpec,
  type Host,
  type NodeSpec,
  type WorkflowSpecInput,
} from '@ketrew/edsl';
import type { EngineNode, HistoryEntry, NodeState, WorkflowRecord } from '@ketrew/engine';

/** What a client writes for one node (optional fields may be left out). */
export type NodeSpecInput = WorkflowSpecInput['nodes'][number];

/** Epoch ms used as "now" by the fixtures: 2023-11-14T22:13:20Z. */
export const FIXTURE_T0 = 1_700_000_000_000;

/** A localhost host with a playground, as `Host.parse('/tmp/KT')` gives. */
export const LOCAL_HOST: Host = {
  name: '/tmp/KT',
  connection: { kind: 'localhost' },
  playground: '/tmp/KT',
  shell: ['sh', '-c'],
  timeout: null,
};

/** An SSH host with every optional field set. */
export const CLUSTER_HOST: Host = {
  name: 'ssh://alice@cluster.example.org:2222/home/alice/kt?shell=bash,-l,-c&timeout=30',
  connection: {
    kind: 'ssh',
    address: 'cluster.example.org',
    port: 2222,
    user: 'alice',
    sshOptions: ['-K', '-o', 'ServerAliveInterval=10'],
  },
  playground: '/home/alice/kt',
  shell: ['bash', '-l', '-c'],
  timeout: 30,
};

/** `path` exists on `host`, as a single-file product's condition. */
export function fileExists(path: string, host: Host = LOCAL_HOST): ConditionSpec {
  const slash = path.lastIndexOf('/');
  return {
    kind: 'volume-exists',
    volume: {
      host,
      root: slash <= 0 ? '/' : path.slice(0, slash),
      structure: { kind: 'file', name: path.slice(slash + 1) },
    },
  };
}

/** A canonical (validated, defaults filled in) node spec; `name` defaults to the id. */
export function buildNodeSpec(input: Partial<NodeSpecInput> & { readonly id: string }): NodeSpec {
  return NodeSpecSchema.parse({ name: input.id, ...input });
}

/** A stored workflow with its nodes and their first history entries, ready to insert. */
export interface WorkflowFixture {
  readonly workflow: WorkflowRecord;
  readonly nodes: readonly EngineNode[];
  readonly history: readonly HistoryEntry[];
}

export interface BuildWorkflowOptions {
  readonly id: string;
  /** The nodes; the first is the root unless `rootId` says otherwise. */
  readonly nodes: readonly NodeSpec[];
  readonly rootId?: string | undefined;
  /** Creation time of the workflow and of every node. Default `FIXTURE_T0`. */
  readonly time?: number | undefined;
  /** States of some nodes (by id) at insertion; others are passive (active if `spec.active`). */
  readonly states?: Readonly<Record<string, NodeState>> | undefined;
}

/**
 * A workflow as the engine inserts it: every node at attempt 1 with one history entry for its
 * initial state.
 *
 * @example
 * const { workflow, nodes, history } = buildWorkflow({ id: 'wf-1', nodes: [buildNodeSpec({ id: 'a' })] });
 * await store.insertWorkflow(workflow, nodes, history);
 */
export function buildWorkflow(options: BuildWorkflowOptions): WorkflowFixture {
  const time = options.time ?? FIXTURE_T0;
  const rootId = options.rootId ?? options.nodes[0]?.id;
  if (rootId === undefined) throw new Error('buildWorkflow: a workflow needs at least one node');
  const nodes = options.nodes.map((spec): EngineNode => ({
    id: spec.id,
    workflowId: options.id,
    spec,
    state:
      options.states?.[spec.id] ??
      (spec.active ? { kind: 'active', by: { kind: 'user' } } : { kind: 'passive' }),
    attempt: 1,
    successiveErrors: 0,
    equivalentTo: null,
    createdAt: time,
    updatedAt: time,
  }));
  return {
    workflow: {
      id: options.id,
      rootId,
      submittedAt: time,
      spec: { version: WORKFLOW_SPEC_VERSION, root: rootId, nodes: [...options.nodes] },
    },
    nodes,
    history: nodes.map((node) => historyOf(node, time)),
  };
}

/** A node's next version in `state` at `time`, with the history entry recording it. */
export function moveTo(
  node: EngineNode,
  state: NodeState,
  time: number,
  changes: Partial<Pick<EngineNode, 'attempt' | 'successiveErrors' | 'equivalentTo'>> = {},
): { readonly node: EngineNode; readonly entry: HistoryEntry } {
  const next: EngineNode = { ...node, ...changes, state, updatedAt: time };
  return { node: next, entry: historyOf(next, time) };
}

function historyOf(node: EngineNode, time: number, message: string | null = null): HistoryEntry {
  return { nodeId: node.id, attempt: node.attempt, time, state: node.state, message };
}

/**
 * A realistic pipeline of five nodes whose ids start with `${id}.`: a root `report` that
 * depends on `align` and `call` (both building a file on an SSH cluster with LSF and Slurm), an
 * on-success `notify`, an on-failure `cleanup`. It exercises nested conditions, hosts with
 * every field set, unicode names and tags, free JSON metadata, retry policies and resources.
 */
export function pipelineWorkflow(id: string, time: number = FIXTURE_T0): WorkflowFixture {
  const bam = fileExists(`/data/${id}/sample.bam`, CLUSTER_HOST);
  const vcf: ConditionSpec = {
    kind: 'and',
    conditions: [
      fileExists(`/data/${id}/calls.vcf`, CLUSTER_HOST),
      {
        kind: 'volume-size-at-least',
        volume: {
          host: CLUSTER_HOST,
          root: `/data/${id}`,
          structure: {
            kind: 'directory',
            name: 'calls',
            children: [{ kind: 'file', name: 'calls.vcf.gz' }],
          },
        },
        bytes: 1024,
      },
      {
        kind: 'command-returns',
        program: { kind: 'exec', argv: ['bcftools', 'view', '-h', `/data/${id}/calls.vcf`] },
        host: CLUSTER_HOST,
        returns: 0,
      },
    ],
  };
  const nodes = [
    buildNodeSpec({
      id: `${id}.report`,
      name: 'Rapport final — séquençage 🧬 配列',
      active: true,
      tags: ['report', 'étape-finale'],
      metadata: { owner: 'Zoë', priority: 2.5, samples: ['s1', 's2'], nested: { ok: true } },
      condition: fileExists(`/tmp/KT/${id}/report.html`),
      make: {
        backend: 'daemonize',
        program: {
          kind: 'and',
          programs: [
            { kind: 'sh', command: `mkdir -p /tmp/KT/${id}` },
            { kind: 'exec', argv: ['render-report', '--out', `/tmp/KT/${id}/report.html`] },
          ],
        },
        host: LOCAL_HOST,
      },
      dependsOn: [`${id}.align`, `${id}.call`],
      onSuccessActivate: [`${id}.notify`],
      onFailureActivate: [`${id}.cleanup`],
    }),
    buildNodeSpec({
      id: `${id}.align`,
      name: 'align reads',
      tags: ['alignment', 'cluster'],
      metadata: 'a free string',
      product: { kind: 'single-file', host: CLUSTER_HOST, path: `/data/${id}/sample.bam` },
      condition: bam,
      make: {
        backend: 'lsf',
        program: {
          kind: 'sh',
          command: 'bwa mem ref.fa r1.fq r2.fq | samtools sort -o sample.bam',
        },
        host: CLUSTER_HOST,
        queue: 'long',
        wallLimit: '4:00',
        processors: { min: 2, max: 8 },
        memory: 16_000,
      },
      retry: { attempts: 3 },
      timeout: 14_400,
      resources: { cpus: 8, memory: 16_000 },
    }),
    buildNodeSpec({
      id: `${id}.call`,
      name: 'call variants',
      tags: ['cluster'],
      metadata: null,
      product: { kind: 'custom', type: 'Vcf', data: { reference: 'GRCh38' } },
      condition: vcf,
      make: {
        backend: 'slurm',
        program: { kind: 'exec', argv: ['gatk', 'HaplotypeCaller', '-I', 'sample.bam'] },
        host: CLUSTER_HOST,
        partition: 'compute',
        cpus: 4,
        memory: '8G',
      },
      dependsOn: [`${id}.align`],
      equivalence: 'none',
    }),
    buildNodeSpec({ id: `${id}.notify`, name: 'notify the lab', tags: ['notify'] }),
    buildNodeSpec({
      id: `${id}.cleanup`,
      name: 'clean up after a failure',
      make: {
        backend: 'daemonize',
        program: { kind: 'sh', command: `rm -rf /tmp/KT/${id}` },
        host: LOCAL_HOST,
        using: 'python-daemon',
      },
    }),
  ];
  return buildWorkflow({ id, nodes, time });
}
