import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Host, WorkflowSpec } from '@ketrew/edsl';
import {
  Engine,
  MemoryStore,
  type EngineConfigInput,
  type EngineNode,
  type Store,
} from '@ketrew/engine';
import { createDaemonizeBackend, createLocalTransportProvider } from '../../src/index.js';
import { killJobsUnder, localHost, temporaryDirectory, waitFor } from '../helpers.js';

// Shared set-up of the Engine + daemonize integration tests (engine-*.integration.test.ts):
// real detached processes on this machine, a real clock, a short poll interval.

const here = dirname(fileURLToPath(import.meta.url));
/** The package's root directory (where `node --import tsx` finds tsx). */
export const PACKAGE_ROOT = join(here, '..', '..');

/** A store the test can close, and what it is. */
export interface TestStore {
  readonly store: Store;
  readonly kind: 'sqlite' | 'memory';
  close(): Promise<void>;
}

type CreateSqliteStore = (options: { readonly path: string }) => Store & {
  close(): Promise<void>;
};

/**
 * `createSqliteStore` of `@ketrew/store-sqlite`, or why it cannot be used. Loaded dynamically so
 * that these tests still run (on MemoryStore) where the SQLite store is not built yet.
 */
export async function loadSqliteStore(): Promise<
  { readonly create: CreateSqliteStore } | { readonly unavailable: string }
> {
  try {
    const module = (await import('@ketrew/store-sqlite')) as unknown as {
      readonly createSqliteStore?: CreateSqliteStore;
    };
    if (typeof module.createSqliteStore !== 'function') {
      return { unavailable: '@ketrew/store-sqlite does not export createSqliteStore yet' };
    }
    return { create: module.createSqliteStore };
  } catch (error) {
    return { unavailable: `@ketrew/store-sqlite cannot be loaded: ${String(error)}` };
  }
}

/** The SQLite file store at `path` if the package has it, else a MemoryStore. */
export async function openTestStore(path: string): Promise<TestStore> {
  const sqlite = await loadSqliteStore();
  if ('create' in sqlite) {
    const store = sqlite.create({ path });
    return { store, kind: 'sqlite', close: () => store.close() };
  }
  const store = new MemoryStore();
  return { store, kind: 'memory', close: () => store.close() };
}

/** A localhost host whose playground (and name) is `directory`, like `Host.parse(directory)`. */
export function hostAt(directory: string): Host {
  return localHost({ name: directory, playground: directory });
}

export interface HarnessOptions {
  readonly config?: EngineConfigInput | undefined;
  /** Extra environment of every job and condition command (e.g. `HOME`, `PATH`). */
  readonly env?: Readonly<Record<string, string>> | undefined;
}

/** A running Engine with the daemonize backend in a fresh temporary directory. */
export interface EngineHarness {
  readonly dir: string;
  readonly host: Host;
  readonly engine: Engine;
  readonly store: Store;
  readonly storeKind: 'sqlite' | 'memory';
  /** Stop the engine, kill leftover jobs, close the store, remove the directory. */
  close(): Promise<void>;
}

const backendOf = new WeakMap<Engine, { close?(): Promise<void> }>();

/** Stop an engine made by `testEngine`, and close its backend (the engine does not). */
export async function stopTestEngine(engine: Engine): Promise<void> {
  await engine.stop();
  await backendOf.get(engine)?.close?.();
}

/** Engine options every test here uses; `config` overrides them. */
export function testEngine(store: Store, options: HarnessOptions = {}): Engine {
  const transports = createLocalTransportProvider({ env: options.env });
  const backend = createDaemonizeBackend({ transports, killGracePeriodMs: 1_000 });
  const engine = new Engine({
    store,
    backends: [backend],
    transports,
    config: {
      pollIntervalMs: 50,
      recoveryGraceMs: 0,
      commandQueueIntervalMs: 200,
      ...options.config,
    },
  });
  backendOf.set(engine, backend);
  return engine;
}

/** Set up a temporary directory, a store in it, and a started engine. */
export async function startHarness(
  options: HarnessOptions & { readonly prepare?: (dir: string) => Promise<HarnessOptions> } = {},
): Promise<EngineHarness> {
  const temporary = await temporaryDirectory();
  const dir = temporary.path;
  const extra = options.prepare === undefined ? {} : await options.prepare(dir);
  const { store, kind, close } = await openTestStore(join(dir, 'ketrew.sqlite'));
  const engine = testEngine(store, {
    config: { ...options.config, ...extra.config },
    env: { ...options.env, ...extra.env },
  });
  await engine.start();
  return {
    dir,
    host: hostAt(dir),
    engine,
    store,
    storeKind: kind,
    async close() {
      await stopTestEngine(engine);
      await killJobsUnder(dir);
      await close();
      await temporary.cleanup();
    },
  };
}

/** The nodes with these ids, in the same order; throws if one is missing. */
export async function nodesOf(store: Store, ids: readonly string[]): Promise<EngineNode[]> {
  const found = new Map((await store.getNodes(ids)).map((node) => [node.id, node]));
  return ids.map((id) => {
    const node = found.get(id);
    if (node === undefined) throw new Error(`the store has no node ${id}`);
    return node;
  });
}

/** Wait (generously) until every node of `ids` is finished; returns them. */
export async function waitUntilFinished(
  store: Store,
  ids: readonly string[],
  timeoutMs = 90_000,
): Promise<EngineNode[]> {
  let last: EngineNode[] = [];
  await waitFor(
    `${ids.length} node(s) to finish`,
    async () => {
      last = await nodesOf(store, ids);
      return last.every((node) => node.state.kind === 'finished');
    },
    timeoutMs,
  ).catch((error: unknown) => {
    const pending = last.filter((n) => n.state.kind !== 'finished');
    const states = pending.slice(0, 10).map((n) => `${n.id}: ${n.state.kind}`);
    throw new Error(`${String(error)}; still unfinished: ${states.join(', ')}`);
  });
  return last;
}

/** Node ids of a spec by node name (names must be unique in the spec). */
export function idsByName(spec: WorkflowSpec): Map<string, string> {
  const ids = new Map<string, string>();
  for (const node of spec.nodes) {
    if (ids.has(node.name)) throw new Error(`two nodes named ${node.name}`);
    ids.set(node.name, node.id);
  }
  return ids;
}

/**
 * `value` with every occurrence of `from` in its strings replaced by `to` (through JSON): moves a
 * spec written for `/tmp/KT` (host, playground, paths in commands and conditions) to a
 * temporary directory, keeping its shape exactly.
 */
export function relocate<T>(value: T, from: string, to: string): T {
  return JSON.parse(JSON.stringify(value).split(from).join(to)) as T;
}

/** Write an executable shell script (e.g. a fake `mail` on a test PATH). */
export async function writeExecutable(path: string, text: string): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text, { mode: 0o755 });
}

/** Lines of a text file (`[]` when missing), without the final empty one. */
export async function linesOf(path: string): Promise<string[]> {
  const text = await readFile(path, 'utf8').catch(() => '');
  return text === '' ? [] : text.replace(/\n$/, '').split('\n');
}

/**
 * Start `test/support/engine-child.ts` in its own Node process (through tsx, with the
 * `@ketrew/source` condition), giving it `input` as JSON on its command line. Resolves once the
 * child prints `ready`; its stderr is kept for error messages.
 */
export async function spawnEngineChild(input: unknown): Promise<{
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}> {
  const child = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      '--conditions=@ketrew/source',
      join(here, 'engine-child.ts'),
      JSON.stringify(input),
    ],
    { cwd: PACKAGE_ROOT, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let stderr = '';
  let stdout = '';
  child.stderr?.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve, reject) => {
    child.stdout?.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('ready\n')) resolve();
    });
    void exited.then(({ code, signal }) =>
      reject(
        new Error(
          `the engine child exited (${String(code ?? signal)}) before it was ready: ${stderr}`,
        ),
      ),
    );
  });
  return { child, exited };
}
