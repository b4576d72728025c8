import type { BuildProcessSpec, NodeSpec } from '@ketrew/edsl';
import type {
  Backend,
  BackendQuery,
  LogChunk,
  LogStream,
  PollOutcome,
  RunState,
  StartContext,
  TransportProvider,
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
  /** The clock, epoch ms. Default `Date.now`. */
  readonly now?: (() => number) | undefined;
}

/** The daemonize backend's `Backend`, plus its poll interval suggestion. */
export interface DaemonizeBackend extends Backend {
  readonly name: 'daemonize';
  readonly pollIntervalHintMs: number;
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
  const context: DaemonizeContext = {
    transports: options.transports ?? createLocalTransportProvider(),
    defaultPlayground: options.defaultPlayground ?? DEFAULT_PLAYGROUND_ROOT,
    killGracePeriodMs: options.killGracePeriodMs ?? 5_000,
    commandTimeoutMs: options.commandTimeoutMs ?? 60_000,
    now: options.now ?? Date.now,
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  };
  return {
    name: 'daemonize',
    pollIntervalHintMs: options.pollIntervalHintMs ?? 1_000,

    start: async (ctx: StartContext): Promise<RunState> => startDaemonizeJob(context, ctx),

    poll: async (runs: readonly RunState[]): Promise<readonly PollOutcome[]> =>
      pollDaemonizeRuns(context, runs),

    async kill(run: RunState): Promise<void> {
      const state = parseDaemonizeRunState(run);
      await killProcessGroup(context, transportOf(context, state.host), state.pid);
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
  };
}
