import type { NodeCommand } from '../core/commands.js';
import type { EngineNode } from '../core/engine-node.js';
import { resume } from '../core/resume.js';
import type { Store } from '../ports/store.js';
import type { Clock, TimerHandle } from './clock.js';
import type { EngineConfig } from './engine-config.js';
import { loadForRecovery } from './load-for-recovery.js';
import type { NodeEventBody } from './node-event-body.js';
import type { TickProcessor } from './tick-processor.js';

/** What `EngineRecovery` needs of the engine. */
export interface RecoveryContext {
  readonly store: Store;
  readonly processor: TickProcessor;
  readonly clock: Clock;
  readonly config: EngineConfig;
  /** Carry out a command outside a tick. */
  readonly carryOut: (node: EngineNode, command: NodeCommand) => void;
  readonly post: (nodeId: string, event: NodeEventBody) => void;
  /** Whether the engine still runs (a delayed command is dropped otherwise). */
  readonly running: () => boolean;
  /** Wake the tick loop. */
  readonly wake: () => void;
}

/**
 * `Engine.start`'s recovery: load every unfinished node, rebuild the counters and slots, and
 * carry out what `resume` says for each. A blind command (a start that looks for its job first,
 * a kill without a run) waits until `recoveryGraceMs` after the node's last update, when a call
 * of the previous process can no longer land; `stop()` cancels those still waiting.
 */
export class EngineRecovery {
  readonly #context: RecoveryContext;
  readonly #delayed = new Set<TimerHandle>();

  constructor(context: RecoveryContext) {
    this.#context = context;
  }

  /** Recover; `restored` is called once the nodes are in memory, before any command. */
  async run(restored: () => void): Promise<void> {
    const { store, processor, clock, config } = this.#context;
    const { loaded, outcomes } = await loadForRecovery(store);
    processor.restore(loaded, outcomes);
    restored();
    const graceUntil = (node: EngineNode): number => node.updatedAt + config.recoveryGraceMs;
    for (const node of loaded) {
      for (const command of resume(node)) {
        const blind =
          (command.kind === 'start' && command.findFirst) ||
          (command.kind === 'kill' && command.run === null);
        if (blind && graceUntil(node) > clock.now())
          this.#carryOutLater(node, command, graceUntil(node));
        else this.#context.carryOut(node, command);
      }
      if (node.state.kind === 'passive' && node.spec.active) {
        this.#context.post(node.id, { kind: 'activate', by: { kind: 'user' } });
      }
    }
    for (const node of loaded) processor.checkReady(node.id);
  }

  /** Cancel the commands still waiting for their time. */
  stop(): void {
    for (const handle of this.#delayed) handle.cancel();
    this.#delayed.clear();
  }

  /**
   * Carry out a command of `resume` at `at` if the node is still where it was: a start call of
   * the previous process may still land, and a `find` before then would miss its job.
   */
  #carryOutLater(node: EngineNode, command: NodeCommand, at: number): void {
    const handle = this.#context.clock.setTimer(at, () => {
      this.#delayed.delete(handle);
      const current = this.#context.processor.nodes.get(node.id);
      if (!this.#context.running() || current === undefined) return;
      if (current.attempt !== node.attempt || current.state.kind !== node.state.kind) return;
      this.#context.carryOut(current, command);
      this.#context.wake();
    });
    this.#delayed.add(handle);
  }
}
