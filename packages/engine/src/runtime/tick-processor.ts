import { awaitedIds } from '../core/activation-change.js';
import type { NodeCommand } from '../core/commands.js';
import type { CoreConfig } from '../core/core-config.js';
import type { EngineNode, HistoryEntry } from '../core/engine-node.js';
import type { NodeEvent } from '../core/events.js';
import { transition } from '../core/transition.js';
import { ConcurrencyLimiter } from './concurrency-limiter.js';
import { DependencyCounters, type DependencyState } from './dependency-counters.js';
import type { EngineConfig } from './engine-config.js';
import { PairQueue } from './fifo-queue.js';
import { ReadyQueue } from './ready-queue.js';
import { ConfiguredLimits, holdsSlot, slotClaimOf } from './slot-claims.js';

export type ExternalCommand = Exclude<NodeCommand, { kind: 'activate' | 'release-dependents' }>;

/** Everything one tick changed: written in one transaction, then its commands carried out. */
export interface TickBatch {
  readonly changed: Map<string, EngineNode>;
  readonly history: HistoryEntry[];
  /**
   * Commands to carry out once the batch is written (`commands[i]`), with the node as it was
   * when it issued them (`issuers[i]`).
   */
  readonly issuers: EngineNode[];
  readonly commands: ExternalCommand[];
  /** Nodes that reached `finished` (to forget once written). */
  readonly finished: string[];
}

const MAX_REMEMBERED_OUTCOMES = 500_000;

/**
 * The engine's memory and its pure-ish step: the unfinished nodes, the inbox of events, the
 * dependency counters, the ready queue and the slots. `process` feeds events to `transition`
 * and follows the core's internal commands (activations, releases of dependents) within the
 * same tick, so a completion costs O(its edges); commands that reach outside are returned.
 */
export class TickProcessor {
  readonly nodes = new Map<string, EngineNode>();
  readonly limiter: ConcurrencyLimiter;
  readonly readyQueue = new ReadyQueue();
  readonly #inbox = new PairQueue<string, NodeEvent>();
  readonly #handle = (id: string, event: NodeEvent): void => this.#apply(id, event, this.#batch);
  #batch: TickBatch = emptyBatch();
  readonly #counters = new DependencyCounters();
  readonly #limits: ConfiguredLimits;
  readonly #config: EngineConfig;
  readonly #core: CoreConfig;
  readonly #outcomes = new Map<string, 'successful' | 'failed'>();
  readonly #now: () => number;
  #transitions = 0;
  #succeededEvent: NodeEvent | null = null;

  constructor(config: EngineConfig, now: () => number) {
    this.#config = config;
    this.#core = config.core;
    this.#now = now;
    this.#limits = new ConfiguredLimits(config);
    this.limiter = new ConcurrencyLimiter(this.#limits);
  }

  /** Transitions computed so far. */
  get transitions(): number {
    return this.#transitions;
  }

  /** Events waiting in the inbox. */
  get pending(): number {
    return this.#inbox.size;
  }

  post(id: string, event: NodeEvent): void {
    this.#inbox.push(id, event);
  }

  /** Remember how a node that is not in memory finished, for nodes that wait for it. */
  rememberOutcome(id: string, outcome: 'successful' | 'failed'): void {
    this.#outcomes.set(id, outcome);
    if (this.#outcomes.size > MAX_REMEMBERED_OUTCOMES) {
      const oldest = this.#outcomes.keys().next().value;
      if (oldest !== undefined) this.#outcomes.delete(oldest);
    }
  }

  /**
   * Put nodes in memory (submitted, loaded at start, or brought back to be restarted) and count
   * what the unfinished ones wait for. Dependencies must be in memory, or finished with a
   * remembered outcome.
   */
  adopt(nodes: readonly EngineNode[]): void {
    this.learnHosts(nodes);
    for (const node of nodes) this.nodes.set(node.id, node);
    for (const node of nodes) {
      if (node.state.kind !== 'finished') this.#track(node);
    }
  }

  /** Learn which hosts of these nodes are local (their CPUs count with `localHostCpus`). */
  learnHosts(nodes: readonly EngineNode[]): void {
    for (const node of nodes) this.#limits.learnHost(node);
  }

  /**
   * Rebuild the memory at start from the store's unfinished nodes and the outcomes of the
   * finished nodes they wait for; jobs caught starting, running or killing get their slots back
   * (even past the limits: they hold them already).
   */
  restore(
    loaded: readonly EngineNode[],
    outcomes: ReadonlyMap<string, 'successful' | 'failed'>,
  ): void {
    for (const [id, outcome] of outcomes) this.rememberOutcome(id, outcome);
    this.adopt(loaded);
    for (const node of loaded) {
      const claim = slotClaimOf(node, this.#config);
      if (claim !== null && holdsSlot(node.state)) this.limiter.acquire(node.id, claim);
    }
  }

  /** Nodes in memory, by state. */
  countByState(): Record<string, number> {
    const counts: Record<string, number> = {};
    for (const node of this.nodes.values()) {
      counts[node.state.kind] = (counts[node.state.kind] ?? 0) + 1;
    }
    return counts;
  }

  /** Forget a finished node (once its last change is written). */
  forget(id: string): void {
    const node = this.nodes.get(id);
    if (node?.state.kind !== 'finished') return;
    this.nodes.delete(id);
    this.rememberOutcome(id, node.state.outcome);
  }

  /**
   * A `building` node whose dependencies are all done is sent `dependencies-failed`, or queued
   * for a slot and sent `dependencies-succeeded` once it has one.
   */
  checkReady(id: string): void {
    const node = this.nodes.get(id);
    if (node?.state.kind !== 'building') return;
    if (this.limiter.holds(id) || this.readyQueue.has(id)) return;
    const readiness = this.#counters.readiness(id);
    if (readiness.kind === 'waiting') return;
    if (readiness.kind === 'failed') {
      this.post(id, { kind: 'dependencies-failed', ids: [...readiness.ids], time: this.#now() });
      return;
    }
    const claim = slotClaimOf(node, this.#config);
    if (claim === null) {
      this.post(id, this.#succeeded());
      return;
    }
    this.readyQueue.push(id, claim);
    this.grantSlots();
  }

  /** Give free slots to the nodes waiting for them. */
  grantSlots(): void {
    if (this.readyQueue.size === 0) return;
    for (const id of this.readyQueue.drain(this.limiter)) this.post(id, this.#succeeded());
  }

  /** A `dependencies-succeeded` event of now, shared by every node it is sent to. */
  #succeeded(): NodeEvent {
    const time = this.#now();
    if (this.#succeededEvent?.time !== time) {
      this.#succeededEvent = { kind: 'dependencies-succeeded', time };
    }
    return this.#succeededEvent;
  }

  /** Handle up to `max` events (those the tick itself produces included). */
  process(max: number): TickBatch {
    const batch = emptyBatch();
    this.#batch = batch;
    for (let handled = 0; handled < max && this.#inbox.shift(this.#handle); handled++);
    this.#batch = emptyBatch();
    return batch;
  }

  #apply(id: string, event: NodeEvent, batch: TickBatch): void {
    const node = this.nodes.get(id);
    if (node === undefined) return;
    const result = transition(node, event, this.#core);
    this.#transitions++;
    const next = result.node;
    if (next !== node) {
      this.nodes.set(id, next);
      batch.changed.set(id, next);
      for (const entry of result.history) batch.history.push(entry);
      this.#afterTransition(node, next, batch);
    }
    for (const command of result.commands) {
      switch (command.kind) {
        case 'activate': {
          // Events are immutable data: one object serves every target.
          const activate: NodeEvent = { kind: 'activate', by: command.by, time: event.time };
          for (const target of command.ids) {
            if (this.nodes.has(target)) this.post(target, activate);
          }
          break;
        }
        case 'release-dependents':
          // The outcome is remembered when the node is forgotten; until then it is in memory.
          for (const dependent of this.#counters.finished(id, command.outcome)) {
            this.checkReady(dependent);
          }
          break;
        default:
          batch.issuers.push(next);
          batch.commands.push(command);
      }
    }
  }

  #afterTransition(previous: EngineNode, next: EngineNode, batch: TickBatch): void {
    const id = next.id;
    const was = previous.state.kind;
    const is = next.state.kind;
    if (was === 'finished' && is !== 'finished') {
      this.#counters.reopened(id);
      this.#track(next);
    }
    if (is !== 'building') this.readyQueue.remove(id);
    if (!holdsSlot(next.state) && is !== 'building' && this.limiter.release(id)) this.grantSlots();
    if (is === 'building' && was !== 'building') this.checkReady(id);
    if (is === 'finished') {
      this.#counters.untrack(id);
      batch.finished.push(id);
    }
  }

  #track(node: EngineNode): void {
    const deps = node.spec.dependsOn;
    // Most nodes wait for at most one node: no need for the core's de-duplicating copy.
    const awaited = node.equivalentTo === null && deps.length <= 1 ? deps : awaitedIds(node);
    this.#counters.track(node.id, awaited, (dep) => this.#stateOf(dep));
  }

  #stateOf(id: string): DependencyState {
    const node = this.nodes.get(id);
    if (node !== undefined) {
      return node.state.kind === 'finished' ? node.state.outcome : 'unfinished';
    }
    return this.#outcomes.get(id) ?? 'failed';
  }
}

function emptyBatch(): TickBatch {
  return { changed: new Map(), history: [], issuers: [], commands: [], finished: [] };
}
