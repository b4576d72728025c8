import type { Backend, PollOutcome } from '../ports/backend.js';
import type { RunState } from '../core/node-state.js';
import type { Clock, TimerHandle } from './clock.js';
import { isRecoverable } from '../errors.js';

/** A node being watched, as the engine's memory has it at poll time. */
export interface WatchedNode {
  readonly id: string;
  readonly attempt: number;
}

export interface BackendPollerOptions {
  readonly backend: Backend;
  readonly clock: Clock;
  readonly intervalMs: number;
  /** The current run of a watched node, or `null` when it is no longer running. */
  readonly runOf: (nodeId: string) => RunState | null;
  readonly nodeOf: (nodeId: string) => WatchedNode | undefined;
  /** The outcome of each polled node, in the same order; `attempts` as they were at poll time. */
  readonly onResults: (
    ids: readonly string[],
    attempts: readonly number[],
    outcomes: readonly PollOutcome[],
  ) => void;
}

/**
 * Polls every watched run of one backend in a single `poll` call, at most once per interval,
 * and at once on a hint (`nudge`, or the backend's own `watchActivity` push). A run watched
 * after a quiet spell is polled at once; after that, once per interval. Hints that arrive during
 * a poll give one more poll right after it, whatever their number; a hint while nothing is
 * watched makes the next `watch` poll at once (a job may end before its start is recorded). A
 * `poll` that throws yields an `error` outcome for every run of the batch.
 */
export class BackendPoller {
  readonly #options: BackendPollerOptions;
  readonly #watched = new Set<string>();
  #timer: TimerHandle | null = null;
  /** When `#timer` fires. */
  #timerAt = Number.POSITIVE_INFINITY;
  #polling = false;
  /** A hint came after the last poll began: the next poll is due at once. */
  #hinted = false;
  #stopHints: (() => void) | null = null;
  #lastPollAt = Number.NEGATIVE_INFINITY;
  #stopped = false;
  #polls = 0;

  constructor(options: BackendPollerOptions) {
    this.#options = options;
  }

  get size(): number {
    return this.#watched.size;
  }

  /** How many `poll` calls were made. */
  get polls(): number {
    return this.#polls;
  }

  watch(nodeId: string): void {
    this.#listen();
    this.#watched.add(nodeId);
    this.#arm();
  }

  /**
   * A hint that some watched run may have changed: poll at once, or right after the poll in
   * flight. Cheap; any number of hints before the poll starts make one poll.
   */
  nudge(): void {
    if (this.#stopped) return;
    this.#hinted = true;
    if (this.#polling || this.#watched.size === 0) return;
    if (this.#timer !== null && this.#timerAt > this.#options.clock.now()) {
      this.#timer.cancel();
      this.#timer = null;
    }
    this.#arm();
  }

  unwatch(nodeId: string): void {
    this.#watched.delete(nodeId);
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = null;
    const stopHints = this.#stopHints;
    this.#stopHints = null;
    try {
      stopHints?.();
    } catch {
      // The backend failed to stop its hints: they are ignored from now on anyway.
    }
  }

  /** Subscribe to the backend's hints, once, when there is something to watch. */
  #listen(): void {
    const { backend } = this.#options;
    if (this.#stopHints !== null || this.#stopped || backend.watchActivity === undefined) return;
    try {
      this.#stopHints = backend.watchActivity(() => this.nudge());
    } catch {
      // A backend that cannot push is polled on its interval, as if it had no watchActivity.
      this.#stopHints = () => undefined;
    }
  }

  #arm(): void {
    if (this.#stopped || this.#polling || this.#timer !== null || this.#watched.size === 0) return;
    const { clock, intervalMs } = this.#options;
    const now = clock.now();
    const at = this.#hinted ? now : Math.max(now, this.#lastPollAt + intervalMs);
    this.#timerAt = at;
    this.#timer = clock.setTimer(at, () => {
      this.#timer = null;
      this.#timerAt = Number.POSITIVE_INFINITY;
      void this.#poll();
    });
  }

  async #poll(): Promise<void> {
    if (this.#stopped) return;
    const { backend, clock, runOf, nodeOf, onResults } = this.#options;
    const ids: string[] = [];
    const attempts: number[] = [];
    const runs: RunState[] = [];
    for (const id of this.#watched) {
      const run = runOf(id);
      if (run === null) {
        this.#watched.delete(id);
        continue;
      }
      ids.push(id);
      attempts.push(nodeOf(id)?.attempt ?? 0);
      runs.push(run);
    }
    if (runs.length === 0) return;
    this.#polling = true;
    this.#hinted = false;
    this.#lastPollAt = clock.now();
    this.#polls++;
    let outcomes: readonly PollOutcome[];
    try {
      outcomes = await backend.poll(runs);
    } catch (error) {
      const failure: PollOutcome = {
        kind: 'error',
        recoverable: isRecoverable(error),
        message: error instanceof Error ? error.message : String(error),
      };
      outcomes = runs.map(() => failure);
    }
    this.#polling = false;
    if (this.#stopped) return;
    onResults(ids, attempts, outcomes);
    this.#arm();
  }
}
