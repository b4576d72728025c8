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
 * Polls every watched run of one backend in a single `poll` call, at most once per interval.
 * A run watched after a quiet spell is polled at once; after that, once per interval. A `poll`
 * that throws yields an `error` outcome for every run of the batch.
 */
export class BackendPoller {
  readonly #options: BackendPollerOptions;
  readonly #watched = new Set<string>();
  #timer: TimerHandle | null = null;
  #polling = false;
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
    this.#watched.add(nodeId);
    this.#arm();
  }

  unwatch(nodeId: string): void {
    this.#watched.delete(nodeId);
  }

  stop(): void {
    this.#stopped = true;
    this.#timer?.cancel();
    this.#timer = null;
  }

  #arm(): void {
    if (this.#stopped || this.#polling || this.#timer !== null || this.#watched.size === 0) return;
    const { clock, intervalMs } = this.#options;
    const at = Math.max(clock.now(), this.#lastPollAt + intervalMs);
    this.#timer = clock.setTimer(at, () => {
      this.#timer = null;
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
