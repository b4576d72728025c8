import { randomUUID } from 'node:crypto';
import type { Host } from '@ketrew/edsl';
import { conditionKey } from '../core/condition-key.js';
import { dependentsClosure } from '../core/dependents-closure.js';
import type { EngineNode, HistoryEntry } from '../core/engine-node.js';
import type { NodeEvent } from '../core/events.js';
import { findOrphans } from '../core/find-orphans.js';
import { resume } from '../core/resume.js';
import { ENGINE_ERROR_CODES, KetrewError, isRecoverable } from '../errors.js';
import { guardBackend } from '../guard/guard-backend.js';
import { guardTransport } from '../guard/guard-transport.js';
import type { Backend, PollOutcome } from '../ports/backend.js';
import type { Store, UserCommand } from '../ports/store.js';
import type { Transport, TransportProvider } from '../ports/transport.js';
import { BackendPoller } from './backend-poller.js';
import { realClock, type Clock, type TimerHandle } from './clock.js';
import { CommandExecutor } from './command-executor.js';
import { ConditionEvaluator } from './condition-evaluator.js';
import {
  backendSettings,
  resolveEngineConfig,
  type EngineConfig,
  type EngineConfigInput,
} from './engine-config.js';
import type { EngineEvent } from './engine-events.js';
import { EventHub } from './event-hub.js';
import type { NodeEventBody } from './node-event-body.js';
import { PeriodicTimer } from './periodic-timer.js';
import { planSubmission } from './plan-submission.js';
import { loadRestartTargets } from './restart-targets.js';
import { SerialLock } from './serial-lock.js';
import { holdsSlot, slotClaimOf } from './slot-claims.js';
import { TickProcessor, type ExternalCommand, type TickBatch } from './tick-processor.js';
import { validateSubmission } from './validate-submission.js';
import { WakeUpTimers } from './wake-up-timers.js';

export interface EngineOptions {
  /** Where everything is kept; the engine calls `migrate()` at `start()` and never closes it. */
  readonly store: Store;
  /** One per `make.backend` name; `no-operation` needs none. */
  readonly backends: readonly Backend[];
  /** Transports for the hosts of conditions. Required as soon as a node has a condition. */
  readonly transports?: TransportProvider | undefined;
  /** Default: the wall clock. */
  readonly clock?: Clock | undefined;
  readonly config?: EngineConfigInput | undefined;
  /** New workflow ids. Default: `crypto.randomUUID()`. */
  readonly newWorkflowId?: (() => string) | undefined;
}

export type EnginePhase = 'created' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

export interface SubmitResult {
  readonly workflowId: string;
  readonly nodeIds: readonly string[];
  /** New nodes merged into equivalent existing nodes: new id → existing id. */
  readonly merged: Readonly<Record<string, string>>;
}

/** A snapshot of what the engine is doing, for `ketrew status` and the server's status page. */
export interface EngineStatus {
  readonly phase: EnginePhase;
  /** Unfinished nodes in memory, by state. */
  readonly nodes: Readonly<Record<string, number>>;
  /** Jobs holding a slot, per backend, and CPUs in use per host. */
  readonly slots: Readonly<Record<string, number>>;
  readonly hostCpus: Readonly<Record<string, number>>;
  /** Nodes ready to start, waiting for a slot. */
  readonly waitingForSlot: number;
  readonly watched: Readonly<Record<string, number>>;
  readonly polls: Readonly<Record<string, number>>;
  readonly pendingEvents: number;
  readonly commandsInFlight: number;
  readonly wakeUps: number;
  readonly ticks: number;
  readonly transitions: number;
  /** Changes in memory the store does not have yet (0 between ticks). */
  readonly lastError: string | null;
}

const COMMANDS_PER_TICK = 100;

/**
 * The event-driven runtime around the pure core (DESIGN.md §5, docs/engine-runtime.md): it
 * feeds events to `transition`, writes each tick's changes in one store transaction, and only
 * then carries out the tick's commands through the backends and transports (write-ahead), so a
 * crash at any point loses nothing and starts nothing twice.
 *
 * @example
 * const engine = new Engine({ store, backends: [daemonize], transports, config: { pollIntervalMs: 1000 } });
 * await engine.start();
 * const { workflowId } = await engine.submit(spec);
 * const stop = engine.events.subscribe((event) => console.log(event));
 * await engine.stop();
 */
export class Engine {
  /** Change events (published once written), notifications, failures. */
  readonly events = new EventHub<EngineEvent>();
  readonly config: EngineConfig;
  readonly #store: Store;
  readonly #clock: Clock;
  readonly #backends = new Map<string, Backend>();
  readonly #transports: TransportProvider | undefined;
  readonly #transportCache = new Map<string, Transport>();
  readonly #newWorkflowId: () => string;
  readonly #lock = new SerialLock();
  readonly #processor: TickProcessor;
  readonly #executor: CommandExecutor;
  readonly #pollers = new Map<string, BackendPoller>();
  readonly #wakeUps: WakeUpTimers;
  readonly #periodic: PeriodicTimer[];
  readonly #delayed = new Set<TimerHandle>();
  #phase: EnginePhase = 'created';
  #tickScheduled = false;
  #ticks = 0;
  #activity = 0;
  #lastError: string | null = null;

  constructor(options: EngineOptions) {
    this.config = resolveEngineConfig(options.config);
    this.#store = options.store;
    this.#clock = options.clock ?? realClock;
    this.#transports = options.transports;
    this.#newWorkflowId = options.newWorkflowId ?? randomUUID;
    for (const backend of options.backends) {
      if (this.#backends.has(backend.name)) {
        throw new KetrewError(
          ENGINE_ERROR_CODES.invalidState,
          `two backends named ${backend.name}`,
        );
      }
      const guarded = guardBackend(backend);
      this.#backends.set(backend.name, guarded);
      this.#pollers.set(
        backend.name,
        new BackendPoller({
          backend: guarded,
          clock: this.#clock,
          intervalMs: backendSettings(this.config, backend.name).pollIntervalMs,
          runOf: (id) => {
            const node = this.#processor.nodes.get(id);
            return node?.state.kind === 'running' ? node.state.run : null;
          },
          nodeOf: (id) => this.#processor.nodes.get(id),
          onResults: (ids, attempts, outcomes) =>
            this.#onPolled(backend.name, ids, attempts, outcomes),
        }),
      );
    }
    this.#processor = new TickProcessor(this.config, () => this.#clock.now());
    this.#wakeUps = new WakeUpTimers(this.#clock, (due) => {
      for (const w of due)
        this.#post(w.nodeId, { kind: 'wake-up', reason: w.reason, attempt: w.attempt });
    });
    this.#executor = new CommandExecutor({
      backends: this.#backends,
      evaluator: new ConditionEvaluator({
        transportFor: (host) => this.#transportFor(host),
        defaultCommandTimeoutMs: this.config.hostCommandTimeoutMs,
      }),
      maxConcurrentConditionChecks: this.config.maxConcurrentConditionChecks,
      maxConcurrentCalls: (name) => backendSettings(this.config, name).maxConcurrentCalls,
      post: (id, event) => this.#post(id, event),
      watch: (node) => this.#watch(node),
      wakeUp: (id, at, command) => this.#wakeUps.schedule(id, at, command.reason, command.attempt),
      notify: (nodeId, level, message) =>
        this.events.emit({ kind: 'notification', time: this.#clock.now(), nodeId, level, message }),
    });
    this.#periodic = [
      new PeriodicTimer(this.#clock, this.config.orphanCheckIntervalMs, () => {
        void this.#exclusive(async () => this.#cleanOrphans());
      }),
      new PeriodicTimer(this.#clock, this.config.commandQueueIntervalMs, () =>
        this.#scheduleTick(),
      ),
    ];
  }

  get phase(): EnginePhase {
    return this.#phase;
  }

  /**
   * Load every unfinished node, rebuild the counters and slots, and carry out what `resume`
   * says for each (a node caught `starting` looks for its job before starting it), then run.
   */
  async start(): Promise<void> {
    if (this.#phase !== 'created') {
      throw new KetrewError(
        ENGINE_ERROR_CODES.invalidState,
        `cannot start an engine ${this.#phase}`,
      );
    }
    this.#phase = 'starting';
    try {
      await this.#store.migrate();
      await this.#lock.run(() => this.#recover());
    } catch (error) {
      this.#fail(error);
      throw error;
    }
    for (const timer of this.#periodic) timer.start();
    this.#scheduleTick();
  }

  /**
   * Stop timers and polling, write what is pending, and return. Jobs keep running; commands not
   * yet carried out are re-issued by the next `start()` (see `resume`). Idempotent.
   */
  async stop(): Promise<void> {
    if (this.#phase === 'created' || this.#phase === 'stopped' || this.#phase === 'failed') {
      if (this.#phase === 'created') this.#phase = 'stopped';
      return;
    }
    this.#phase = 'stopping';
    this.#haltTimers();
    await this.#lock.run(async () => {
      while (this.#processor.pending > 0 && this.#phase === 'stopping') await this.#runBatch();
    });
    if (this.#phase === 'stopping') this.#phase = 'stopped';
  }

  /**
   * Validate a workflow (wire format, graph, backends), merge its nodes into equivalent ones,
   * insert it atomically with its root activated, and wake the engine. Throws a `KetrewError`
   * (`invalid-workflow` or `unknown-backend`) naming every offending field; nothing is written
   * then.
   */
  async submit(document: unknown): Promise<SubmitResult> {
    this.#assertRunning();
    const spec = validateSubmission(document, this.#backends);
    const result = await this.#lock.run(async () => {
      const keys = [
        ...new Set(
          spec.nodes
            .filter((n) => n.equivalence === 'same-active-condition')
            .map((n) => conditionKey(n.condition))
            .filter((k): k is string => k !== null),
        ),
      ];
      const candidates = keys.length === 0 ? [] : await this.#store.findEquivalent(keys);
      const fresh = candidates.map((c) => this.#processor.nodes.get(c.id) ?? c);
      const time = this.#clock.now();
      const plan = planSubmission(spec, {
        workflowId: this.#newWorkflowId(),
        time,
        candidates: fresh,
        core: this.config.core,
      });
      await this.#store.insertWorkflow(plan.workflow, plan.nodes, plan.history);
      const outside = fresh.filter((c) => !this.#processor.nodes.has(c.id));
      this.#processor.adopt([...outside, ...plan.nodes]);
      for (const { node, command } of plan.commands) this.#carryOut(node, command);
      for (const node of plan.nodes) this.#processor.checkReady(node.id);
      this.events.emit({
        kind: 'workflow-submitted',
        time,
        workflowId: plan.workflow.id,
        nodeIds: plan.nodes.map((n) => n.id),
      });
      return {
        workflowId: plan.workflow.id,
        nodeIds: plan.nodes.map((n) => n.id),
        merged: Object.fromEntries(plan.merged),
      };
    });
    this.#scheduleTick();
    return result;
  }

  /**
   * Kill nodes (those in a killable state; others are left alone). With `recursive`, also every
   * node that waits for them, transitively. Returns the ids a kill was sent to.
   */
  async kill(
    ids: readonly string[],
    options: {
      readonly recursive?: boolean | undefined;
      readonly message?: string | undefined;
    } = {},
  ): Promise<{ readonly ids: readonly string[] }> {
    this.#assertRunning();
    return this.#exclusive(async () =>
      this.#killNow(ids, options.recursive ?? false, options.message),
    );
  }

  /**
   * Restart finished nodes as a new attempt (same id, attempt + 1, history kept). With `subtree`,
   * also the finished nodes that failed because of them, transitively. Returns the ids a restart
   * was sent to.
   */
  async restart(
    ids: readonly string[],
    options: { readonly subtree?: boolean | undefined } = {},
  ): Promise<{ readonly ids: readonly string[] }> {
    this.#assertRunning();
    return this.#exclusive(async () => this.#restartNow(ids, options.subtree ?? false));
  }

  status(): EngineStatus {
    const nodes: Record<string, number> = {};
    for (const node of this.#processor.nodes.values()) {
      nodes[node.state.kind] = (nodes[node.state.kind] ?? 0) + 1;
    }
    const watched: Record<string, number> = {};
    const polls: Record<string, number> = {};
    for (const [name, poller] of this.#pollers) {
      watched[name] = poller.size;
      polls[name] = poller.polls;
    }
    return {
      phase: this.#phase,
      nodes,
      slots: this.#processor.limiter.usage(),
      hostCpus: this.#processor.limiter.hostUsage(),
      waitingForSlot: this.#processor.readyQueue.size,
      watched,
      polls,
      pendingEvents: this.#processor.pending,
      commandsInFlight: this.#executor.inFlight,
      wakeUps: this.#wakeUps.size,
      ticks: this.#ticks,
      transitions: this.#processor.transitions,
      lastError: this.#lastError,
    };
  }

  /**
   * Grows whenever the engine does anything (an event, a tick, a command); tests and benchmarks
   * compare two readings to know it is waiting for time or for the outside.
   */
  get activity(): number {
    return this.#activity + this.#executor.inFlight;
  }

  /** True when no event waits, no tick runs and no command is in flight. */
  get isIdle(): boolean {
    return (
      !this.#tickScheduled &&
      !this.#lock.held &&
      this.#processor.pending === 0 &&
      this.#executor.inFlight === 0
    );
  }

  async #recover(): Promise<void> {
    const loaded = await this.#store.loadUnfinished();
    const ids = new Set(loaded.map((n) => n.id));
    const missing = new Set<string>();
    for (const node of loaded) {
      for (const dep of [
        ...node.spec.dependsOn,
        ...(node.equivalentTo === null ? [] : [node.equivalentTo]),
      ]) {
        if (!ids.has(dep)) missing.add(dep);
      }
    }
    if (missing.size > 0) {
      for (const dep of await this.#store.getNodes([...missing])) {
        if (dep.state.kind === 'finished')
          this.#processor.rememberOutcome(dep.id, dep.state.outcome);
      }
    }
    this.#processor.adopt(loaded);
    for (const node of loaded) {
      const claim = slotClaimOf(node, this.config);
      if (claim !== null && holdsSlot(node.state)) this.#processor.limiter.acquire(node.id, claim);
    }
    this.#phase = 'running';
    const graceUntil = (node: EngineNode): number => node.updatedAt + this.config.recoveryGraceMs;
    for (const node of loaded) {
      for (const command of resume(node)) {
        const blind =
          (command.kind === 'start' && command.findFirst) ||
          (command.kind === 'kill' && command.run === null);
        if (blind && graceUntil(node) > this.#clock.now())
          this.#carryOutLater(node, command, graceUntil(node));
        else this.#carryOut(node, command);
      }
      if (node.state.kind === 'passive' && node.spec.active) {
        this.#post(node.id, { kind: 'activate', by: { kind: 'user' } });
      }
    }
    for (const node of loaded) this.#processor.checkReady(node.id);
  }

  /** Carry out a command outside a tick (at start and after an insert). */
  #carryOut(node: EngineNode, command: ReturnType<typeof resume>[number]): void {
    switch (command.kind) {
      case 'activate': {
        const activate: NodeEvent = { kind: 'activate', by: command.by, time: this.#clock.now() };
        for (const id of command.ids) {
          if (this.#processor.nodes.has(id)) this.#processor.post(id, activate);
        }
        this.#activity++;
        this.#scheduleTick();
        return;
      }
      case 'release-dependents':
        return;
      default:
        this.#executor.execute(node, command);
    }
  }

  /**
   * Carry out a command of `resume` at `at` if the node is still where it was: a start call of
   * the previous process may still land, and a `find` before then would miss its job.
   */
  #carryOutLater(node: EngineNode, command: ReturnType<typeof resume>[number], at: number): void {
    const handle = this.#clock.setTimer(at, () => {
      this.#delayed.delete(handle);
      const current = this.#processor.nodes.get(node.id);
      if (this.#phase !== 'running' || current === undefined) return;
      if (current.attempt !== node.attempt || current.state.kind !== node.state.kind) return;
      this.#carryOut(current, command);
      this.#scheduleTick();
    });
    this.#delayed.add(handle);
  }

  #post(nodeId: string, event: NodeEventBody): void {
    if (this.#phase !== 'running' && this.#phase !== 'stopping' && this.#phase !== 'starting')
      return;
    this.#activity++;
    // Every caller passes a fresh object literal: stamping it in place spares a copy per event.
    (event as { time?: number }).time = this.#clock.now();
    this.#processor.post(nodeId, event as NodeEvent);
    this.#scheduleTick();
  }

  #scheduleTick(): void {
    if (this.#tickScheduled || this.#phase !== 'running') return;
    this.#tickScheduled = true;
    setImmediate(() => {
      this.#tickScheduled = false;
      void this.#lock.run(() => this.#tick());
    });
  }

  async #tick(): Promise<void> {
    if (this.#phase !== 'running') return;
    this.#activity++;
    await this.#takeQueuedCommands();
    await this.#runBatch();
    if (this.#processor.pending > 0) this.#scheduleTick();
  }

  async #runBatch(): Promise<void> {
    const batch = this.#processor.process(this.config.maxEventsPerTick);
    this.#ticks++;
    if (batch.changed.size === 0 && batch.commands.length === 0) return;
    const nodes = [...batch.changed.values()];
    if (nodes.length > 0 || batch.history.length > 0) {
      const written = await this.#write(nodes, batch.history);
      if (!written) return;
    }
    this.#afterWrite(batch, nodes);
  }

  async #write(nodes: readonly EngineNode[], history: readonly HistoryEntry[]): Promise<boolean> {
    for (let failures = 1; ; failures++) {
      try {
        await this.#store.applyTransitions({ nodes, history });
        return true;
      } catch (error) {
        if (!isRecoverable(error) || this.#phase === 'failed') {
          this.#fail(error);
          return false;
        }
        this.#lastError = error instanceof Error ? error.message : String(error);
        const delay = Math.min(
          this.config.storeRetryBaseMs * 2 ** (failures - 1),
          this.config.storeRetryMaxMs,
        );
        await this.#clock.sleep(delay);
      }
    }
  }

  #afterWrite(batch: TickBatch, written: readonly EngineNode[]): void {
    if (written.length > 0) {
      this.events.emit({ kind: 'nodes-changed', time: this.#clock.now(), nodes: written });
    }
    if (this.#phase === 'running') {
      const { issuers, commands } = batch;
      for (let i = 0; i < commands.length; i++) {
        this.#executor.execute(issuers[i] as EngineNode, commands[i] as ExternalCommand);
      }
    }
    for (const id of batch.finished) {
      this.#processor.forget(id);
      this.#wakeUps.cancelNode(id);
    }
  }

  async #takeQueuedCommands(): Promise<void> {
    let queued: Awaited<ReturnType<Store['takeCommands']>>;
    try {
      queued = await this.#store.takeCommands(COMMANDS_PER_TICK);
    } catch (error) {
      this.#lastError = error instanceof Error ? error.message : String(error);
      return;
    }
    for (const { command } of queued) await this.#applyUserCommand(command);
  }

  async #applyUserCommand(command: UserCommand): Promise<void> {
    switch (command.kind) {
      case 'kill':
        this.#killNow(command.ids, command.recursive, undefined);
        return;
      case 'restart':
        await this.#restartNow(command.ids, command.subtree);
        return;
      default:
        command satisfies never;
    }
  }

  #killNow(
    ids: readonly string[],
    recursive: boolean,
    message: string | undefined,
  ): { ids: string[] } {
    const targets = recursive
      ? dependentsClosure(ids, this.#processor.nodes.values())
      : [...new Set(ids)];
    const sent = targets.filter((id) => this.#processor.nodes.has(id));
    for (const id of sent)
      this.#post(id, message === undefined ? { kind: 'kill' } : { kind: 'kill', message });
    return { ids: sent };
  }

  async #restartNow(ids: readonly string[], subtree: boolean): Promise<{ ids: string[] }> {
    const { targets, outcomes } = await loadRestartTargets(
      this.#store,
      this.#processor.nodes,
      ids,
      subtree,
    );
    for (const [id, outcome] of outcomes) this.#processor.rememberOutcome(id, outcome);
    this.#processor.adopt(targets.filter((n) => !this.#processor.nodes.has(n.id)));
    const sent = targets.filter((n) => n.state.kind === 'finished').map((n) => n.id);
    for (const id of sent) this.#post(id, { kind: 'restart' });
    return { ids: sent };
  }

  #cleanOrphans(): void {
    for (const id of findOrphans(this.#processor.nodes.values()))
      this.#post(id, { kind: 'orphaned' });
  }

  #watch(node: EngineNode): void {
    const poller = this.#pollers.get(node.spec.make.backend);
    if (poller === undefined) {
      this.#post(node.id, {
        kind: 'backend-failed',
        phase: 'poll',
        recoverable: false,
        message: `no backend named "${node.spec.make.backend}" is configured`,
      });
      return;
    }
    poller.watch(node.id);
  }

  #onPolled(
    backend: string,
    ids: readonly string[],
    attempts: readonly number[],
    outcomes: readonly PollOutcome[],
  ): void {
    for (let i = 0; i < ids.length; i++) {
      const nodeId = ids[i] as string;
      const outcome = outcomes[i] ?? { kind: 'error', recoverable: false, message: 'no outcome' };
      const node = this.#processor.nodes.get(nodeId);
      if (node === undefined || node.attempt !== attempts[i] || node.state.kind !== 'running') {
        continue;
      }
      if (outcome.kind === 'error') {
        this.#post(nodeId, {
          kind: 'backend-failed',
          phase: 'poll',
          recoverable: outcome.recoverable,
          message: outcome.message,
        });
      } else if (outcome.kind !== 'running') {
        // The node leaves `running` with this event: polling it again before the event is
        // handled would only queue duplicates when the engine is behind.
        this.#pollers.get(backend)?.unwatch(nodeId);
        this.#post(nodeId, { kind: 'polled', status: outcome });
      } else if (outcome.run !== undefined || node.successiveErrors > 0) {
        this.#post(nodeId, { kind: 'polled', status: outcome });
      }
    }
  }

  #transportFor(host: Host): Transport {
    if (this.#transports === undefined) {
      throw new KetrewError(
        ENGINE_ERROR_CODES.invalidState,
        `no transport provider configured: cannot reach host ${host.name}`,
      );
    }
    const key = JSON.stringify(host);
    let transport = this.#transportCache.get(key);
    if (transport === undefined) {
      transport = guardTransport(this.#transports(host));
      this.#transportCache.set(key, transport);
    }
    return transport;
  }

  /** Run a section under the engine's lock, then wake the tick loop. */
  async #exclusive<T>(section: () => Promise<T>): Promise<T> {
    const result = await this.#lock.run(section);
    this.#scheduleTick();
    return result;
  }

  #assertRunning(): void {
    if (this.#phase !== 'running') {
      throw new KetrewError(
        ENGINE_ERROR_CODES.invalidState,
        `the engine is ${this.#phase}, not running`,
      );
    }
  }

  #haltTimers(): void {
    for (const timer of this.#periodic) timer.stop();
    for (const handle of this.#delayed) handle.cancel();
    this.#delayed.clear();
    for (const poller of this.#pollers.values()) poller.stop();
    this.#wakeUps.stop();
  }

  #fail(error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.#lastError = message;
    this.#phase = 'failed';
    this.#haltTimers();
    this.events.emit({ kind: 'engine-failed', time: this.#clock.now(), message });
  }
}
