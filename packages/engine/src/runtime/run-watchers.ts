import type { EngineNode } from '../core/engine-node.js';
import type { Backend, PollOutcome } from '../ports/backend.js';
import { BackendPoller } from './backend-poller.js';
import type { Clock } from './clock.js';
import { backendSettings, type EngineConfig } from './engine-config.js';
import type { NodeEventBody } from './node-event-body.js';

export interface RunWatchersOptions {
  readonly backends: ReadonlyMap<string, Backend>;
  readonly clock: Clock;
  readonly config: EngineConfig;
  /** The engine's memory: the current version of every unfinished node. */
  readonly nodes: ReadonlyMap<string, EngineNode>;
  readonly post: (nodeId: string, event: NodeEventBody) => void;
}

/**
 * The running nodes being watched, one batched poller per backend (polling on its interval, and
 * at once on the backend's `watchActivity` hints or a `nudge`), and the translation of poll
 * outcomes into events: an outcome for a node that moved on meanwhile is dropped, a "still
 * running" that changes nothing is not sent, and a node whose end was reported is not polled
 * again (a busy engine would otherwise queue duplicates).
 */
export class RunWatchers {
  readonly #options: RunWatchersOptions;
  readonly #pollers = new Map<string, BackendPoller>();

  constructor(options: RunWatchersOptions) {
    this.#options = options;
    const { backends, clock, config, nodes } = options;
    for (const backend of backends.values()) {
      this.#pollers.set(
        backend.name,
        new BackendPoller({
          backend,
          clock,
          intervalMs: backendSettings(config, backend.name).pollIntervalMs,
          runOf: (id) => {
            const node = nodes.get(id);
            return node?.state.kind === 'running' ? node.state.run : null;
          },
          nodeOf: (id) => nodes.get(id),
          onResults: (ids, attempts, outcomes) =>
            this.#onPolled(backend.name, ids, attempts, outcomes),
        }),
      );
    }
  }

  /** Poll this running node with its backend's batches until it leaves `running`. */
  watch(node: EngineNode): void {
    const poller = this.#pollers.get(node.spec.make.backend);
    if (poller === undefined) {
      this.#options.post(node.id, {
        kind: 'backend-failed',
        phase: 'poll',
        recoverable: false,
        message: `no backend named "${node.spec.make.backend}" is configured`,
      });
      return;
    }
    poller.watch(node.id);
  }

  /**
   * A hint that runs of `backend` (every backend when not given) may have changed: poll them at
   * once, or right after the poll in flight. Backends with `watchActivity` give their hints here
   * by themselves.
   */
  nudge(backend?: string): void {
    if (backend === undefined) {
      for (const poller of this.#pollers.values()) poller.nudge();
    } else {
      this.#pollers.get(backend)?.nudge();
    }
  }

  stop(): void {
    for (const poller of this.#pollers.values()) poller.stop();
  }

  /** Watched runs and polls made, per backend. */
  counts(): { watched: Record<string, number>; polls: Record<string, number> } {
    const watched: Record<string, number> = {};
    const polls: Record<string, number> = {};
    for (const [name, poller] of this.#pollers) {
      watched[name] = poller.size;
      polls[name] = poller.polls;
    }
    return { watched, polls };
  }

  #onPolled(
    backend: string,
    ids: readonly string[],
    attempts: readonly number[],
    outcomes: readonly PollOutcome[],
  ): void {
    const { nodes, post } = this.#options;
    for (let i = 0; i < ids.length; i++) {
      const nodeId = ids[i] as string;
      const outcome = outcomes[i] ?? { kind: 'error', recoverable: false, message: 'no outcome' };
      const node = nodes.get(nodeId);
      if (node === undefined || node.attempt !== attempts[i] || node.state.kind !== 'running') {
        continue;
      }
      if (outcome.kind === 'error') {
        const { recoverable, message } = outcome;
        post(nodeId, { kind: 'backend-failed', phase: 'poll', recoverable, message });
      } else if (outcome.kind !== 'running') {
        this.#pollers.get(backend)?.unwatch(nodeId);
        post(nodeId, { kind: 'polled', status: outcome });
      } else if (outcome.run !== undefined || node.successiveErrors > 0) {
        post(nodeId, { kind: 'polled', status: outcome });
      }
    }
  }
}
