// Engine benchmark (in memory): transitions per second of the pure core, and the wall time of a
// 100,000-node fan-out and a 10,000-node chain through the runtime with MemoryStore and a
// zero-latency FakeBackend. Run: pnpm --filter @ketrew/bench run bench:engine [-- --runs N] [--json FILE]
import { writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import type { WorkflowSpecInput } from '@ketrew/edsl';
import { NodeSpecSchema } from '@ketrew/edsl';
import {
  Engine,
  FakeBackend,
  MemoryStore,
  createEngineNode,
  transition,
  type EngineNode,
  type NodeEvent,
} from '@ketrew/engine';
import { formatTable, meetsGoal, type BenchReport, type Measurement } from './bench-report.js';
import { discardingStore } from './discarding-store.js';
import { machine } from './machine.js';
import { flagValue, isMainModule } from './bench-cli.js';

/** Transitions per second of `transition` over the whole lifecycle of fake-backend nodes. */
function coreTransitionsPerSecond(nodes: number): Measurement {
  const spec = NodeSpecSchema.parse({ id: 'n', name: 'n', make: { backend: 'fake' } });
  const run = { fakeJobId: 'fake-1', jobName: 'ketrew-n-a1' };
  const lifecycle = (time: number): NodeEvent[] => [
    { kind: 'activate', by: { kind: 'user' }, time },
    { kind: 'dependencies-succeeded', time },
    { kind: 'started', run, time },
    { kind: 'polled', status: { kind: 'running' }, time },
    { kind: 'polled', status: { kind: 'succeeded' }, time },
  ];
  const pass = (count: number): number => {
    let transitions = 0;
    for (let i = 0; i < count; i++) {
      let node: EngineNode = createEngineNode({ ...spec, id: `n${i}` }, 'wf', i);
      for (const event of lifecycle(i)) {
        node = transition(node, event).node;
        transitions++;
      }
    }
    return transitions;
  };
  pass(Math.min(nodes, 10_000)); // warm up
  const start = performance.now();
  const transitions = pass(nodes);
  const seconds = (performance.now() - start) / 1000;
  return {
    name: 'core: transitions per second',
    value: Math.round(transitions / seconds),
    unit: 'transitions/s',
    goal: { op: '>=', value: 100_000 },
    detail: `${transitions.toLocaleString('en-US')} transitions of ${nodes.toLocaleString('en-US')} full lifecycles`,
  };
}

function fanOut(n: number): WorkflowSpecInput {
  const nodes: WorkflowSpecInput['nodes'] = [];
  for (let i = 0; i < n; i++)
    nodes.push({ id: `leaf-${i}`, name: `leaf ${i}`, make: { backend: 'fake' } });
  nodes.push({ id: 'root', name: 'root', active: true, dependsOn: nodes.map((node) => node.id) });
  return { version: 1, root: 'root', nodes };
}

function chain(n: number): WorkflowSpecInput {
  const nodes: WorkflowSpecInput['nodes'] = [];
  for (let i = 0; i < n; i++) {
    nodes.push({
      id: `link-${i}`,
      name: `link ${i}`,
      make: { backend: 'fake' },
      dependsOn: i === 0 ? [] : [`link-${i - 1}`],
      active: i === n - 1,
    });
  }
  return { version: 1, root: `link-${n - 1}`, nodes };
}

/** Submit a workflow to a fresh in-memory engine and wait until its root is finished. */
async function runWorkflow(
  label: string,
  workflow: WorkflowSpecInput,
  goalMs: number | undefined,
  options: { readonly discardWrites?: boolean } = {},
): Promise<Measurement[]> {
  const store = options.discardWrites === true ? discardingStore() : await MemoryStore.create();
  const engine = new Engine({
    store,
    backends: [new FakeBackend()],
    config: { pollIntervalMs: 0, orphanCheckIntervalMs: 0, commandQueueIntervalMs: 0 },
  });
  await engine.start();
  const root = workflow.root;
  const done = new Promise<void>((resolve) => {
    engine.events.subscribe((event) => {
      if (
        event.kind === 'nodes-changed' &&
        event.nodes.some((n) => n.id === root && n.state.kind === 'finished')
      ) {
        resolve();
      }
    });
  });
  const heapBefore = process.memoryUsage().heapUsed;
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await engine.submit(workflow);
  const submitted = performance.now();
  await done;
  const end = performance.now();
  const cpu = process.cpuUsage(cpuBefore);
  const heapAfter = process.memoryUsage().heapUsed;
  const status = engine.status();
  await engine.stop();
  if (options.discardWrites !== true) {
    const [rootNode] = await store.getNodes([root]);
    if (rootNode?.state.kind !== 'finished' || rootNode.state.outcome !== 'successful') {
      throw new Error(`${label}: the root did not succeed (${JSON.stringify(rootNode?.state)})`);
    }
  }
  const nodes = workflow.nodes.length;
  return [
    {
      name: `${label}: submit (validate, insert)`,
      value: Math.round(submitted - start),
      unit: 'ms',
      detail: `${nodes.toLocaleString('en-US')} nodes`,
    },
    {
      name: `${label}: submit to finished`,
      value: Math.round(end - start),
      unit: 'ms',
      goal: goalMs === undefined ? undefined : { op: '<=', value: goalMs },
      detail: `CPU ${Math.round((cpu.user + cpu.system) / 1000).toLocaleString('en-US')} ms; ${status.transitions.toLocaleString('en-US')} transitions in ${status.ticks} ticks, ${Math.round(
        (status.transitions / (end - start)) * 1000,
      ).toLocaleString(
        'en-US',
      )} transitions/s, heap +${Math.round((heapAfter - heapBefore) / 2 ** 20)} MB`,
    },
  ];
}

/** Which measurements to take: all of them, or only those named (`--only fan-out,chain`). */
export type EngineBenchPart = 'core' | 'fan-out' | 'chain' | 'discarded';

export interface EngineBenchOptions {
  /** Runs of each measurement; the best is kept. Default 1. */
  readonly runs?: number | undefined;
  /** Default: every part. */
  readonly only?: readonly EngineBenchPart[] | undefined;
  /** Nodes of the fan-out (default 100,000; the goal applies only at that size). */
  readonly fanOutNodes?: number | undefined;
  /** Nodes of the chain (default 10,000). */
  readonly chainNodes?: number | undefined;
}

/**
 * The best of `runs` runs of each measurement (the machines are shared and noisy: the fastest
 * run is the one least disturbed by others).
 */
export async function engineBench(options: EngineBenchOptions = {}): Promise<BenchReport> {
  const runs = options.runs ?? 1;
  const parts = new Set<EngineBenchPart>(options.only ?? ['core', 'fan-out', 'chain', 'discarded']);
  const fanOutNodes = options.fanOutNodes ?? 100_000;
  const chainNodes = options.chainNodes ?? 10_000;
  const fanOutLabel = `fan-out of ${fanOutNodes.toLocaleString('en-US')} nodes`;
  const fanOutGoal = fanOutNodes === 100_000 ? 5_000 : undefined;
  const best = async (
    measure: () => Promise<Measurement[]> | Measurement[],
  ): Promise<Measurement[]> => {
    let kept: Measurement[] = [];
    for (let run = 0; run < runs; run++) {
      const measured = await measure();
      kept =
        kept.length === 0
          ? measured
          : measured.map((m, i) => {
              const previous = kept[i] as Measurement;
              const better = m.unit === 'ms' ? m.value < previous.value : m.value > previous.value;
              return better ? m : previous;
            });
    }
    return runs > 1
      ? kept.map((m) => ({ ...m, detail: `${m.detail ?? ''} (best of ${runs})` }))
      : kept;
  };
  const measurements: Measurement[] = [];
  if (parts.has('core'))
    measurements.push(...(await best(() => [coreTransitionsPerSecond(200_000)])));
  if (parts.has('fan-out')) {
    measurements.push(
      ...(await best(() => runWorkflow(fanOutLabel, fanOut(fanOutNodes), fanOutGoal))),
    );
  }
  if (parts.has('chain')) {
    measurements.push(
      ...(await best(() =>
        runWorkflow(
          `chain of ${chainNodes.toLocaleString('en-US')} nodes`,
          chain(chainNodes),
          undefined,
        ),
      )),
    );
  }
  if (parts.has('discarded')) {
    measurements.push(
      ...(await best(() =>
        runWorkflow(`${fanOutLabel}, store writes discarded`, fanOut(fanOutNodes), undefined, {
          discardWrites: true,
        }),
      )),
    );
  }
  return {
    benchmark: 'Engine (in memory)',
    date: new Date().toISOString().slice(0, 10),
    machine: machine(),
    measurements,
  };
}

if (isMainModule(import.meta.url)) {
  // Options: --runs N, --only core,fan-out,chain,discarded, --fan-out-nodes N,
  // --chain-nodes N, --json FILE.
  const number = (flag: string): number | undefined => {
    const value = flagValue(process.argv, flag);
    return value === undefined ? undefined : Number(value);
  };
  const only = flagValue(process.argv, '--only')?.split(',') as EngineBenchPart[] | undefined;
  const report = await engineBench({
    runs: number('--runs'),
    only,
    fanOutNodes: number('--fan-out-nodes'),
    chainNodes: number('--chain-nodes'),
  });
  console.log(formatTable(report));
  const json = flagValue(process.argv, '--json');
  if (json !== undefined) {
    writeFileSync(json, `${JSON.stringify(report, null, 2)}\n`);
  } else {
    console.log(JSON.stringify(report));
  }
  if (!report.measurements.every(meetsGoal)) process.exitCode = 1;
}
