import type { BuildProcessSpec, NodeSpec } from '@ketrew/edsl';
import {
  guardBackend,
  type Backend,
  type BackendQuery,
  type LogChunk,
  type LogStream,
  type PollOutcome,
  type RunState,
  type StartContext,
  type TransportProvider,
} from '@ketrew/engine';
import type { DaemonizeContext } from './daemonize/daemonize-context.js';
import { transportOf } from './daemonize/daemonize-context.js';
import { findDaemonizeJob } from './daemonize/daemonize-find.js';
import { DEFAULT_PLAYGROUND_ROOT } from './daemonize/daemonize-playground.js';
import { pollDaemonizeRuns } from './daemonize/daemonize-poll.js';
import { DAEMONIZE_QUERIES, readRunLog, runDaemonizeQuery } from './daemonize/daemonize-queries.js';
import { parseDaemonizeRunState } from './daemonize/daemonize-run-state.js';
import { daemonizeSpecOf } from './daemonize/daemonize-spec.js';
import { startDaemonizeJob } from './daemonize/daemonize-start.js';
import { EndNotifier } from './daemonize/end-notifier.js';
import { LocalLaunchers } from './daemonize/local-launchers.js';
import { PidWaits } from './daemonize/pid-waits.js';
import { RecentSet } from './daemonize/recent-set.js';
import { killProcessGroup } from './daemonize/process-group.js';
import { createLocalTransportProvider } from './local-transport.js';

export interface DaemonizeBackendOptions {
  /** How to reach each host. Default: `createLocalTransportProvider()` (localhost only). */
  readonly transports?: TransportProvider | undefined;
  /** A suggestion for the engine's poll interval of this backend, in ms. Default 1,000. */
  readonly pollIntervalHintMs?: number | undefined;
  /** Playground root when a host has none (`host.playground` is `null`). Default `/tmp/ketrew`. */
  readonly defaultPlayground?: string | undefined;
  /** Time between SIGTERM and SIGKILL when killing a job, in ms. Default 5,000. */
  readonly killGracePeriodMs?: number | undefined;
  /**
   * Timeout of each command run on a host (ps, kill, the launcher), in ms, when the host sets
   * none. Default 60,000.
   */
  readonly commandTimeoutMs?: number | undefined;
  /**
   * Least time between two `ps` of one machine while polling, in ms: how soon a job that died
   * without a word (SIGKILL, OOM killer) is seen `lost`. Polls in between read logs only
   * (localhost) or answer `running` (other hosts). Default: `pollIntervalHintMs`.
   */
  readonly livenessCheckIntervalMs?: number | undefined;
  /**
   * Where local jobs announce their end (`<directory>/<job name>`, an empty file), watched to
   * push hints to the engine (`watchActivity`). `undefined` (default): a fresh private directory
   * under the system's temporary directory, removed at `close()`; a path: that directory
   * (created, kept); `null`: no notify directory (local jobs are seen ended by polling only).
   */
  readonly notifyDirectory?: string | null | undefined;
  /**
   * Start local `nohup-setsid` jobs through one long-lived shell per machine (fed through its
   * stdin) instead of one process spawned by Node per job. Default `true`.
   */
  readonly persistentLauncher?: boolean | undefined;
  /**
   * How many warm spares the persistent launcher keeps: bash processes started ahead of time in
   * their own session, each waiting (5 minutes at most) for a job to run in place, so that a
   * start skips the fork and bash start-up. Default 2; 0 turns them off.
   */
  readonly warmSpares?: number | undefined;
  /** The clock, epoch ms. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/** The daemonize backend's `Backend`, plus its poll interval suggestion and its push. */
export interface DaemonizeBackend extends Backend {
  readonly name: 'daemonize';
  readonly pollIntervalHintMs: number;
  /** Hints when local jobs end (through the notify directory); never for other hosts. */
  watchActivity(onActivity: () => void): () => void;
}

/**
 * The daemonize backend (`make.backend === 'daemonize'`): runs a node's program as a detached
 * process on a host, inside the monitored script, in a fresh playground
 * `<host.playground ?? /tmp/ketrew>/<node-id>/<attempt>/`. Jobs survive the death of the server;
 * the run state (plain JSON: host, playground, pid, …) is all a new process needs to poll, kill
 * and read them. Over a localhost transport by default; give an SSH transport provider to run
 * on other machines. Behaviour and failure classification: docs/daemonize.md.
 *
 * @example
 * const engine = new Engine({ store, backends: [createDaemonizeBackend()] });
 */
export function createDaemonizeBackend(options: DaemonizeBackendOptions = {}): DaemonizeBackend {
  const pollIntervalHintMs = options.pollIntervalHintMs ?? 1_000;
  const context: DaemonizeContext = {
    transports: options.transports ?? createLocalTransportProvider(),
    defaultPlayground: options.defaultPlayground ?? DEFAULT_PLAYGROUND_ROOT,
    killGracePeriodMs: options.killGracePeriodMs ?? 5_000,
    commandTimeoutMs: options.commandTimeoutMs ?? 60_000,
    livenessCheckIntervalMs: options.livenessCheckIntervalMs ?? pollIntervalHintMs,
    notifier:
      options.notifyDirectory === null
        ? null
        : new EndNotifier({ directory: options.notifyDirectory }),
    launchers:
      options.persistentLauncher === false
        ? null
        : new LocalLaunchers({ spares: options.warmSpares ?? 2 }),
    livenessChecks: new Map(),
    endedRuns: new RecentSet(10_000),
    pidWaits: new PidWaits(),
    now: options.now ?? Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  const backend: Backend = {
    name: 'daemonize',

    start: async (ctx: StartContext): Promise<RunState> => startDaemonizeJob(context, ctx),

    poll: async (runs: readonly RunState[]): Promise<readonly PollOutcome[]> =>
      pollDaemonizeRuns(context, runs),

    async kill(run: RunState): Promise<void> {
      const state = parseDaemonizeRunState(run);
      await killProcessGroup(context, transportOf(context, state.host), state.pid);
      await context.notifier?.consume(state.jobName);
    },

    find: async (
      jobName: string,
      make: BuildProcessSpec,
      node: NodeSpec,
    ): Promise<RunState | null> => findDaemonizeJob(context, jobName, make, node),

    logs: async (
      run: RunState,
      logOptions: {
        readonly stream: LogStream;
        readonly offset?: number | undefined;
        readonly length?: number | undefined;
      },
    ): Promise<LogChunk> => readRunLog(context, parseDaemonizeRunState(run), logOptions),

    queries: async (run: RunState): Promise<readonly BackendQuery[]> => {
      parseDaemonizeRunState(run);
      return DAEMONIZE_QUERIES;
    },

    query: async (run: RunState, name: string): Promise<string> =>
      runDaemonizeQuery(context, parseDaemonizeRunState(run), name),

    validate(make: BuildProcessSpec): readonly string[] {
      try {
        daemonizeSpecOf(make);
        return [];
      } catch (error) {
        return [error instanceof Error ? error.message : String(error)];
      }
    },

    async close(): Promise<void> {
      await context.launchers?.close();
      await context.notifier?.close();
    },

    watchActivity: (onActivity: () => void): (() => void) =>
      context.notifier === null ? () => undefined : context.notifier.watch(onActivity),
  };
  // Returned guarded (the engine does not guard it again); the guard forwards `watchActivity`,
  // refused after close like every other call.
  const guarded = guardBackend(backend);
  return Object.assign(guarded, {
    name: 'daemonize' as const,
    pollIntervalHintMs,
    watchActivity: guarded.watchActivity ?? ((): (() => void) => () => undefined),
  });
}
