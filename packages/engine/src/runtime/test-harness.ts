// An engine on virtual time with the reference store, backend and transport, for the runtime's
// own tests (not exported by the package).
import type { EngineNode } from '../core/engine-node.js';
import { MemoryStore } from '../memory/memory-store.js';
import type { StartContext } from '../ports/backend.js';
import type { Store } from '../ports/store.js';
import { FakeBackend } from '../testing/fake-backend.js';
import { FakeCluster, type FakeJobScript } from '../testing/fake-cluster.js';
import { FakeTransport } from '../testing/fake-transport.js';
import { runUntil } from '../testing/virtual-time.js';
import { VirtualClock } from './clock.js';
import type { EngineConfigInput } from './engine-config.js';
import { Engine } from './engine.js';

export const T0 = 1_700_000_000_000;

export interface HarnessOptions {
  readonly script?: ((ctx: StartContext) => FakeJobScript) | undefined;
  readonly config?: EngineConfigInput | undefined;
  readonly transport?: FakeTransport | undefined;
  readonly store?: Store | undefined;
  readonly cluster?: FakeCluster | undefined;
  readonly clock?: VirtualClock | undefined;
  readonly start?: boolean | undefined;
}

export async function harness(options: HarnessOptions = {}) {
  const clock = options.clock ?? new VirtualClock(T0);
  const store = options.store ?? (await MemoryStore.create());
  const cluster = options.cluster ?? new FakeCluster({ clock });
  const backend = new FakeBackend({ cluster, script: options.script });
  const transport = options.transport ?? new FakeTransport();
  const engine = new Engine({
    store,
    backends: [backend],
    transports: () => transport,
    clock,
    config: { pollIntervalMs: 1_000, ...options.config },
  });
  if (options.start ?? true) await engine.start();
  const node = async (id: string): Promise<EngineNode> => {
    const [found] = await store.getNodes([id]);
    if (found === undefined) throw new Error(`no node ${id}`);
    return found;
  };
  const allFinished = async (): Promise<boolean> => (await store.loadUnfinished()).length === 0;
  const finished =
    (...ids: string[]) =>
    async (): Promise<boolean> =>
      (await store.getNodes(ids)).every((n) => n.state.kind === 'finished') &&
      (await store.getNodes(ids)).length === ids.length;
  return {
    clock,
    store,
    cluster,
    backend,
    transport,
    engine,
    node,
    allFinished,
    finished,
    run: (condition: () => boolean | Promise<boolean>, maxMs?: number) =>
      runUntil(engine, clock, condition, { maxMs }),
    /** The state a finished node ended from, and its outcome. */
    outcome: async (id: string): Promise<string> => {
      const state = (await node(id)).state;
      return state.kind === 'finished' ? `${state.outcome} from ${state.from}` : state.kind;
    },
  };
}
