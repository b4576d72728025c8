import type { Backend, PollOutcome } from '../ports/backend.js';
import type { RunState } from '../core/node-state.js';
import type { Clock, TimerHandle } from './clock.js';
import { isRecoverable } from '../errors.js';

/** A run being watched, as the engine's memory has it at poll time. */
export interface WatchedRun {
  readonly nodeId: string;
  readonly attempt: number;
  readonly run: RunState;
}

export interface PollResult {
  readonly nodeId: string;
  readonly attempt: number;
  readonly outcome: PollOutcome;
}

export interface BackendPollerOptions {
  readonly backend: Backend;
  readonly clock: Clock;
  readonly intervalMs: number;
  /** The current run of a watched node, or `null` when it is no longer running. */
  readonly runOf: (nodeId: string) => WatchedRun | null;
  readonly onResults: (results: readonly PollResult[]) => void;
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
    const { backend, clock, runOf, onResults } = this.#options;
    const batch: WatchedRun[] = [];
    for (const id of this.#watched) {
      const watched = runOf(id);
      if (watched === null) this.#watched.delete(id);
      else batch.push(watched);
    }
    if (batch.length === 0) return;
    this.#polling = true;
    this.#lastPollAt = clock.now();
    this.#polls++;
    let outcomes: readonly PollOutcome[];
    try {
      outcomes = await backend.poll(batch.map((w) => w.run));
    } catch (error) {
      const failure: PollOutcome = {
        kind: 'error',
        recoverable: isRecoverable(error),
        message: error instanceof Error ? error.message : String(error),
      };
      outcomes = batch.map(() => failure);
    }
    this.#polling = false;
    if (this.#stopped) return;
    onResults(
      batch.map((w, i) => ({
        nodeId: w.nodeId,
        attempt: w.attempt,
        outcome: outcomes[i] ?? { kind: 'error', recoverable: false, message: 'no outcome' },
      })),
    );
    this.#arm();
  }
}
