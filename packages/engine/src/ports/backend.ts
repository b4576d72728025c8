import type { BuildProcessSpec, NodeSpec } from '@ketrew/edsl';
import type { PollStatus } from '../core/events.js';
import type { RunState } from '../core/node-state.js';

/** Everything a backend is told when asked to start a node's job. */
export interface StartContext {
  readonly nodeId: string;
  /** 1-based attempt number. */
  readonly attempt: number;
  /**
   * Deterministic name derived from node id and attempt (see `jobNameOf`); the backend must use
   * it so that `find(jobName)` can recognise the job after a crash.
   */
  readonly jobName: string;
  /** The whole node: its `make` is the build process to run, plus `timeout` and `resources`. */
  readonly node: NodeSpec;
}

/** What `poll` says about one run: a status, or an error for that run only. */
export type PollOutcome =
  PollStatus | { readonly kind: 'error'; readonly recoverable: boolean; readonly message: string };

export type LogStream = 'stdout' | 'stderr' | 'log' | 'script';

export interface LogChunk {
  readonly content: string;
  /** Byte offset to pass to the next call to continue where this one stopped. */
  readonly nextOffset: number;
}

export interface BackendQuery {
  readonly name: string;
  readonly description: string;
}

/**
 * A long-running backend (the original's "long-running plugin"): starts, tracks and kills the
 * jobs of one kind of build process (`make.backend === name`). DESIGN.md §6.
 *
 * Contract:
 * - Stateless between calls: everything needed to track a job is in the returned `RunState`,
 *   plain JSON the engine stores. A new process with the same backend configuration must be able
 *   to poll, kill and read logs of runs started by an old one.
 * - Errors are thrown as `BackendError` (or `TransportError`) with `recoverable` set; anything
 *   else is treated as fatal.
 * - `start` may be called concurrently for different nodes; `poll` is called with every watched
 *   run of this backend at once, and should group them itself (one status command per host).
 * - After `close()` the engine makes no further call.
 */
export interface Backend {
  /** The `make.backend` value this backend handles, e.g. `daemonize`. */
  readonly name: string;

  /**
   * Submit the job. Pre: `ctx.node.make.backend === name`. Post: the job exists under
   * `ctx.jobName` and the returned state lets `poll`, `kill` and `logs` find it.
   */
  start(ctx: StartContext): Promise<RunState>;

  /** Status of each run, in the order given. One outcome per run, never a throw for one run. */
  poll(runs: readonly RunState[]): Promise<readonly PollOutcome[]>;

  /** Kill the job and everything it started. Killing a job that already ended succeeds. */
  kill(run: RunState): Promise<void>;

  /**
   * Find the job started under `jobName` for this build process (after a crash between the
   * start intent and the start's answer). `null` when no such job was ever submitted.
   */
  find(jobName: string, make: BuildProcessSpec, node: NodeSpec): Promise<RunState | null>;

  /** A slice of one of the job's outputs, from byte `offset`. */
  logs(
    run: RunState,
    options: {
      readonly stream: LogStream;
      readonly offset?: number | undefined;
      readonly length?: number | undefined;
    },
  ): Promise<LogChunk>;

  /** The diagnostics this backend offers for a run (e.g. `stdout`, `scontrol show job`). */
  queries(run: RunState): Promise<readonly BackendQuery[]>;

  /** Run one diagnostic; throws `UnsupportedOperationError` for an unknown name. */
  query(run: RunState, name: string): Promise<string>;

  /**
   * Optional: check a build process before it is accepted at submission; returns problems as
   * messages naming the field. Default: everything is accepted.
   */
  validate?(make: BuildProcessSpec): readonly string[];

  /**
   * Optional: push, on top of polling. The engine calls it with a callback that the backend calls
   * whenever some of its runs MAY have changed (a job ended, a queue moved); the engine then polls
   * this backend's watched runs at once (or right after the poll in flight: hints that arrive
   * during a poll make one poll after it). Returns a function that stops the hints.
   *
   * Contract:
   * - A hint carries no data and promises nothing: hints may be late, lost, repeated or spurious.
   *   The engine keeps polling every `pollIntervalMs` whatever the hints, so `poll` must give the
   *   right answer without them; the hint only makes the answer come sooner.
   * - `onActivity` is cheap and never throws; the backend may call it from any event (not from
   *   inside `watchActivity` itself), any number of times, and stops after the returned function
   *   was called (a late call is harmless).
   * - Several callers may watch at once (e.g. two engines); each gets every hint.
   * - Backends without it are polled on their interval only (the default).
   *
   * @example
   * const stop = backend.watchActivity?.(() => poller.nudge());
   * // … later
   * stop?.();
   */
  watchActivity?(onActivity: () => void): () => void;

  /** Optional: release resources (connections). */
  close?(): Promise<void>;
}

export type { RunState };
