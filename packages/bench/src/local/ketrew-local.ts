import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import type { Host, WorkflowSpecInput } from '@ketrew/edsl';
import {
  createDaemonizeBackend,
  createLocalTransportProvider,
  parseMonitoredLog,
} from '@ketrew/backend-daemonize';
import { Engine, MemoryStore, type EngineStatus, type Store } from '@ketrew/engine';
import type { Shape } from './peer-tools.js';

// Ketrew's side of the local benchmark: the real Engine and daemonize backend, jobs detached on
// this machine in the monitored script, on the in-memory store (store costs have their own
// benchmarks), the run timed from `submit` to the root's `finished`.

export interface KetrewLocalSettings {
  /** `pollIntervalMs` of the engine (for the daemonize backend). */
  readonly pollIntervalMs: number;
  /** `localHostCpus`, i.e. jobs at once on this machine; `undefined` = the engine's default. */
  readonly slots?: number | undefined;
  /**
   * Daemonize as before push (the A/B comparison): no notify directory, a Node spawn per start,
   * a `ps` at every poll. Default `false`.
   */
  readonly classic?: boolean | undefined;
}

export interface KetrewRun {
  readonly seconds: number;
  /** CPU time of this process (engine + backend), ms. */
  readonly cpuMs: number;
  readonly markers: number;
  readonly status: EngineStatus;
  /** For a chain: start of node i+1 minus success of node i, from the monitored logs, ms. */
  readonly hopsMs: readonly number[];
  /** For a chain, each hop cut in two at the engine's records (its history), ms. */
  readonly hopParts: HopParts;
}

/**
 * `detection`: success of job i (log) → the engine records it (a poll saw it ended);
 * `launch`: the engine records job i+1 `starting` → its script logs `start` (the backend's
 * start: playground, script, launcher, detached bash). A hop is detection + launch + the time
 * between the two records (same tick: ~0).
 */
export interface HopParts {
  readonly detectionMs: readonly number[];
  readonly launchMs: readonly number[];
}

const jobId = (shape: Shape, i: number): string =>
  shape === 'fan-out' ? `leaf-${i}` : `link-${i}`;

/** The workflow: a root (no-op) over n leaves, or a chain of n links; each job touches a marker. */
export function localWorkflow(shape: Shape, n: number, directory: string): WorkflowSpecInput {
  const host: Host = {
    name: directory,
    connection: { kind: 'localhost' },
    playground: join(directory, 'playground'),
    shell: ['sh', '-c'],
    timeout: null,
  };
  const make = (i: number) => ({
    backend: 'daemonize',
    host,
    program: { kind: 'sh' as const, command: `touch '${join(directory, 'out', jobId(shape, i))}'` },
  });
  const nodes: WorkflowSpecInput['nodes'] = [];
  for (let i = 0; i < n; i++) {
    nodes.push({
      id: jobId(shape, i),
      name: jobId(shape, i),
      make: make(i),
      dependsOn: shape === 'chain' && i > 0 ? [jobId(shape, i - 1)] : [],
      active: shape === 'chain' && i === n - 1,
    });
  }
  if (shape === 'fan-out') {
    nodes.push({
      id: 'root',
      name: 'root',
      active: true,
      dependsOn: nodes.map((node) => node.id),
    });
  }
  return { version: 1, root: shape === 'fan-out' ? 'root' : jobId(shape, n - 1), nodes };
}

/** Start of link i+1 minus success of link i, for every link of a finished chain. */
export function chainHops(directory: string, n: number): number[] {
  const logs = chainLogs(directory, n);
  return logs.slice(1).map((log, i) => log.startedAt - (logs[i] as ChainLog).endedAt);
}

interface ChainLog {
  readonly startedAt: number;
  readonly endedAt: number;
}

function chainLogs(directory: string, n: number): ChainLog[] {
  return Array.from({ length: n }, (_, i) => {
    const path = join(directory, 'playground', jobId('chain', i), '1', 'log');
    const { startedAt, endedAt } = parseMonitoredLog(readFileSync(path, 'utf8'));
    if (startedAt === null || endedAt === null) throw new Error(`${path} is not complete`);
    return { startedAt, endedAt };
  });
}

async function hopPartsOf(store: Store, directory: string, n: number): Promise<HopParts> {
  const logs = chainLogs(directory, n);
  const recorded = async (i: number, kind: string): Promise<number> => {
    const entry = (await store.getHistory(jobId('chain', i))).find((e) => e.state.kind === kind);
    if (entry === undefined) throw new Error(`${jobId('chain', i)} was never ${kind}`);
    return entry.time;
  };
  const detectionMs: number[] = [];
  const launchMs: number[] = [];
  for (let i = 1; i < n; i++) {
    detectionMs.push(
      (await recorded(i - 1, 'ran-successfully')) - (logs[i - 1] as ChainLog).endedAt,
    );
    launchMs.push((logs[i] as ChainLog).startedAt - (await recorded(i, 'starting')));
  }
  return { detectionMs, launchMs };
}

/** Run the shape through a fresh Engine + daemonize backend in `directory`. */
export async function runKetrew(
  directory: string,
  shape: Shape,
  n: number,
  settings: KetrewLocalSettings,
): Promise<KetrewRun> {
  mkdirSync(join(directory, 'out'), { recursive: true });
  const transports = createLocalTransportProvider();
  const store = new MemoryStore();
  const classic = settings.classic === true;
  const backend = createDaemonizeBackend({
    transports,
    ...(classic
      ? { notifyDirectory: null, persistentLauncher: false, livenessCheckIntervalMs: 0 }
      : {}),
  });
  const engine = new Engine({
    store,
    backends: [backend],
    transports,
    config: {
      pollIntervalMs: settings.pollIntervalMs,
      ...(settings.slots === undefined ? {} : { localHostCpus: settings.slots }),
    },
  });
  await engine.start();
  const workflow = localWorkflow(shape, n, directory);
  const root = workflow.root;
  const done = new Promise<void>((resolve) => {
    engine.events.subscribe((event) => {
      if (
        event.kind === 'nodes-changed' &&
        event.nodes.some((node) => node.id === root && node.state.kind === 'finished')
      ) {
        resolve();
      }
    });
  });
  const cpuBefore = process.cpuUsage();
  const start = performance.now();
  await engine.submit(workflow);
  await done;
  const seconds = (performance.now() - start) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const status = engine.status();
  await engine.stop();
  await backend.close?.();
  const [rootNode] = await store.getNodes([root]);
  if (rootNode?.state.kind !== 'finished' || rootNode.state.outcome !== 'successful') {
    throw new Error(
      `ketrew ${shape}: the root did not succeed: ${JSON.stringify(rootNode?.state)}`,
    );
  }
  return {
    seconds,
    cpuMs: (cpu.user + cpu.system) / 1000,
    markers: readdirSync(join(directory, 'out')).length,
    status,
    hopsMs: shape === 'chain' ? chainHops(directory, n) : [],
    hopParts:
      shape === 'chain' ? await hopPartsOf(store, directory, n) : { detectionMs: [], launchMs: [] },
  };
}
